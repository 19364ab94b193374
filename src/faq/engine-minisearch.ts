import MiniSearch from "minisearch";
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

/** Prefix matching only for terms at least this long ("зарпл" finds "зарплат"). */
const MIN_PREFIX_LENGTH = 4;

/**
 * MiniSearch (BM25 with field boosts, prefix and fuzzy matching on a radix tree) over terms
 * that the shared analyzer made: MiniSearch's own tokenizer and term processing are bypassed.
 */
export function miniSearchEngine(documents: SearchDocument[]): SearchEngine {
  const miniSearch = new MiniSearch<{ id: string } & Record<string, string>>({
    fields: SEARCH_FIELDS,
    tokenize: (text) => (text === "" ? [] : text.split(" ")),
    processTerm: (term) => term,
  });
  miniSearch.addAll(
    documents.map((document) => ({
      id: document.key,
      ...Object.fromEntries(SEARCH_FIELDS.map((field) => [field, document.terms[field].join(" ")])),
    })),
  );
  const byKey = new Map(documents.map((document) => [document.key, document]));
  return {
    name: "minisearch",
    search(positions: QueryPosition[]): EngineMatch[] {
      const scores = new PositionScores(positions.length);
      positions.forEach((position, index) => {
        for (const term of position.terms) {
          const results = miniSearch.search(term, {
            boost: FIELD_BOOST,
            prefix: term.length >= MIN_PREFIX_LENGTH,
            fuzzy: termFuzziness(position, term),
            tokenize: (text) => [text],
            processTerm: (text) => text,
            filter: (result) => searchesDocument(position, byKey.get(String(result.id))!),
          });
          for (const result of results)
            scores.add(
              String(result.id),
              index,
              result.score * position.weights.get(term)!,
              !position.short.has(term) && result.terms.some((found) => found.startsWith(term)),
            );
        }
      });
      return scores.matches();
    },
  };
}
