import { DateTime } from "luxon";
import { z } from "zod";
import { uzbekToLatin } from "../faq/uz-latin.js";
import { LOCALES, type Locale } from "../i18n.js";
import { ContentError, readJson } from "../shared/data-file.js";
import { projectPath } from "../shared/paths.js";
import { formatZodIssues } from "../shared/zod.js";

/** Where the help directory lives. */
export const directoryPath = () => projectPath("config/directory.json");

/** What a service is; the order is the order of importance when several are equally near. */
export const SERVICE_KINDS = [
  "embassy",
  "consulate",
  "labour-representation",
  "ngo-legal-aid",
  "iom",
  "shelter",
  "migration-centre",
  "pre-departure",
  "medical",
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** What a user looks for: the filters offered, each a group of kinds. */
export const NEEDS = ["consulate", "legal", "protection", "migration", "medical"] as const;
export type Need = (typeof NEEDS)[number];
export const KINDS_OF_NEED: Record<Need, readonly ServiceKind[]> = {
  consulate: ["embassy", "consulate"],
  legal: ["ngo-legal-aid", "labour-representation"],
  protection: ["shelter", "iom"],
  migration: ["migration-centre", "pre-departure"],
  medical: ["medical"],
};

/** The countries services are in (the same keys as a request's country). */
export const SERVICE_COUNTRIES = ["russia", "tajikistan", "kazakhstan", "uzbekistan", "kyrgyzstan"] as const;

/** The locales written in the file; the others are made from one of them (uz-Latn from uz). */
export const WRITTEN_LOCALES = ["tg", "ru", "uz", "ky", "en"] as const satisfies readonly Locale[];

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const slug = z.string().regex(/^[a-z0-9-]{1,40}$/, { error: "must be a lowercase id (a-z, 0-9, -), at most 40 characters" });
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time "HH:mm"' });
const isoDate = z
  .string()
  .refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid, { error: 'must be a date "YYYY-MM-DD"' });
const text = z.string().trim().min(2, { error: "is empty" });
/** A text in every written locale. */
const localized = z
  .object(Object.fromEntries(WRITTEN_LOCALES.map((locale) => [locale, text])) as Record<(typeof WRITTEN_LOCALES)[number], typeof text>)
  .strict();
const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);

/** E.164: a plus, a country code not starting with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

const phoneSchema = z
  .object({
    number: z.string().regex(E164, { error: "must be in E.164 form, e.g. +74959679844" }),
    /** As the source writes it, for reading. */
    display: z.string().regex(/^\+[\d\s()-]{7,24}$/, { error: 'must be the number as people read it, e.g. "+7 495 967-98-44"' }),
    whatsapp: z.boolean().optional(),
  })
  .strict()
  .refine((phone) => phone.display.replace(/\D/g, "") === phone.number.slice(1), { error: "display and number must have the same digits" });

const hoursRow = z
  .object({ days: z.union([z.array(z.enum(WEEKDAYS)).min(1), z.literal("unknown")]), from: time, to: time })
  .strict()
  .refine((row) => row.from < row.to, { error: "must end after it starts" });

const serviceSchema = z
  .object({
    id: slug,
    kind: z.enum(SERVICE_KINDS),
    country: z.enum(SERVICE_COUNTRIES),
    /** A key of `cities`; none for a service without one place (shelters whose addresses are secret). */
    city: slug.optional(),
    /** Reached by phone from anywhere (a hotline): also offered far from its city. */
    remote: z.boolean().optional(),
    /** Only for citizens of these countries (a country's embassy); every citizen when absent. */
    citizens: z.array(z.string()).min(1).optional(),
    name: localized,
    address: localized.optional(),
    note: localized.optional(),
    phones: z.array(phoneSchema).min(1).optional(),
    /** Local time of the city; "hotline": the hotline's hours (config/hotline.json). */
    hours: z.union([z.literal("hotline"), z.array(hoursRow).min(1)]).optional(),
    website: z.url({ protocol: /^https$/, error: "must be an https:// address" }).optional(),
    /** The building itself, with where its coordinates come from: turns on "send the place". */
    location: z
      .object({ lat: latitude, lon: longitude, source: z.string().min(3) })
      .strict()
      .optional(),
    /** Languages spoken, where a source says so (locale codes or language names). */
    languages: z.array(z.string().min(2)).min(1).optional(),
    /** Services that put you in touch with this one (when its own address is confidential). */
    contacts: z.array(slug).min(1).optional(),
    sources: z
      .array(z.string().trim().min(10, { error: "must say where the facts come from" }))
      .min(1, { error: "needs at least one source" }),
    reviewed: isoDate,
    needsReview: z.boolean(),
  })
  .strict();

const citySchema = z
  .object({
    country: z.enum(SERVICE_COUNTRIES),
    lat: latitude,
    lon: longitude,
    names: localized,
    /** Other ways people write it ("спб", "питер"), to find it in what a client typed. */
    aliases: z.array(z.string().min(2)),
  })
  .strict();

