import { readFileSync } from "node:fs";
import { z } from "zod";
import { checkDirectory, directoryKeys } from "./directory/catalog.js";
import { emergencyConfigPath, loadEmergencyContacts } from "./emergency/contacts.js";
import { compareCatalogs, type FaqCatalog, parseFaqCatalog, questionTexts, unknownPlaceholders } from "./faq/catalog.js";
import { type Glossary, glossaryContradictions, glossaryViolations, parseGlossary } from "./faq/glossary.js";
import { labelProblems } from "./faq/labels.js";
import { plainLanguageProblems } from "./faq/plain-language.js";
import { searchVocabularyProblems } from "./faq/search-check.js";
import { uzLatinDrift } from "./faq/uz-latin.js";
import { loadHotlineConfig } from "./hotline/config.js";
import type { Holiday } from "./hotline/holidays.js";
import { GENERATED_LOCALES, LOCALES, type Locale, readLocaleFile } from "./i18n.js";

/** Locales written by people (generated ones are checked through their source, and against it). */
const WRITTEN_LOCALES = LOCALES.filter((locale) => !GENERATED_LOCALES[locale]);

type Messages = { [key: string]: string | Messages };

/** { menu: { faq: "…" } } → { "menu.faq": "…" } */
function flatten(messages: Messages, prefix = ""): Record<string, string> {
  return Object.fromEntries(
    Object.entries(messages).flatMap(([key, value]) =>
      typeof value === "string" ? [[prefix + key, value]] : Object.entries(flatten(value, `${prefix}${key}.`)),
    ),
  );
}

const placeholders = (text: string) => [...new Set(text.match(/{{\s*[\w.]+\s*}}/g) ?? [])].sort().join(" ");

/**
 * Problems between interface translations: a key one locale has and another lacks, a
 * placeholder that differs, an empty string, a key the bot needs that no locale has.
 */
export function compareTranslations(resources: Record<string, Messages>, requiredKeys: string[] = []): string[] {
  const flat = Object.entries(resources).map(([locale, messages]) => [locale, flatten(messages)] as const);
  const allKeys = new Set([...flat.flatMap(([, entries]) => Object.keys(entries)), ...requiredKeys]);
  const problems: string[] = [];
  for (const key of allKeys) {
    const variants = new Set<string>();
    for (const [locale, entries] of flat) {
      const text = entries[key];
      if (text === undefined) problems.push(`locales/${locale}/bot.json lacks "${key}"`);
      else if (text.trim() === "") problems.push(`locales/${locale}/bot.json: "${key}" is empty`);
      else variants.add(placeholders(text));
    }
    if (variants.size > 1) {
      problems.push(
        `"${key}" has different placeholders: ${flat.map(([locale, entries]) => `${locale}=[${placeholders(entries[key] ?? "")}]`).join(" ")}`,
      );
    }
  }
  return problems;
}

/** What users read in a FAQ catalog (category titles, questions, answers, variants), each with where it is. */
export function faqReadableTexts(catalog: FaqCatalog, label: string): { where: string; text: string }[] {
  return catalog.categories.flatMap((category) => [
    { where: `${label} category "${category.id}" title`, text: category.title },
    ...category.questions.flatMap((question) =>
      questionTexts(question).map(({ field, text }) => ({ where: `${label} "${question.id}" ${field}`, text })),
    ),
  ]);
}

/** Answers and variants longer than 700 characters or with sentences over 20 words. */
export function checkPlainLanguage(catalog: FaqCatalog, label: string): string[] {
  return [...catalog.questions.values()].flatMap((question) =>
    questionTexts(question)
      .filter(({ field }) => field !== "question")
      .flatMap(({ field, text }) => plainLanguageProblems(text, `${label} "${question.id}" ${field}`)),
  );
}

/** Every year with fixed holidays must also have both Eid dates (estimates until announced). */
export function checkEidDates(holidays: Holiday[]): string[] {
  const years = [
    ...new Set(holidays.filter((holiday) => holiday.name === "new-year" && !holiday.movedFrom).map((holiday) => holiday.date.slice(0, 4))),
  ];
  return years.flatMap((year) =>
    ["idi-ramazon", "idi-qurbon"]
      .filter((name) => !holidays.some((holiday) => holiday.name === name && !holiday.movedFrom && holiday.date.startsWith(year)))
      .map((name) => `config/hotline.json: ${year} is in "years" but has no "${name}" date (add it with "estimate": true)`),
  );
}

const pendingContactSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  number: z.string().regex(/^\+?[\d ]{3,20}$/),
  source: z.string().min(3),
  needsReview: z.boolean(),
  names: z.object(Object.fromEntries(WRITTEN_LOCALES.map((locale) => [locale, z.string().trim().min(2)])) as Record<Locale, z.ZodString>),
});

