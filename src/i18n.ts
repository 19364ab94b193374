import { readFileSync } from "node:fs";
import type { LanguageCode } from "grammy/types";
import i18next, { type i18n, type TFunction } from "i18next";
import { projectPath } from "./shared/paths.js";

/**
 * The interface languages, in the order the language picker shows them. Uzbek comes in both
 * scripts: "uz" is Cyrillic, "uz-Latn" Latin (generated from it: scripts/uz-latin.ts).
 */
export const LOCALES = ["tg", "ru", "uz", "uz-Latn", "ky", "en"] as const;
export type Locale = (typeof LOCALES)[number];

/** Locales whose files are generated from another's, never edited by hand. */
export const GENERATED_LOCALES: Partial<Record<Locale, Locale>> = { "uz-Latn": "uz" };

/** What Intl/luxon call each locale when formatting dates. */
export const INTL_LOCALE: Record<Locale, string> = { tg: "tg", ru: "ru", uz: "uz-Cyrl", "uz-Latn": "uz-Latn", ky: "ky", en: "en" };

/**
 * Telegram's language codes (two letters) and the locale of the "/" menu for each, in the order
 * they are registered. Telegram's own Uzbek is in Latin script, so its Uzbek users get the
 * Latin menu (and the Latin interface is suggested to them).
 */
export const COMMAND_MENUS: readonly { languageCode: LanguageCode; locale: Locale }[] = [
  { languageCode: "tg", locale: "tg" },
  { languageCode: "ru", locale: "ru" },
  { languageCode: "uz", locale: "uz-Latn" },
  { languageCode: "ky", locale: "ky" },
  { languageCode: "en", locale: "en" },
];

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
  const telegram = COMMAND_MENUS.find((menu) => menu.languageCode === base);
  if (telegram) return telegram.locale;
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
