import { DateTime } from "luxon";
import { z } from "zod";
import { LOCALES, readLocaleFile, type Locale } from "../i18n.js";

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: "must be lowercase-kebab-case" });

const questionSchema = z.object({
  id: slug.max(40),
  question: z.string().trim().min(5),
  answer: z.string().trim().min(20).max(1500),
  keywords: z.array(z.string().trim().min(2)).min(1),
  reviewed: z.string().refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid, {
    error: 'must be a date "YYYY-MM-DD"',
  }),
  volatile: z.boolean(),
  sources: z.array(z.string().min(3)).min(1),
});

const catalogSchema = z.object({
  categories: z
    .array(z.object({ id: slug.max(30), title: z.string().trim().min(2).max(40), questions: z.array(questionSchema).min(1) }))
    .min(1),
});

export type FaqQuestion = z.infer<typeof questionSchema> & { categoryId: string };
export type FaqCategory = { id: string; title: string; questions: FaqQuestion[] };

export interface FaqCatalog {
  categories: FaqCategory[];
  questions: Map<string, FaqQuestion>;
}

/** Parses one locale's FAQ data; throws with the path of every invalid field. */
export function parseFaqCatalog(data: unknown, label: string): FaqCatalog {
  const parsed = catalogSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`FAQ ${label} is invalid: ${problems}`);
  }
  const categories = parsed.data.categories.map((category) => ({
    ...category,
    questions: category.questions.map((question) => ({ ...question, categoryId: category.id })),
  }));
  const questions = new Map<string, FaqQuestion>();
  for (const question of categories.flatMap((category) => category.questions)) {
    if (questions.has(question.id)) throw new Error(`FAQ ${label}: question id "${question.id}" is used twice`);
    questions.set(question.id, question);
  }
  return { categories, questions };
}

/**
 * Differences between locales that must not exist: every locale has the same categories and
 * questions in the same order, and the same "volatile" flags.
 */
export function compareCatalogs(reference: FaqCatalog, other: FaqCatalog, label: string): string[] {
  const shape = (catalog: FaqCatalog) =>
    catalog.categories.map((category) => `${category.id}[${category.questions.map((q) => `${q.id}${q.volatile ? "!" : ""}`).join(",")}]`);
  const expected = shape(reference);
  const actual = shape(other);
  return expected
    .map((entry, index) => (actual[index] === entry ? undefined : `${label}: expected ${entry}, found ${actual[index] ?? "nothing"}`))
    .concat(actual.length > expected.length ? [`${label}: has extra categories ${actual.slice(expected.length).join(" ")}`] : [])
    .filter((problem): problem is string => problem !== undefined);
}

export function loadFaqCatalogs(): Record<Locale, FaqCatalog> {
  return Object.fromEntries(
    LOCALES.map((locale) => [locale, parseFaqCatalog(readLocaleFile(locale, "faq"), `locales/${locale}/faq.json`)]),
  ) as Record<Locale, FaqCatalog>;
}
