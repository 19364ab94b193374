import { readFileSync } from "node:fs";
import { z } from "zod";
import { isLocale, type Locale } from "../i18n.js";
import type { FaqCatalog } from "./catalog.js";
import type { FaqSearchResult } from "./search.js";

/** The groups of the evaluation set (test/search-eval/queries.json). */
export const EVALUATION_GROUPS = ["native", "colloquial", "typo", "lookalike", "latin", "cross", "negative"] as const;
export type EvaluationGroup = (typeof EVALUATION_GROUPS)[number];

const querySchema = z.strictObject({
  locale: z.string().refine(isLocale, { error: "must be a locale" }),
  group: z.enum(EVALUATION_GROUPS),
  q: z.string().min(1),
  /** Question ids any of which answers the query; empty for negatives. */
  ids: z.array(z.string()),
  /** For negatives: the friendly answer expected instead of a search. */
  expect: z.enum(["greeting", "thanks"]).optional(),
});
const setSchema = z.strictObject({ about: z.string(), queries: z.array(querySchema).min(1) });

export type EvaluationQuery = z.infer<typeof querySchema> & { locale: Locale };

/** Reads an evaluation set and checks that every id exists and that negatives have none. */
export function loadEvaluationSet(path: string, catalog: FaqCatalog): EvaluationQuery[] {
  const parsed = setSchema.parse(JSON.parse(readFileSync(path, "utf8")));
  const problems = parsed.queries.flatMap((query) => [
    ...query.ids.filter((id) => !catalog.questions.has(id)).map((id) => `"${query.q}": no question "${id}"`),
    ...(query.group === "negative" && query.ids.length > 0 ? [`"${query.q}": a negative has ids`] : []),
    ...(query.group !== "negative" && query.ids.length === 0 ? [`"${query.q}": no ids`] : []),
  ]);
  if (problems.length > 0) throw new Error(`${path}: ${problems.join("; ")}`);
  return parsed.queries as EvaluationQuery[];
}

export interface GroupFigures {
  queries: number;
  /** Share of queries whose first result answers them (for negatives: without any result). */
  hit1: number;
  hit3: number;
}

export interface EvaluationReport {
  groups: Record<EvaluationGroup, GroupFigures>;
  /** Over every query that has an answer (negatives apart). */
  overall: GroupFigures;
  /** Share of negatives answered with no FAQ result. */
  negativesWithoutResults: number;
  /** Greetings and thanks recognised as such, of those expected. */
  friendly: { expected: number; recognised: number };
  misses: { query: EvaluationQuery; got: FaqSearchResult }[];
  /** Search times in milliseconds, sorted (when measured). */
  timings: number[];
}

/** Runs every query (`rounds` times when measuring time) and counts hits. */
export function evaluateSearch(
  queries: EvaluationQuery[],
  search: (locale: Locale, query: string) => FaqSearchResult,
  rounds = 0,
): EvaluationReport {
  const tally = new Map<EvaluationGroup, { n: number; hit1: number; hit3: number }>(
    EVALUATION_GROUPS.map((group) => [group, { n: 0, hit1: 0, hit3: 0 }]),
  );
  const overall = { n: 0, hit1: 0, hit3: 0 };
  const friendly = { expected: 0, recognised: 0 };
  const misses: EvaluationReport["misses"] = [];
  for (const query of queries) {
    const got = search(query.locale, query.q);
    const counts = tally.get(query.group)!;
    counts.n++;
    if (query.group === "negative") {
      const empty = got.ids.length === 0;
      if (empty) {
        counts.hit1++;
        counts.hit3++;
      }
      if (query.expect) {
        friendly.expected++;
        if (got.kind === query.expect) friendly.recognised++;
      }
      if (!empty || (query.expect && got.kind !== query.expect)) misses.push({ query, got });
      continue;
    }
    const first = query.ids.includes(got.ids[0] ?? "");
    const top3 = got.ids.slice(0, 3).some((id) => query.ids.includes(id));
    overall.n++;
    if (first) {
      counts.hit1++;
      overall.hit1++;
    }
    if (top3) {
      counts.hit3++;
      overall.hit3++;
    }
    if (!first) misses.push({ query, got });
  }
  const figures = ({ n, hit1, hit3 }: { n: number; hit1: number; hit3: number }): GroupFigures => ({
    queries: n,
    hit1: n ? hit1 / n : 1,
    hit3: n ? hit3 / n : 1,
  });
  const timings: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const query of queries) {
      const start = performance.now();
      search(query.locale, query.q);
      timings.push(performance.now() - start);
    }
  }
  timings.sort((a, b) => a - b);
  const negatives = tally.get("negative")!;
  return {
    groups: Object.fromEntries([...tally].map(([group, counts]) => [group, figures(counts)])) as Record<EvaluationGroup, GroupFigures>,
    overall: figures(overall),
    negativesWithoutResults: negatives.n ? negatives.hit1 / negatives.n : 1,
    friendly,
    misses,
    timings,
  };
}

/** The value below which `share` of the sorted values lie. */
export function percentile(sorted: number[], share: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}
