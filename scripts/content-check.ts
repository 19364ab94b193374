/**
 * `npm run content:check`: validates every content file; exits 1 and lists the problems if any.
 * Glossary forms found in locales/<lang>/bot.json are listed as warnings and do not fail the check.
 */
import { checkBotGlossary, checkContent } from "../src/content-check.js";
import { loadFaqCatalogs } from "../src/faq/catalog.js";
import { CITIZENSHIP_GROUPS } from "../src/users/citizenship.js";

const warnings = checkBotGlossary();
if (warnings.length > 0) {
  console.warn(
    `Glossary warnings in interface strings (${warnings.length}), not failing:\n${warnings.map((warning) => `  - ${warning}`).join("\n")}`,
  );
}
const problems = checkContent();
if (problems.length > 0) {
  console.error(`Content check failed (${problems.length}):\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  process.exit(1);
}
const catalogs = Object.entries(loadFaqCatalogs());
const questions = catalogs.map(([locale, catalog]) => `${locale} ${catalog.questions.size}`).join(", ");
const variants = catalogs
  .map(([locale, catalog]) => {
    const count = (group: (typeof CITIZENSHIP_GROUPS)[number]) => [...catalog.questions.values()].filter((q) => q.variants?.[group]).length;
    return `${locale} ${CITIZENSHIP_GROUPS.map((group) => `${group} ${count(group)}`).join("/")}`;
  })
  .join(", ");
console.log(`Content check passed: ${catalogs.length} locales, FAQ questions per locale: ${questions}; citizenship variants: ${variants}.`);
