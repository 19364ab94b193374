/**
 * `npm run bench:search`: the FAQ search on the evaluation set (test/search-eval/queries.json,
 * and the held-out test/search-eval/holdout.json written after tuning), for MiniSearch (what the
 * bot uses) and the hand-written scoring: hit@1 and hit@3 per group and overall, the share of
 * negatives answered without a FAQ result, greetings and thanks recognised, and the p50/p99
 * search time. `--misses` lists the queries whose first result is wrong.
 */
import { existsSync } from "node:fs";
import { loadFaqCatalogs } from "../src/faq/catalog.js";
import type { EngineName } from "../src/faq/engine.js";
import { EVALUATION_GROUPS, type EvaluationReport, evaluateSearch, loadEvaluationSet, percentile } from "../src/faq/evaluation.js";
import { buildSearchIndexes, searchFaq } from "../src/faq/search.js";
import { loadSearchVocabularies } from "../src/faq/vocabulary.js";
import { projectPath } from "../src/shared/paths.js";

const TIMING_ROUNDS = 20;
const showMisses = process.argv.includes("--misses");
const catalogs = loadFaqCatalogs();
const vocabularies = loadSearchVocabularies();
const sets = [
  { name: "evaluation set", path: projectPath("test/search-eval/queries.json") },
  { name: "held-out set", path: projectPath("test/search-eval/holdout.json") },
].filter((set) => existsSync(set.path));

const percent = (value: number) => `${(value * 100).toFixed(1)}%`.padStart(7);

function print(report: EvaluationReport): void {
  console.log(`  ${"group".padEnd(24)} ${"queries".padStart(7)} ${"hit@1".padStart(7)} ${"hit@3".padStart(7)}`);
  for (const group of EVALUATION_GROUPS) {
    const figures = report.groups[group];
    if (figures.queries === 0) continue;
    const label = group === "negative" ? "negative (no FAQ result)" : group;
    console.log(
      `  ${label.padEnd(24)} ${String(figures.queries).padStart(7)} ${percent(figures.hit1)} ${group === "negative" ? "" : percent(figures.hit3)}`,
    );
  }
  console.log(
    `  ${"overall".padEnd(24)} ${String(report.overall.queries).padStart(7)} ${percent(report.overall.hit1)} ${percent(report.overall.hit3)}`,
  );
  console.log(
    `  negatives without a FAQ result: ${percent(report.negativesWithoutResults).trim()}; greetings and thanks recognised: ${report.friendly.recognised}/${report.friendly.expected}`,
  );
  if (report.timings.length > 0) {
    console.log(
      `  search time: p50 ${percentile(report.timings, 0.5).toFixed(3)} ms, p99 ${percentile(report.timings, 0.99).toFixed(3)} ms, max ${report.timings.at(-1)!.toFixed(3)} ms (${report.timings.length} searches)`,
    );
  }
  if (showMisses) {
    for (const { query, got } of report.misses)
      console.log(
        `    miss [${query.group} ${query.locale}] "${query.q}" → ${got.kind} ${got.ids.slice(0, 3).join(", ")} (want ${query.ids.join(", ") || query.expect || "nothing"})`,
      );
  }
}

for (const engine of ["minisearch", "scored"] as EngineName[]) {
  const started = performance.now();
  const indexes = buildSearchIndexes(catalogs, vocabularies, engine);
  const built = performance.now() - started;
  console.log(
    `\n${engine === "minisearch" ? "MiniSearch (used by the bot)" : "hand-written scoring"}: index built in ${built.toFixed(0)} ms`,
  );
  for (const set of sets) {
    const queries = loadEvaluationSet(set.path, catalogs.en);
    console.log(` ${set.name} (${queries.length} queries):`);
    print(evaluateSearch(queries, (locale, query) => searchFaq(indexes[locale], query), TIMING_ROUNDS));
  }
}
