import { DateTime, type WeekdayNumbers } from "luxon";
import type { HotlineSchedule } from "../hotline/schedule.js";
import { INTL_LOCALE, type Locale, type Translate } from "../i18n.js";
import { escapeHtml } from "../shared/html.js";
import type { Directory, HoursRow, Service, ServiceKind, Weekday } from "./catalog.js";
import type { Ranked } from "./nearest.js";

/** One sign per kind, at the start of a service's name. */
export const KIND_ICON: Record<ServiceKind, string> = {
  embassy: "🏛",
  consulate: "🏛",
  "labour-representation": "🏢",
  "ngo-legal-aid": "⚖️",
  iom: "🤝",
  shelter: "🏠",
  "migration-centre": "🗂",
  "pre-departure": "✈️",
  medical: "🩺",
};

/** Closer than this to a city's centre counts as being in the city (distances to a centre are approximate). */
const NEAR_CITY_KM = 30;

const WEEKDAY_NUMBER: Record<Weekday, WeekdayNumbers> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };

export interface CardOptions {
  /** How near it is (from a shared location or a city), if it was ranked. */
  ranked?: Ranked;
  /** The city the list is for: services in it are "in <city>", others get their distance. */
  nearCity?: string;
  /** The hotline's hours, for a service whose hours are "hotline". */
  hotline: HotlineSchedule;
}

/** "Mon–Fri: 08:30–18:00", days grouped when they follow each other. */
function dayRange(days: Weekday[], locale: Locale): string {
  const name = (day: Weekday) => DateTime.fromObject({ weekday: WEEKDAY_NUMBER[day] }).setLocale(INTL_LOCALE[locale]).toFormat("ccc");
  const numbers = days.map((day) => WEEKDAY_NUMBER[day]).sort((a, b) => a - b);
  const consecutive = numbers.every((day, index) => index === 0 || day === numbers[index - 1]! + 1);
  const sorted = [...days].sort((a, b) => WEEKDAY_NUMBER[a] - WEEKDAY_NUMBER[b]);
  return consecutive && sorted.length > 2 ? `${name(sorted[0]!)}–${name(sorted.at(-1)!)}` : sorted.map(name).join(", ");
}

/** The hotline's weekly hours as rows of equal days. */
function hotlineRows(schedule: HotlineSchedule): { days: Weekday[]; hours: string }[] {
  const order: Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const rows: { days: Weekday[]; hours: string }[] = [];
  for (const day of order) {
    const ranges = schedule.weekly[WEEKDAY_NUMBER[day]] ?? [];
    if (ranges.length === 0) continue;
    const hours = ranges.map((range) => `${range.from}–${range.to}`).join(", ");
    const last = rows.at(-1);
    if (last && last.hours === hours && WEEKDAY_NUMBER[last.days.at(-1)!] === WEEKDAY_NUMBER[day] - 1) last.days.push(day);
    else rows.push({ days: [day], hours });
  }
  return rows;
}

/** The opening hours in one line, with whose time they are; undefined when no source gives them. */
export function hoursLine(
  t: Translate,
  locale: Locale,
  directory: Directory,
  service: Service,
  hotline: HotlineSchedule,
): string | undefined {
  if (!service.hours) return undefined;
  if (service.hours === "hotline") {
    const rows = hotlineRows(hotline).map((row) => `${dayRange(row.days, locale)} ${row.hours}`);
    const dushanbe = directory.cities.get("dushanbe")?.names[locale] ?? "Dushanbe";
    return t("directory.hours", { hours: rows.join("; "), city: dushanbe, interpolation: { escapeValue: false } });
  }
  const rows = service.hours.map((row: HoursRow) =>
    row.days === "unknown"
      ? `${row.from}–${row.to} (${t("directory.daysUnknown")})`
      : `${dayRange(row.days, locale)} ${row.from}–${row.to}`,
  );
  // The catalog gives every service with its own hours a city.
  const city = directory.cities.get(service.city!)!.names[locale];
  return t("directory.hours", { hours: rows.join("; "), city, interpolation: { escapeValue: false } });
}

