import { readFileSync } from "node:fs";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** A test file that starts other programs (the Prisma CLI, the built bot, npm, Chromium). */
const runsPrograms = (file: string) => /from "(node:child_process|playwright-core)"|startBuiltBot\(/.test(readFileSync(file, "utf8"));

/**
 * Files that start other programs run first: they are the longest and wait on their children,
 * and the short in-process files fill the end of the run on both workers. Without it, a fresh
 * clone (no timings of an earlier run) may start a 10-second file last. Otherwise vitest's order.
 */
export default class ProgramsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = sorted.filter((file) => runsPrograms(file.moduleId));
    return [...first, ...sorted.filter((file) => !first.includes(file))];
  }
}
