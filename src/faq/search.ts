import type { FaqCatalog } from "./catalog.js";

/** Letters that users type with a Russian look-alike (Tajik ғ→г …) or that Kyrgyz/Uzbek add. */
const LOOKALIKES: Record<string, string> = { ғ: "г", қ: "к", ҳ: "х", ҷ: "ч", ө: "о", ү: "у", ң: "н" };

/**
 * Folds text for matching only (never for display): NFC first (decomposed ӣ/ӯ arrive too),
 * lower case, diacritics dropped (ӣ→и, ӯ→у, ё→е, й→и, ў→у), Tajik/Kyrgyz letters folded to
 * their Russian look-alikes, and Uzbek Latin apostrophes (ʻ ‘ ’ ' `) removed.
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

/** Words are cut to a stem so that inflected forms meet (регистрация / регистрацию, wage / wages). */
const STEM_LENGTH = 6;
const MIN_WORD_LENGTH = 3;

function stems(text: string): string[] {
  return normalizeForSearch(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= MIN_WORD_LENGTH)
    .map((word) => word.slice(0, STEM_LENGTH));
}

function stemsMatch(a: string, b: string): boolean {
  return a === b || (a.length >= 4 && b.startsWith(a)) || (b.length >= 4 && a.startsWith(b));
}

/** How much a word counts depending on where in a question it stands. */
const FIELD_WEIGHT = { question: 3, keywords: 3, category: 1, answer: 1 } as const;
/** A result must score at least this much, and at least this share of the best result. */
const MIN_SCORE = 2;
const MIN_SHARE_OF_BEST = 0.35;

interface IndexedQuestion {
  id: string;
  /** stem → weight of the most important field it appears in */
  weights: Map<string, number>;
}

export interface FaqSearchIndex {
  questions: IndexedQuestion[];
  /** stem → number of questions containing it */
  documentFrequency: Map<string, number>;
}

export function buildSearchIndex(catalog: FaqCatalog): FaqSearchIndex {
  const questions = catalog.categories.flatMap((category) =>
    category.questions.map((question) => {
      const weights = new Map<string, number>();
      const add = (text: string, weight: number) => {
        for (const stem of stems(text)) weights.set(stem, Math.max(weights.get(stem) ?? 0, weight));
      };
      add(question.answer, FIELD_WEIGHT.answer);
      add(category.title, FIELD_WEIGHT.category);
      add(question.keywords.join(" "), FIELD_WEIGHT.keywords);
      add(question.question, FIELD_WEIGHT.question);
      return { id: question.id, weights };
    }),
  );
  const documentFrequency = new Map<string, number>();
  for (const question of questions) {
    for (const stem of question.weights.keys()) documentFrequency.set(stem, (documentFrequency.get(stem) ?? 0) + 1);
  }
  return { questions, documentFrequency };
}

/** Whether the text has at least one word long enough to search for. */
export function isSearchable(query: string): boolean {
  return stems(query).length > 0;
}

/** The ids of the questions that best answer `query`, best first (at most `limit`). */
export function searchFaq(index: FaqSearchIndex, query: string, limit = 5): string[] {
  const queryStems = [...new Set(stems(query))];
  if (queryStems.length === 0) return [];
  const total = index.questions.length;
  const scored = index.questions
    .map((question) => {
      let score = 0;
      for (const queryStem of queryStems) {
        let best = 0;
        for (const [stem, weight] of question.weights) {
          if (!stemsMatch(queryStem, stem)) continue;
          best = Math.max(best, weight * Math.log(1 + total / (index.documentFrequency.get(stem) ?? 1)));
        }
        score += best;
      }
      return { id: question.id, score };
    })
    .filter((result) => result.score >= MIN_SCORE)
    .sort((a, b) => b.score - a.score);
  const cutoff = (scored[0]?.score ?? 0) * MIN_SHARE_OF_BEST;
  return scored
    .filter((result) => result.score >= cutoff)
    .slice(0, limit)
    .map((result) => result.id);
}
