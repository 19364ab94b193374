import { z } from "zod";

/**
 * One glossary per language (locales/<lang>/glossary.json): for each recurring term, the one
 * form to use and the forms that must not appear in what users read.
 *
 * A forbidden `form` matches case-insensitively at the start of a word (so "полис" also catches
 * "полиси", and "жумуш берүүчү" catches "жумуш берүүчүнүн"); with `wholeWord: true` it matches only
 * the whole word. A forbidden `pattern` is a regular expression (Unicode; case-sensitive unless
 * `ignoreCase: true`) for what a plain form cannot say, e.g. a capital "Вы" inside a sentence.
 */
const forbiddenSchema = z.union([
  z.strictObject({ form: z.string().trim().min(2), wholeWord: z.boolean().optional(), why: z.string().optional() }),
  z.strictObject({
    pattern: z
      .string()
      .min(2)
      .refine(
        (source) => {
          try {
            new RegExp(source, "u");
            return true;
          } catch {
            return false;
          }
        },
        { error: "is not a valid regular expression" },
      ),
    ignoreCase: z.boolean().optional(),
    why: z.string().optional(),
  }),
]);

const glossarySchema = z.object({
  $comment: z.string().optional(),
  terms: z
    .array(
      z.strictObject({
        term: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
        preferred: z.string().trim().min(2),
        note: z.string().optional(),
        forbidden: z.array(forbiddenSchema),
      }),
    )
    .min(1),
});

export type Glossary = z.infer<typeof glossarySchema>;

/** The terms every locale's glossary must define (issue 12, point 15). */
export const REQUIRED_TERMS = [
  "hotline",
  "police",
  "detention",
  "registration",
  "controlled-persons-register",
  "iom",
  "ilo",
  "employer",
  "telegram",
] as const;

export function parseGlossary(data: unknown, label: string): Glossary {
  const parsed = glossarySchema.safeParse(data);
  if (!parsed.success) {
    throw new Error(`${label} is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
  }
  const glossary = parsed.data;
  const defined = new Set(glossary.terms.map((term) => term.term));
  const missing = REQUIRED_TERMS.filter((term) => !defined.has(term));
  if (missing.length > 0) throw new Error(`${label} lacks the terms ${missing.join(", ")}`);
  return glossary;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface Rule {
  term: string;
  preferred: string;
  shown: string;
  why?: string;
  regexp: RegExp;
}

function rulesOf(glossary: Glossary): Rule[] {
  return glossary.terms.flatMap((term) =>
    term.forbidden.map((forbidden) => {
      const regexp =
        "form" in forbidden
          ? new RegExp(
              `(?<![\\p{L}\\p{N}])${escapeRegExp(forbidden.form.normalize("NFC"))}${forbidden.wholeWord ? "(?![\\p{L}\\p{N}])" : ""}`,
              "giu",
            )
          : new RegExp(forbidden.pattern, forbidden.ignoreCase ? "giu" : "gu");
      return {
        term: term.term,
        preferred: term.preferred,
        shown: "form" in forbidden ? forbidden.form : `/${forbidden.pattern}/`,
        why: forbidden.why,
        regexp,
      };
    }),
  );
}

/** Where a forbidden form appears in the given texts: one line per occurrence, with the preferred form. */
export function glossaryViolations(glossary: Glossary, texts: { where: string; text: string }[]): string[] {
  const rules = rulesOf(glossary);
  const problems: string[] = [];
  for (const { where, text } of texts) {
    const normalized = text.normalize("NFC");
    for (const rule of rules) {
      for (const match of normalized.matchAll(rule.regexp)) {
        const start = Math.max(0, match.index - 20);
        const context = normalized.slice(start, match.index + match[0].length + 20).replace(/\n/g, " ");
        problems.push(
          `${where}: "${match[0]}" (${rule.term}: use "${rule.preferred}"${rule.why ? `; ${rule.why}` : ""}) in "…${context}…"`,
        );
      }
    }
  }
  return problems;
}

/** Forbidden forms that catch the glossary's own preferred form: such a glossary contradicts itself. */
export function glossaryContradictions(glossary: Glossary, label: string): string[] {
  return rulesOf(glossary)
    .filter((rule) => new RegExp(rule.regexp.source, rule.regexp.flags.replace("g", "")).test(rule.preferred.normalize("NFC")))
    .map((rule) => `${label}: term "${rule.term}" forbids ${rule.shown}, which matches its preferred form "${rule.preferred}"`);
}
