import type { Locale } from "../i18n.js";
import type { QueryPosition } from "./analyze.js";

/** The parts of a FAQ question that are searched, and how much a word in each counts. */
export const FIELD_BOOST = { question: 3, keywords: 3, category: 1, answer: 1 } as const;
export type SearchField = keyof typeof FIELD_BOOST;
export const SEARCH_FIELDS = Object.keys(FIELD_BOOST) as SearchField[];

/** One question in one locale, already turned into terms (see TextAnalyzer.documentTerms). */
export interface SearchDocument {
  /** "ru:wages-not-paid" */
  key: string;
  locale: Locale;
  questionId: string;
  terms: Record<SearchField, string[]>;
}

/**
 * How well one document matches each position of the query: a score (0: not at all), and
 * whether the match is firm (the term itself or a word it begins) rather than only a typo away.
 */
export interface EngineMatch {
  key: string;
  positionScores: number[];
  firm: boolean[];
}

/** Collects the best score of each position per document. */
export class PositionScores {
  private readonly byKey = new Map<string, EngineMatch>();

  constructor(private readonly positions: number) {}

  add(key: string, position: number, score: number, firm: boolean): void {
    let match = this.byKey.get(key);
    if (!match)
      this.byKey.set(
        key,
        (match = { key, positionScores: new Array<number>(this.positions).fill(0), firm: new Array<boolean>(this.positions).fill(false) }),
      );
    if (score > match.positionScores[position]!) match.positionScores[position] = score;
    if (firm) match.firm[position] = true;
  }

  matches(): EngineMatch[] {
    return [...this.byKey.values()];
  }
}

/** Words typed in Cyrillic are not looked for in the locales written in Latin (English, Uzbek Latin). */
export function searchesDocument(position: QueryPosition, document: SearchDocument): boolean {
  return !position.cyrillic || !LATIN_LOCALES.has(document.locale);
}

const LATIN_LOCALES = new Set<string>(["en", "uz-Latn"]);

/** Scores documents for the positions of a query (the ranking rules on top are shared). */
export interface SearchEngine {
  readonly name: string;
  search(positions: QueryPosition[]): EngineMatch[];
}

export type EngineName = "minisearch" | "scored";
