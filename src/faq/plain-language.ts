/**
 * Plain-language limits for FAQ answers (issue 12, point 16): short answers, short sentences.
 *
 * Sentences: every line is split on its own (a line break always ends a sentence, so each
 * bullet line "• …" counts as at least one sentence); within a line, a sentence ends at
 * . ! ? or … (and any closing quote or bracket after it) followed by a space and a capital
 * letter, an opening quote or bracket. A full stop before a digit or a small letter does not end
 * a sentence ("ст. 24.2", "art. 136", "mehnat.tj").
 *
 * Words: runs of characters between spaces that contain a letter or a digit; a phone number
 * written in groups ("+992 918 85 34 34") is one word, and so is a placeholder ({{hotlineHours}}).
 */
export const MAX_ANSWER_CHARS = 700;
export const MAX_SENTENCE_WORDS = 20;

/** What a placeholder stands for when an answer's length is measured (the longest value expected). */
const PLACEHOLDER_LENGTH = 80;

const SENTENCE_END = /(?<=[.!?…]["»”’)]*)\s+(?=["«“„(]?\p{Lu})/u;
const BULLET = /^\s*[•\-–—*]\s+/;

export function splitSentences(text: string): string[] {
  return text
    .normalize("NFC")
    .split("\n")
    .map((line) => line.replace(BULLET, "").trim())
    .filter((line) => line !== "")
    .flatMap((line) => line.split(SENTENCE_END))
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== "");
}

export function countWords(sentence: string): number {
  return sentence
    .replace(/{{\s*[\w.]+\s*}}/g, "placeholder")
    .replace(/\+?\d+(?:[ \u00a0-]\d+)+/g, "0") // phone numbers and grouped figures: one word
    .split(/\s+/)
    .filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

/** The length a reader sees, with each placeholder counted at its longest expected value. */
export function displayedLength(text: string): number {
  return text.trim().replace(/{{\s*[\w.]+\s*}}/g, "x".repeat(PLACEHOLDER_LENGTH)).length;
}

/** Problems with one answer text: too long, or sentences with too many words (each quoted). */
export function plainLanguageProblems(text: string, label: string): string[] {
  const problems: string[] = [];
  const length = displayedLength(text);
  if (length > MAX_ANSWER_CHARS) problems.push(`${label} has ${length} characters (at most ${MAX_ANSWER_CHARS})`);
  for (const sentence of splitSentences(text)) {
    const words = countWords(sentence);
    if (words > MAX_SENTENCE_WORDS)
      problems.push(`${label} has a sentence of ${words} words (at most ${MAX_SENTENCE_WORDS}): "${sentence}"`);
  }
  return problems;
}
