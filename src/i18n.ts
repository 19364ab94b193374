import { readFileSync } from "node:fs";
import { projectPath } from "./shared/paths.js";
import i18next, { type TFunction, type i18n } from "i18next";

/** The interface languages, in the order the language picker shows them. */
export const LOCALES = ["tg", "ru", "uz", "ky", "en"] as const;
export type Locale = (typeof LOCALES)[number];

/** What Intl/luxon call each locale when formatting dates (Uzbek is written in Cyrillic here). */
export const INTL_LOCALE: Record<Locale, string> = { tg: "tg", ru: "ru", uz: "uz-Cyrl", ky: "ky", en: "en" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** Languages whose speakers in the region usually also read Russian. */
const READS_RUSSIAN = new Set(["be", "uk", "kk", "tk", "az", "hy", "ka"]);

/**
 * The language to suggest from Telegram's optional `language_code` ("ru", "en-US", …).
 * Only a suggestion: Tajik users often run Telegram in Russian or English.
 */
export function suggestLocale(languageCode: string | undefined): Locale {
  const base = languageCode?.toLowerCase().split("-")[0];
  if (isLocale(base)) return base;
  if (base && READS_RUSSIAN.has(base)) return "ru";
  return base ? "en" : "ru";
}

export function readLocaleFile(locale: Locale, name: string): unknown {
  return JSON.parse(readFileSync(projectPath("locales", locale, `${name}.json`), "utf8"));
}

/** An i18next instance with every locale's interface strings loaded synchronously. */
export function createI18n(): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(LOCALES.map((locale) => [locale, { translation: readLocaleFile(locale, "bot") }])),
    lng: "en",
    fallbackLng: false,
    supportedLngs: [...LOCALES],
    initAsync: false,
    returnNull: false,
    // Texts go out as Telegram HTML: interpolated values are escaped.
    interpolation: { escapeValue: true },
    showSupportNotice: false,
  } as Parameters<i18n["init"]>[0]);
  return instance;
}

export type Translate = TFunction;
