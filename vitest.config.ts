import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The JSON report lets CI print a one-line summary.
    reporters: ["default", ["json", { outputFile: "data/test-results.json" }]],
    // On with `vitest run --coverage` (npm test), so that a single test file can run without it.
    coverage: {
      provider: "v8",
      include: ["src/**"],
      exclude: ["src/generated/**"],
      // The summary printed at the end, and coverage/coverage-summary.json for tools.
      reporter: ["text-summary", "json-summary"],
      // Printed also when a test fails, so that CI always shows the figures.
      reportOnFailure: true,
      thresholds: {
        lines: 90,
        // What the suite reaches today, rounded down (77.1 % at 071c509, 76.2 % in the tree being
        // restructured on 2026-12-01); to be raised to 80 once the tests cover more branches.
        branches: 76,
      },
    },
  },
});
