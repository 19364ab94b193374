import type { FaqCatalog } from "./catalog.js";

/**
 * Button labels that fit a small phone (issue 14, point 9): a FAQ question's button shows its
 * `short` label (the full question heads the answer), and the request dialog's topic buttons
 * (`topic.*` in locales/<lang>/bot.json) stay short.
 *
 * A FAQ label is measured as a JavaScript string (`.length`, as the schema's max(32) does).
 * A topic label is measured in code points, so that its emoji counts as one character
 * (👨‍👩‍👧 is 5: three people and two joiners).
 */
export const MAX_FAQ_LABEL = 32;
export const MAX_TOPIC_LABEL = 24;

const codePoints = (text: string) => [...text].length;

/** FAQ questions whose `short` label is over MAX_FAQ_LABEL characters (or missing). */
export function faqLabelProblems(catalog: Pick<FaqCatalog, "questions">, label: string): string[] {
  return [...catalog.questions.values()].flatMap((question) => {
    const short: unknown = question.short;
    if (typeof short !== "string" || short.trim() === "") return [`${label} "${question.id}" has no short label`];
    return short.length > MAX_FAQ_LABEL
      ? [`${label} "${question.id}" short has ${short.length} characters (at most ${MAX_FAQ_LABEL}): "${short}"`]
      : [];
  });
}

/** `topic.*` labels of one locale's interface strings that are over MAX_TOPIC_LABEL characters. */
export function topicLabelProblems(messages: unknown, label: string): string[] {
  const topics = (messages as { topic?: unknown } | undefined)?.topic;
  if (typeof topics !== "object" || topics === null) return [];
  return Object.entries(topics).flatMap(([key, text]) =>
    typeof text === "string" && codePoints(text) > MAX_TOPIC_LABEL
      ? [`${label} "topic.${key}" has ${codePoints(text)} characters (at most ${MAX_TOPIC_LABEL}): "${text}"`]
      : [],
  );
}

/** Both checks over every locale; a locale whose file did not load (undefined) is skipped. */
export function labelProblems(
  catalogs: readonly (readonly [string, Pick<FaqCatalog, "questions"> | undefined])[],
  interfaces: readonly (readonly [string, unknown])[],
): string[] {
  return [
    ...catalogs.flatMap(([locale, catalog]) => (catalog ? faqLabelProblems(catalog, `locales/${locale}/faq.json`) : [])),
    ...interfaces.flatMap(([locale, messages]) => topicLabelProblems(messages, `locales/${locale}/bot.json`)),
  ];
}
