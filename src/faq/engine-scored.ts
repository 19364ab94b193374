import { type QueryPosition, termFuzziness } from "./analyze.js";
import {
  type EngineMatch,
  FIELD_BOOST,
  PositionScores,
  SEARCH_FIELDS,
  type SearchDocument,
  type SearchEngine,
  searchesDocument,
} from "./engine.js";

/** How much a match counts by its kind. */
const EXACT = 1;
const PREFIX = 0.7;
const FUZZY = 0.55;
/** Prefix matching (either way) only when the shorter term has at least this many letters. */
const MIN_PREFIX_LENGTH = 4;

/** Levenshtein distance, or `max + 1` as soon as it is certainly above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The hand-written variant: an inverted index of terms, each with its weight per document (the
 * best field's boost, saturated by how often it occurs) and an inverse document frequency;
 * a query position scores the best of its terms' exact, prefix (both ways) or fuzzy matches.
 */
export function scoredEngine(documents: SearchDocument[]): SearchEngine {
  const postings = new Map<string, Map<string, number>>();
  for (const document of documents) {
    for (const field of SEARCH_FIELDS) {
      const counts = new Map<string, number>();
      for (const term of document.terms[field]) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, count] of counts) {
        const weight = FIELD_BOOST[field] * (1 + Math.log(count));
        const byDocument = postings.get(term) ?? new Map<string, number>();
        postings.set(term, byDocument);
        byDocument.set(document.key, Math.max(byDocument.get(document.key) ?? 0, weight));
      }
    }
  }
  const total = documents.length;
  const idf = new Map([...postings].map(([term, byDocument]) => [term, Math.log(1 + total / byDocument.size)]));
  const vocabulary = [...postings.keys()].sort();
  /** Index terms by length, for typo matching (only lengths within the distance can match). */
  const byLength = new Map<number, string[]>();
  for (const term of vocabulary) byLength.set(term.length, [...(byLength.get(term.length) ?? []), term]);

  /** The first index in the sorted vocabulary of a term at or after `text`. */
  const lowerBound = (text: string) => {
    let low = 0;
    let high = vocabulary.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (vocabulary[middle]! < text) low = middle + 1;
      else high = middle;
    }
    return low;
  };

  /** Index terms that match a query term, each with the weight of the kind of match. */
  const matchesOf = (term: string, fuzzy: number): [string, number][] => {
    const found = new Map<string, number>();
    if (postings.has(term)) found.set(term, EXACT);
    if (term.length >= MIN_PREFIX_LENGTH) {
      // Index terms that begin with the query term…
      for (let at = lowerBound(term); at < vocabulary.length && vocabulary[at]!.startsWith(term); at++)
        if (vocabulary[at] !== term) found.set(vocabulary[at]!, PREFIX);
      // …and index terms the query term begins with ("патентамро" → "патент").
      for (let length = MIN_PREFIX_LENGTH; length < term.length; length++) {
        const start = term.slice(0, length);
        if (postings.has(start) && !found.has(start)) found.set(start, PREFIX);
      }
    }
    if (fuzzy > 0) {
      for (let length = term.length - fuzzy; length <= term.length + fuzzy; length++) {
        for (const candidate of byLength.get(length) ?? []) {
          if (!found.has(candidate) && editDistance(term, candidate, fuzzy) <= fuzzy) found.set(candidate, FUZZY);
        }
      }
    }
    return [...found];
  };

  const byKey = new Map(documents.map((document) => [document.key, document]));
  return {
    name: "scored",
    search(positions: QueryPosition[]): EngineMatch[] {
      const scores = new PositionScores(positions.length);
      positions.forEach((position, index) => {
        for (const term of position.terms) {
          for (const [candidate, kind] of matchesOf(term, termFuzziness(position, term))) {
            const weight = kind * idf.get(candidate)! * position.weights.get(term)!;
            for (const [key, fieldWeight] of postings.get(candidate)!) {
              if (searchesDocument(position, byKey.get(key)!))
                scores.add(key, index, weight * fieldWeight, kind !== FUZZY && !position.short.has(term));
            }
          }
        }
      });
      return scores.matches();
    },
  };
}