/** Where it is relative to the list (HTML: i18next escapes the names): "in Moscow", "Novosibirsk, about 2,800 km". */
function whereLine(t: Translate, locale: Locale, directory: Directory, service: Service, options: CardOptions): string {
  const city = service.city === undefined ? undefined : directory.cities.get(service.city);
  const cityName = city?.names[locale] ?? "";
  const kind = t(`directory.kind.${service.kind}`);
  if (!city) return kind;
  const ranked = options.ranked;
  if (options.nearCity !== undefined && options.nearCity === service.city) return `${kind} · ${t("directory.inCity", { city: cityName })}`;
  if (ranked && ranked.precision === "address" && options.nearCity === undefined) {
    return `${kind} · ${escapeHtml(cityName)}, ${t("directory.distance", { km: formatKm(ranked.km, locale) })}`;
  }
  // A city's centre within a few kilometres: the user is in that city.
  if (ranked && ranked.km < NEAR_CITY_KM) return `${kind} · ${t("directory.inCity", { city: cityName })}`;
  if (ranked) return `${kind} · ${escapeHtml(cityName)}, ${t("directory.distanceApprox", { km: formatKm(ranked.km, locale) })}`;
  return `${kind} · ${escapeHtml(cityName)}`;
}

export function formatKm(km: number, locale: Locale): string {
  const rounded = km < 10 ? Math.round(km * 10) / 10 : km < 100 ? Math.round(km) : Math.round(km / 10) * 10;
  return new Intl.NumberFormat(INTL_LOCALE[locale]).format(rounded);
}

/**
 * A service as the user (or a client) reads it, in HTML: kind and name, where it is, address,
 * hours, phones (numbers as written: Telegram makes them tappable), website, a note, and for an
 * entry not confirmed yet, "please call first to check".
 */
export function serviceCard(t: Translate, locale: Locale, directory: Directory, service: Service, options: CardOptions): string {
  const phones = (service.phones ?? []).map((phone) => (phone.whatsapp ? `WhatsApp ${phone.display}` : phone.display));
  const contacts = (service.contacts ?? []).flatMap((id) => {
    const contact = directory.byId.get(id);
    const phone = contact?.phones?.[0]?.display;
    return contact && phone ? [`${t(`directory.kind.${contact.kind}`)}: ${phone}`] : [];
  });
  const hours = hoursLine(t, locale, directory, service, options.hotline);
  const lines = [
    `${KIND_ICON[service.kind]} <b>${escapeHtml(service.name[locale])}</b>`,
    whereLine(t, locale, directory, service, options),
    service.address ? `📍 ${escapeHtml(service.address[locale])}` : undefined,
    hours ? `🕒 ${escapeHtml(hours)}` : undefined,
    phones.length > 0 ? `📞 ${phones.join(" · ")}` : undefined,
    contacts.length > 0 ? `📞 ${t("directory.contactsVia")} ${escapeHtml(contacts.join(" · "))}` : undefined,
    service.languages ? `🗣 ${escapeHtml(service.languages.join(", "))}` : undefined,
    service.website ? `🌐 ${escapeHtml(service.website)}` : undefined,
    service.note ? `ℹ️ ${escapeHtml(service.note[locale])}` : undefined,
    service.needsReview ? `⚠️ ${t(phones.length > 0 ? "directory.callFirst" : "directory.askFirst")}` : undefined,
  ];
  return lines.filter((line) => line !== undefined).join("\n");
}

/** A maps search for the written address (the phone's maps find the place; no coordinates are guessed). */
export function mapSearchUrl(service: Service): string | undefined {
  if (!service.address) return undefined;
  const query = service.address.ru.replace(/\s*\([^)]*\)/g, "").trim();
  return `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(query)}`;
}
