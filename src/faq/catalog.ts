import { DateTime } from "luxon";
import { z } from "zod";
import { LOCALES, type Locale, readLocaleFile } from "../i18n.js";
import { CITIZENSHIP_GROUPS, type CitizenshipGroup } from "../users/citizenship.js";

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: "must be lowercase-kebab-case" });

/** Placeholders an answer may contain, filled by renderAnswer. */
export const ANSWER_PLACEHOLDERS = ["hotlineHours"] as const;
export type AnswerValues = Record<(typeof ANSWER_PLACEHOLDERS)[number], string>;

const answerText = z.string().trim().min(20).max(1500);

const questionSchema = z.object({
  id: slug.max(40),
  question: z.string().trim().min(5),
  /** The FAQ button label (the full question heads the answer). */
  short: z.string().trim().min(2).max(32),
  /** The general answer: shown when the user's citizenship is unknown or has no variant; spells out the differences. */
  answer: answerText,
  /** Answers for one citizenship group, shown instead of `answer` to users of that group. */
  variants: z
    .strictObject({ patent: answerText.optional(), eaeu: answerText.optional() })
    .refine((variants) => Object.keys(variants).length > 0, { error: "must have at least one variant (or be left out)" })
    .optional(),
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

/** The answer for a user of this citizenship group: their variant if the question has one, else the general answer. */
export function answerFor(question: Pick<FaqQuestion, "answer" | "variants">, group: CitizenshipGroup | undefined): string {
  return (group && question.variants?.[group]) || question.answer;
}

/** Fills an answer's placeholders ({{hotlineHours}}); pure, no escaping (the caller escapes for HTML). */
export function renderAnswer(text: string, values: AnswerValues): string {
  return text.replace(/{{\s*(\w+)\s*}}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name as keyof AnswerValues] : whole,
  );
}

/** The placeholders in a text, sorted and without repeats, e.g. ["hotlineHours"]. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(/{{\s*([\w.]+)\s*}}/g)].map((match) => match[1]!))].sort();
}

/** Every text of a question that users read, with a label: question, answer, answer for each variant. */
export function questionTexts(question: FaqQuestion): { field: string; text: string }[] {
  return [
    { field: "question", text: question.question },
    { field: "short", text: question.short },
    { field: "answer", text: question.answer },
    ...CITIZENSHIP_GROUPS.flatMap((group) => {
      const text = question.variants?.[group];
      return text === undefined ? [] : [{ field: `variants.${group}`, text }];
    }),
  ];
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

const variantKeys = (question: FaqQuestion) => CITIZENSHIP_GROUPS.filter((group) => question.variants?.[group] !== undefined);

/**
 * Differences between locales that must not exist: every locale has the same categories and
 * questions in the same order, the same "volatile" flags, the same citizenship variants, and the
 * same placeholders in each answer and variant (only known placeholders allowed).
 */
export function compareCatalogs(reference: FaqCatalog, other: FaqCatalog, label: string): string[] {
  const shape = (catalog: FaqCatalog) =>
    catalog.categories.map((category) => `${category.id}[${category.questions.map((q) => `${q.id}${q.volatile ? "!" : ""}`).join(",")}]`);
  const expected = shape(reference);
  const actual = shape(other);
  const problems = expected
    .map((entry, index) => (actual[index] === entry ? undefined : `${label}: expected ${entry}, found ${actual[index] ?? "nothing"}`))
    .concat(actual.length > expected.length ? [`${label}: has extra categories ${actual.slice(expected.length).join(" ")}`] : [])
    .filter((problem): problem is string => problem !== undefined);

  for (const [id, mine] of other.questions) {
    const theirs = reference.questions.get(id);
    if (!theirs) continue; // already reported by the shape
    const want = variantKeys(theirs).join(",");
    const have = variantKeys(mine).join(",");
    if (want !== have) problems.push(`${label}: "${id}" has variants [${have}], the other locales [${want}]`);
    const referenceTexts = new Map(questionTexts(theirs).map(({ field, text }) => [field, text]));
    for (const { field, text } of questionTexts(mine)) {
      const expectedText = referenceTexts.get(field);
      if (expectedText === undefined) continue;
      const found = placeholdersIn(text).join(" ");
      const wanted = placeholdersIn(expectedText).join(" ");
      if (found !== wanted) problems.push(`${label}: "${id}" ${field} has placeholders [${found}], the other locales [${wanted}]`);
    }
  }
  return problems;
}

/** Placeholders in one catalog that renderAnswer cannot fill, or that appear where nothing fills them. */
export function unknownPlaceholders(catalog: FaqCatalog, label: string): string[] {
  const known = new Set<string>(ANSWER_PLACEHOLDERS);
  const problems: string[] = [];
  for (const category of catalog.categories) {
    if (placeholdersIn(category.title).length > 0) problems.push(`${label}: category "${category.id}" title has a placeholder`);
  }
  for (const question of catalog.questions.values()) {
    for (const { field, text } of questionTexts(question)) {
      const names = placeholdersIn(text);
      if (field === "question" && names.length > 0) problems.push(`${label}: "${question.id}" question has a placeholder`);
      for (const name of names.filter((name) => !known.has(name)))
        problems.push(`${label}: "${question.id}" ${field} has an unknown placeholder {{${name}}}`);
    }
  }
  return problems;
}

export function loadFaqCatalogs(): Record<Locale, FaqCatalog> {
  return Object.fromEntries(
    LOCALES.map((locale) => [locale, parseFaqCatalog(readLocaleFile(locale, "faq"), `locales/${locale}/faq.json`)]),
  ) as Record<Locale, FaqCatalog>;
}
