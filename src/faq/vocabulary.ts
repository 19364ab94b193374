import { z } from "zod";
import { LOCALES, type Locale, readLocaleFile } from "../i18n.js";

const words = z.array(z.string().trim().min(1));

/**
 * A locale's search vocabulary (locales/<lang>/search.json): data, not code, so that the NGO's
 * writers can add the words their users type. Every list is folded like the FAQ's words (script,
 * look-alike letters, case), and the lists of all locales apply to every query (a Tajik user
 * may type Russian).
 */
const vocabularySchema = z.strictObject({
  /** Words and phrases that carry no meaning on their own ("как", "что", "чӣ", "how", "qanday"). */
  stopWords: words,
  /**
   * Words that negate the next one ("не", "not"): "не платят" is also indexed and searched as one
   * term, so that it finds "зарплату не платят" before "как платить зарплату".
   */
  negations: words,
  /** Word endings cut off so that inflected forms meet (зарплату → зарплат, патентро → патент). */
  suffixes: words,
  /** What users type (colloquial, short, a keyword the FAQ lacks) → words the FAQ uses. */
  synonyms: z.record(z.string().trim().min(1), words.min(1)),
  /** Words too common or too vague to make a result alone: cities, countries, "документ", "work". */
  weak: words,
  /** A message made only of these (and fillers) gets a friendly answer with the menu, not a search. */
  greetings: words.min(1),
  thanks: words.min(1),
  /** Words that go with a greeting or thanks ("большое", "брат", "калон", "so much"). */
  fillers: words,
  /** The answer to thanks. */
  thanksReply: z.string().trim().min(5).max(300),
});

export type SearchVocabulary = z.infer<typeof vocabularySchema>;

/** Parses one locale's search.json; throws with the path of every invalid field. */
export function parseSearchVocabulary(data: unknown, label: string): SearchVocabulary {
  const parsed = vocabularySchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(file)"}: ${issue.message}`).join("; ");
    throw new Error(`${label} is invalid: ${problems}`);
  }
  return parsed.data;
}

export function loadSearchVocabularies(): Record<Locale, SearchVocabulary> {
  return Object.fromEntries(
    LOCALES.map((locale) => [locale, parseSearchVocabulary(readLocaleFile(locale, "search"), `locales/${locale}/search.json`)]),
  ) as Record<Locale, SearchVocabulary>;
}
