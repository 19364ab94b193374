import { defineConfig } from "vitest/config";
import ProgramsFirst from "./test/helpers/sequencer.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    // Two workers on a two-core machine: the suite is mostly waiting on SQLite and child processes.
    maxWorkers: 2,
    // Files share a worker's loaded modules instead of importing the whole app afresh each time
    // (about 20 s of the suite). Safe because nothing in src/ keeps state at module level: every
    // test builds its own bot, SQLite file and clock through useHarness(), and fake timers are
    // switched back off after each test that uses them.
    isolate: false,
    sequence: { sequencer: ProgramsFirst },
    hookTimeout: 30_000,
    // The JSON report lets CI print a one-line summary.
    reporters: ["default", ["json", { outputFile: "data/test-results.json" }]],
    // On with `vitest run --coverage` (npm test), so that a single test file can run without it.
    coverage: {
      provider: "v8",
      include: ["src/**"],
      // The sandbox's page is HTML served as it is, not code run by the tests' Node.
      exclude: ["src/generated/**", "src/sandbox/page/**"],
      // The summary printed at the end, and coverage/coverage-summary.json for tools.
      reporter: ["text-summary", "json-summary"],
      // Printed also when a test fails, so that CI always shows the figures.
      reportOnFailure: true,
      thresholds: {
        lines: 90,
        branches: 80,
      },
    },
  },
});
