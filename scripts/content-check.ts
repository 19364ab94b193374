/** `npm run content:check`: validates every content file; exits 1 and lists the problems if any. */
import { checkContent } from "../src/content-check.js";
import { loadFaqCatalogs } from "../src/faq/catalog.js";

const problems = checkContent();
if (problems.length > 0) {
  console.error(`Content check failed (${problems.length}):\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  process.exit(1);
}
const catalogs = Object.entries(loadFaqCatalogs());
const questions = catalogs.map(([locale, catalog]) => `${locale} ${catalog.questions.size}`).join(", ");
console.log(`Content check passed: ${catalogs.length} locales, FAQ questions per locale: ${questions}.`);