/**
 * Emergency numbers waiting for their names in bot.json (`pendingContacts`, not read by the bot):
 * well formed, with a name in every locale, not already shown, and listed in `order` with the shown ones.
 */
export function checkPendingEmergencyContacts(path = emergencyConfigPath()): string[] {
  const file = JSON.parse(readFileSync(path, "utf8")) as { contacts?: { id: string }[]; pendingContacts?: unknown; order?: unknown };
  const parsed = z.array(pendingContactSchema).optional().safeParse(file.pendingContacts);
  if (!parsed.success)
    return [`${path}: pendingContacts ${parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}`];
  const shown = (file.contacts ?? []).map((contact) => contact.id);
  const pending = (parsed.data ?? []).map((contact) => contact.id);
  const problems = pending.filter((id) => shown.includes(id)).map((id) => `${path}: "${id}" is both shown and pending`);
  if (file.order !== undefined) {
    const order = z.array(z.string()).safeParse(file.order);
    if (!order.success) return [...problems, `${path}: order must be a list of contact ids`];
    for (const id of [...shown, ...pending].filter((id) => !order.data.includes(id)))
      problems.push(`${path}: "${id}" is missing from order`);
    const shownInOrder = order.data.filter((id) => shown.includes(id));
    if (shownInOrder.join() !== shown.join()) problems.push(`${path}: contacts are not in the order given by "order"`);
  }
  return problems;
}

function loadGlossary(locale: Locale): Glossary {
  return parseGlossary(readLocaleFile(locale, "glossary"), `locales/${locale}/glossary.json`);
}

/** Every problem in the content files (translations, FAQ, glossaries, hotline hours, emergency numbers). */
export function checkContent(): string[] {
  const problems: string[] = [];
  const attempt = <T>(action: () => T): T | undefined => {
    try {
      return action();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  };

  const hotline = attempt(() => loadHotlineConfig());
  if (hotline) problems.push(...checkEidDates(hotline.schedule.holidays));
  const emergency = attempt(() => loadEmergencyContacts());
  if (emergency) problems.push(...(attempt(() => checkPendingEmergencyContacts()) ?? []));
  // The help directory (config/directory.json); its kinds and needs are named through interface strings.
  problems.push(...checkDirectory());
  // Holidays and emergency contacts are named through interface strings.
  const requiredKeys = [
    ...new Set(hotline?.schedule.holidays.map((holiday) => `holiday.${holiday.name}`)),
    ...(emergency?.contacts.map((contact) => `emergency.contact.${contact.id}`) ?? []),
    ...directoryKeys(),
  ];
  const resources = LOCALES.map((locale) => [locale, attempt(() => readLocaleFile(locale, "bot") as Messages)] as const);
  if (resources.every(([, messages]) => messages))
    problems.push(...compareTranslations(Object.fromEntries(resources) as Record<string, Messages>, requiredKeys));

  const catalogs = LOCALES.map(
    (locale) => [locale, attempt(() => parseFaqCatalog(readLocaleFile(locale, "faq"), `locales/${locale}/faq.json`))] as const,
  );
  problems.push(...labelProblems(catalogs, resources));
  const [, reference] = catalogs[0]!;
  for (const [locale, catalog] of catalogs.slice(1)) {
    if (reference && catalog) problems.push(...compareCatalogs(reference, catalog, `locales/${locale}/faq.json`));
  }
  // locales/uz-Latn/ is made from locales/uz/ (scripts/uz-latin.ts): it must not differ from what that gives.
  problems.push(...uzLatinDrift(), ...searchVocabularyProblems(catalogs));
  for (const [locale, catalog] of catalogs) {
    // Plain language and the glossary are the writers' rules, checked in the written source.
    if (!catalog || GENERATED_LOCALES[locale]) continue;
    const label = `locales/${locale}/faq.json`;
    problems.push(...unknownPlaceholders(catalog, label), ...checkPlainLanguage(catalog, label));
    const glossary = attempt(() => loadGlossary(locale));
    if (glossary) {
      problems.push(...glossaryContradictions(glossary, `locales/${locale}/glossary.json`));
      problems.push(...glossaryViolations(glossary, faqReadableTexts(catalog, label)));
    }
  }
  return problems;
}

/**
 * Glossary forms found in the interface strings (locales/<lang>/bot.json). Reported, not failed:
 * those files are edited elsewhere; fix them there.
 */
export function checkBotGlossary(): string[] {
  return WRITTEN_LOCALES.flatMap((locale) => {
    try {
      const glossary = loadGlossary(locale);
      const entries = flatten(readLocaleFile(locale, "bot") as Messages);
      return glossaryViolations(
        glossary,
        Object.entries(entries).map(([key, text]) => ({ where: `locales/${locale}/bot.json "${key}"`, text })),
      );
    } catch {
      return []; // a broken glossary or bot.json is already a problem of checkContent
    }
  });
}
