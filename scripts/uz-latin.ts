/**
 * Writes locales/uz-Latn/ (bot.json, faq.json, search.json) from locales/uz/ in Uzbek Latin
 * (src/faq/uz-latin.ts: the official correspondence and its exceptions). Run it after every
 * change to locales/uz/; never edit locales/uz-Latn/ by hand: `npm run content:check` and the
 * tests fail while the two differ.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { expectedUzLatinFiles } from "../src/faq/uz-latin.js";
import { projectPath } from "../src/shared/paths.js";

for (const { path, content } of expectedUzLatinFiles()) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`wrote ${relative(projectPath(), path)}`);
}
