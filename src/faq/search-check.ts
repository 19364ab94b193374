import { LOCALES, type Locale, readLocaleFile } from "../i18n.js";
import { TextAnalyzer } from "./analyze.js";
import type { FaqCatalog } from "./catalog.js";
import { splitWords } from "./fold.js";
import { parseSearchVocabulary, type SearchVocabulary } from "./vocabulary.js";

/**
 * Problems in the search vocabularies (locales/<lang>/search.json): a file that does not parse,
 * and a stop-word that is also a one-word FAQ keyword somewhere (it would never be searched).
 */
export function searchVocabularyProblems(catalogs: readonly (readonly [Locale, FaqCatalog | undefined])[]): string[] {
  const problems: string[] = [];
  const vocabularies: Partial<Record<Locale, SearchVocabulary>> = {};
  for (const locale of LOCALES) {
    const label = `locales/${locale}/search.json`;
    try {
      vocabularies[locale] = parseSearchVocabulary(readLocaleFile(locale, "search"), label);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (problems.length > 0) return problems;
  const analyzer = new TextAnalyzer(vocabularies);
  for (const [locale, catalog] of catalogs) {
    for (const question of catalog?.questions.values() ?? []) {
      for (const keyword of question.keywords) {
        if (splitWords(keyword).length === 1 && analyzer.isStopWord(keyword)) {
          problems.push(
            `locales/${locale}/faq.json "${question.id}": the keyword "${keyword}" is a stop-word in a search.json (remove it there, or it is never searched)`,
          );
        }
      }
    }
  }
  return problems;
}
