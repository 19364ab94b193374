import type { Locale } from "../i18n.js";
import { type QueryKind, TextAnalyzer } from "./analyze.js";
import type { FaqCatalog } from "./catalog.js";
import { type EngineName, SEARCH_FIELDS, type SearchDocument, type SearchEngine, type SearchField } from "./engine.js";
import { miniSearchEngine } from "./engine-minisearch.js";
import { scoredEngine } from "./engine-scored.js";
import { splitWords } from "./fold.js";
import type { SearchVocabulary } from "./vocabulary.js";

/** Letters that users type with a Russian look-alike (Tajik ғ→г …) or that Kyrgyz/Uzbek add. */
const LOOKALIKES: Record<string, string> = { ғ: "г", қ: "к", ҳ: "х", ҷ: "ч", ө: "о", ү: "у", ң: "н" };

/**
 * Folds text to Cyrillic look-alikes for comparing, never for display: NFC first (decomposed
 * ӣ/ӯ arrive too), lower case, diacritics dropped (ӣ→и, ӯ→у, ё→е, й→и, ў→у), Tajik/Kyrgyz
 * letters folded to their Russian look-alikes, and Uzbek Latin apostrophes (ʻ ‘ ’ ' `) removed.
 * (Search itself folds further, to one Latin skeleton: see fold.ts.)
 */
export function normalizeForSearch(text: string): string {
  return text
    .normalize("NFC")
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[ʻʼ‘’'`´]/g, "")
    .replace(/[ғқҳҷөүң]/g, (letter) => LOOKALIKES[letter] ?? letter);
}

/** A document of another locale counts this much of one in the user's own (Russian typed in any locale is found). */
const OTHER_LOCALE_FACTOR = 0.9;
/**
 * A result must match at least this share of the query's meaningful words (a word matched only
 * a typo away counts half)…
 */
const MIN_COVERAGE = 0.5;
const FUZZY_SHARE = 0.5;
/** A weak word (a city, "документ") counts this much of another, in the score and in the share matched. */
const WEAK_FACTOR = 0.5;
/** …and score at least this share of the best result. */
const MIN_SHARE_OF_BEST = 0.35;

interface SharedIndex {
  analyzer: TextAnalyzer;
  engine: SearchEngine;
  documents: Map<string, SearchDocument>;
}

/** The FAQ search for one interface locale: it searches every locale and answers with question ids. */
export interface FaqSearchIndex {
  locale: Locale;
  shared: SharedIndex;
  /** The answer to thanks in this locale (search.json). */
  thanksReply: string;
}

export type FaqSearchResult =
  /** Questions that answer the query, best first. */
  | { kind: "found"; ids: string[] }
  /** Nothing matches well enough: offer a lawyer. `meaningful`: the query had words that carry meaning. */
  | { kind: "none"; ids: []; meaningful: boolean }
  /** Only a greeting, or only thanks: a friendly answer, not a search. */
  | { kind: QueryKind; ids: [] };

const ENGINES: Record<EngineName, (documents: SearchDocument[]) => SearchEngine> = { minisearch: miniSearchEngine, scored: scoredEngine };

/**
 * Builds the search over every locale's FAQ (one shared index) and returns a view of it per
 * interface locale. `engine` picks MiniSearch (the default) or the hand-written scoring.
 */
export function buildSearchIndexes(
  catalogs: Record<Locale, FaqCatalog>,
  vocabularies: Record<Locale, SearchVocabulary>,
  engine: EngineName = "minisearch",
): Record<Locale, FaqSearchIndex> {
  const locales = Object.keys(catalogs) as Locale[];
  const analyzer = new TextAnalyzer(vocabularies);
  const documents: SearchDocument[] = locales.flatMap((locale) =>
    catalogs[locale].categories.flatMap((category) =>
      category.questions.map((question) => {
        const texts: Record<SearchField, string> = {
          question: question.question,
          keywords: question.keywords.join(" "),
          category: category.title,
          answer: [question.answer, question.variants?.patent, question.variants?.eaeu].filter(Boolean).join(" "),
        };
        const terms = Object.fromEntries(SEARCH_FIELDS.map((field) => [field, analyzer.documentTerms(locale, texts[field])])) as Record<
          SearchField,
          string[]
        >;
        return { key: `${locale}:${question.id}`, locale, questionId: question.id, terms };
      }),
    ),
  );
  const shared: SharedIndex = {
    analyzer,
    engine: ENGINES[engine](documents),
    documents: new Map(documents.map((document) => [document.key, document])),
  };
  return Object.fromEntries(locales.map((locale) => [locale, { locale, shared, thanksReply: vocabularies[locale].thanksReply }])) as Record<
    Locale,
    FaqSearchIndex
  >;
}

/** Whether the text has at least one word long enough to search for (or to greet with). */
export function isSearchable(query: string): boolean {
  return splitWords(query).some((word) => word.length >= 2);
}

/**
 * Answers a typed question: the ids of the questions that best answer it (at most `limit`),
 * or that nothing matches well enough, or that it is only a greeting or thanks.
 */
export function searchFaq(index: FaqSearchIndex, query: string, limit = 5): FaqSearchResult {
  const { analyzer, engine, documents } = index.shared;
  const analyzed = analyzer.analyzeQuery(query);
  if (analyzed.kind) return { kind: analyzed.kind, ids: [] };
  // A word typed again counts once ("salary not paid word word word …").
  const seen = new Set<string>();
  const positions = analyzed.positions.filter((position) => {
    const key = position.terms.join(" ");
    return !seen.has(key) && seen.add(key);
  });
  if (positions.length === 0) return { kind: "none", ids: [], meaningful: false };

  const totalWeight = positions.reduce((sum, position) => sum + (position.weak ? WEAK_FACTOR : 1), 0);
  /** question id → its best document's score and the positions it matched */
  const byQuestion = new Map<string, { score: number; coverage: number; strong: boolean }>();
  for (const match of engine.search(positions)) {
    const document = documents.get(match.key)!;
    let sum = 0;
    let matched = 0;
    let covered = 0;
    let strong = false;
    positions.forEach((position, at) => {
      const score = match.positionScores[at]!;
      const weight = position.weak ? WEAK_FACTOR : 1;
      if (score <= 0) return;
      sum += score * weight;
      matched += weight;
      covered += (match.firm[at] ? 1 : FUZZY_SHARE) * weight;
      if (!position.weak) strong = true;
    });
    const factor = document.locale === index.locale ? 1 : OTHER_LOCALE_FACTOR;
    const score = sum * factor * matched;
    const previous = byQuestion.get(document.questionId);
    if (previous && previous.score >= score) continue;
    byQuestion.set(document.questionId, { score, coverage: covered / totalWeight, strong });
  }
  const candidates = [...byQuestion]
    .filter(([, result]) => result.strong && result.coverage >= MIN_COVERAGE)
    .sort(([, a], [, b]) => b.score - a.score);
  const cutoff = (candidates[0]?.[1].score ?? 0) * MIN_SHARE_OF_BEST;
  const ids = candidates
    .filter(([, result]) => result.score >= cutoff)
    .slice(0, limit)
    .map(([id]) => id);
  return ids.length > 0 ? { kind: "found", ids } : { kind: "none", ids: [], meaningful: true };
}
