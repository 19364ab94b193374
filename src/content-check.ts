import { compareCatalogs, parseFaqCatalog } from "./faq/catalog.js";
import { loadEmergencyContacts } from "./emergency/contacts.js";
import { loadHotlineConfig } from "./hotline/config.js";
import { LOCALES, readLocaleFile } from "./i18n.js";

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
      problems.push(`"${key}" has different placeholders: ${flat.map(([locale, entries]) => `${locale}=[${placeholders(entries[key] ?? "")}]`).join(" ")}`);
    }
  }
  return problems;
}

/** Every problem in the content files (translations, FAQ, hotline hours, emergency numbers). */
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
  const emergency = attempt(() => loadEmergencyContacts());
  // Holidays and emergency contacts are named through interface strings.
  const requiredKeys = [
    ...new Set(hotline?.schedule.holidays.map((holiday) => `holiday.${holiday.name}`)),
    ...(emergency?.contacts.map((contact) => `emergency.contact.${contact.id}`) ?? []),
  ];
  const resources = LOCALES.map((locale) => [locale, attempt(() => readLocaleFile(locale, "bot") as Messages)] as const);
  if (resources.every(([, messages]) => messages)) problems.push(...compareTranslations(Object.fromEntries(resources) as Record<string, Messages>, requiredKeys));

  const catalogs = LOCALES.map((locale) => [locale, attempt(() => parseFaqCatalog(readLocaleFile(locale, "faq"), `locales/${locale}/faq.json`))] as const);
  const [, reference] = catalogs[0]!;
  for (const [locale, catalog] of catalogs.slice(1)) {
    if (reference && catalog) problems.push(...compareCatalogs(reference, catalog, `locales/${locale}/faq.json`));
  }
  return problems;
}
