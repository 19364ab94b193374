import type { i18n } from "i18next";
import { type Directory, loadDirectory } from "./directory/catalog.js";
import { type EmergencyContacts, loadEmergencyContacts } from "./emergency/contacts.js";
import { type FaqCatalog, loadFaqCatalogs } from "./faq/catalog.js";
import { buildSearchIndexes, type FaqSearchIndex } from "./faq/search.js";
import { loadSearchVocabularies } from "./faq/vocabulary.js";
import { type HotlineConfig, loadHotlineConfig } from "./hotline/config.js";
import { createI18n, LOCALES, type Locale, type Translate } from "./i18n.js";

export interface Content {
  i18n: i18n;
  /** One bound translator per locale (made once: binding per update costs time). */
  translate: Record<Locale, Translate>;
  hotline: HotlineConfig;
  faq: Record<Locale, { catalog: FaqCatalog; index: FaqSearchIndex }>;
  emergency: EmergencyContacts;
  /** Where to get help: consulates, migration centres, legal aid, shelters. */
  directory: Directory;
}

/**
 * Most strings (button labels, titles) take no values: they are looked up once per locale.
 * i18next's lookup costs more than the rest of rendering a menu.
 */
function rememberPlainStrings(t: Translate): Translate {
  const plain = new Map<string, string>();
  const remembering = (key: string, ...rest: unknown[]) => {
    if (rest.length > 0) return (t as unknown as (...args: unknown[]) => string)(key, ...rest);
    let text = plain.get(key);
    if (text === undefined) plain.set(key, (text = t(key)));
    return text;
  };
  return remembering as unknown as Translate;
}

/** Reads every data file once at start (interface strings, FAQ, hotline hours, emergency numbers). */
export function loadContent(): Content {
  const catalogs = loadFaqCatalogs();
  // One search over every locale's FAQ: a Tajik user typing Russian is answered in Tajik.
  const indexes = buildSearchIndexes(catalogs, loadSearchVocabularies());
  const i18n = createI18n();
  return {
    i18n,
    translate: Object.fromEntries(LOCALES.map((locale) => [locale, rememberPlainStrings(i18n.getFixedT(locale))])) as Record<
      Locale,
      Translate
    >,
    hotline: loadHotlineConfig(),
    faq: Object.fromEntries(LOCALES.map((locale) => [locale, { catalog: catalogs[locale], index: indexes[locale] }])) as Content["faq"],
    emergency: loadEmergencyContacts(),
    directory: loadDirectory(),
  };
}