const directorySchema = z.object({
  $comment: z.string().optional(),
  reviewed: isoDate,
  citySource: z.string().min(10),
  cities: z.record(slug, citySchema),
  services: z.array(serviceSchema).min(1),
});

type ServiceFile = z.infer<typeof serviceSchema>;
type CityFile = z.infer<typeof citySchema>;
export type Localized = Record<Locale, string>;
export type Phone = z.infer<typeof phoneSchema>;
export type HoursRow = z.infer<typeof hoursRow>;

export interface City extends Omit<CityFile, "names"> {
  key: string;
  names: Localized;
}

export interface Service extends Omit<ServiceFile, "name" | "address" | "note"> {
  name: Localized;
  address?: Localized;
  note?: Localized;
}

export interface Directory {
  reviewed: string;
  cities: ReadonlyMap<string, City>;
  services: readonly Service[];
  byId: ReadonlyMap<string, Service>;
}

/** Every locale's text: the written ones, and uz-Latn made from uz. */
function everyLocale(texts: Record<(typeof WRITTEN_LOCALES)[number], string>): Localized {
  return { ...texts, "uz-Latn": uzbekToLatin(texts.uz) };
}

/** Cross-entry problems the schema cannot see: duplicate ids, unknown cities and contacts. */
function referenceProblems(file: z.infer<typeof directorySchema>): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const service of file.services) {
    if (ids.has(service.id)) problems.push(`services: "${service.id}" is listed twice`);
    ids.add(service.id);
    const city = service.city === undefined ? undefined : file.cities[service.city];
    if (service.city !== undefined && !city) problems.push(`services "${service.id}": city "${service.city}" is not in "cities"`);
    if (city && city.country !== service.country)
      problems.push(`services "${service.id}": city "${service.city}" is in ${city.country}, not ${service.country}`);
    if (service.city === undefined && service.location) problems.push(`services "${service.id}": a location needs a city`);
    // Opening hours are said in the city's time: without a city nobody would know whose.
    if (service.city === undefined && Array.isArray(service.hours)) problems.push(`services "${service.id}": opening hours need a city`);
    if (!service.phones && !service.address && !service.contacts && !service.website && !service.note) {
      problems.push(`services "${service.id}": give at least a phone, an address, a website, contacts or a note on how to reach it`);
    }
  }
  for (const service of file.services) {
    for (const contact of service.contacts ?? [])
      if (!ids.has(contact) || contact === service.id)
        problems.push(`services "${service.id}": contact "${contact}" is not another service`);
  }
  return problems;
}

/** Reads and checks the directory; a mistake names the entry and the field. */
export function loadDirectory(path = directoryPath()): Directory {
  const parsed = directorySchema.safeParse(readJson(path));
  if (!parsed.success) throw new ContentError(`${path} is invalid: ${formatZodIssues(parsed.error)}`);
  const problems = referenceProblems(parsed.data);
  if (problems.length > 0) throw new ContentError(`${path} is invalid: ${problems.join("; ")}`);
  const cities = new Map(Object.entries(parsed.data.cities).map(([key, city]) => [key, { ...city, key, names: everyLocale(city.names) }]));
  const services = parsed.data.services.map((service) => ({
    ...service,
    name: everyLocale(service.name),
    address: service.address && everyLocale(service.address),
    note: service.note && everyLocale(service.note),
  }));
  return { reviewed: parsed.data.reviewed, cities, services, byId: new Map(services.map((service) => [service.id, service])) };
}

/** The interface strings the directory needs, for the content check: one per kind and need. */
export function directoryKeys(): string[] {
  return [...SERVICE_KINDS.map((kind) => `directory.kind.${kind}`), ...NEEDS.map((need) => `directory.need.${need}`)];
}

/**
 * Every problem in the directory: the file itself (each entry's fields, phones in E.164,
 * coordinates in range, sources, the same texts in every locale, known cities) and the interface
 * strings it needs in every locale's bot.json (`hasKey`).
 */
export function checkDirectory(path = directoryPath(), hasKey?: (locale: Locale, key: string) => boolean): string[] {
  let directory: Directory;
  try {
    directory = loadDirectory(path);
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
  const problems: string[] = [];
  for (const service of directory.services) {
    if (DateTime.fromISO(service.reviewed) > DateTime.fromISO(directory.reviewed).endOf("day")) {
      problems.push(`${path}: "${service.id}" was reviewed after the file's date (${directory.reviewed})`);
    }
  }
  if (hasKey) {
    for (const locale of LOCALES)
      for (const key of directoryKeys())
        if (!hasKey(locale, key)) problems.push(`locales/${locale}/bot.json lacks "${key}" (the help directory needs it)`);
  }
  return problems;
}
