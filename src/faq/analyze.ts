import type { Locale } from "../i18n.js";
import { documentVariants, foldPart, foldWord, splitWords } from "./fold.js";
import type { SearchVocabulary } from "./vocabulary.js";

/** Stems are never cut shorter than this (in folded letters). */
const MIN_STEM_LENGTH = 3;
/** Endings are cut at most this many times (Tajik "ҳуҷҷатҳоямро" → ҳуҷҷат takes three). */
const MAX_SUFFIX_PASSES = 3;
/** Vocabulary entries match by stems of at least this length. */
const MIN_FORM_LENGTH = 4;

/** One meaningful word of a query, with the terms any of which may match it. */
export interface QueryPosition {
  /** The word (or phrase) as typed. */
  word: string;
  /** Its stems by each language's endings, then the stems of its synonyms. */
  terms: string[];
  /**
   * How much a match through each term counts: 1 for the word itself (and a negated word), less
   * for a shorter stem, a synonym, or one word of a synonym's phrase.
   */
  weights: Map<string, number>;
  /**
   * Terms of fewer than four letters cut from a longer word ("купить" → "куп"): a match through
   * them counts only half, like a typo, since short stems of different words meet too often.
   */
  short: Set<string>;
  /** Alone it never makes a result (a city, "документ"). */
  weak: boolean;
  /** Edit distance allowed when matching it: 1 from 5 letters, 2 from 8… */
  fuzzy: number;
  /** …for these terms only: the word's own longest stems (not its synonyms, nor its shortest stems). */
  typoTerms: Set<string>;
  /** Typed in Cyrillic (then it is not looked for in the Latin-script locales). */
  cyrillic: boolean;
}

export type QueryKind = "greeting" | "thanks";

export interface AnalyzedQuery {
  positions: QueryPosition[];
  /** Set when the message is only a greeting or thanks (with fillers). */
  kind?: QueryKind;
}

/** Typo tolerance by the length of the word as typed: 1 from 5 letters, 2 from 8. */
export function fuzzyDistance(word: string): number {
  const letters = [...word.normalize("NFC")].filter((char) => /\p{L}/u.test(char)).length;
  return letters >= 8 ? 2 : letters >= 5 ? 1 : 0;
}

/** Typos are looked for in at most this many of a word's stems (the longest), to keep searching fast. */
const MAX_TYPO_TERMS = 2;

/** The edit distance allowed for one term of a position: never more than its own length allows. */
export function termFuzziness(position: QueryPosition, term: string): number {
  if (!position.typoTerms.has(term)) return 0;
  return Math.min(position.fuzzy, term.length >= 8 ? 2 : term.length >= 5 ? 1 : 0);
}

interface Phrase {
  /** Each word's forms: its folded spelling and its stems. */
  words: Set<string>[];
  /** For synonyms: the terms they stand for, each with its weight. */
  terms: Map<string, number>;
}

/** Weights of terms (see QueryPosition.weights). */
const SYNONYM_WEIGHT = 0.9;
const PHRASE_WORD_WEIGHT = 0.6;
/** A stem counts from this much (the shortest cut) to 1 (the word as typed, or its longest stem). */
const SHORTEST_STEM_WEIGHT = 0.6;

/** Keeps the highest weight of each term. */
function addWeight(weights: Map<string, number>, term: string, weight: number): void {
  if (weight > (weights.get(term) ?? 0)) weights.set(term, weight);
}

/**
 * Turns text into search terms the same way for the FAQ and for what users type. Words are
 * folded (fold.ts) and cut to stems by each language's endings (a FAQ text by its own
 * language's, a query by every language's, since a Tajik user may type Russian); words without
 * meaning are left out. Queries also get their synonyms, and greetings and thanks are recognised.
 * All vocabulary lists apply to every query.
 */
export class TextAnalyzer {
  private readonly suffixes = new Map<Locale, string[]>();
  private readonly stopWords = new Set<string>();
  private readonly stopPhrases: Phrase[] = [];
  private readonly synonyms: Phrase[] = [];
  private readonly weak = new Set<string>();
  private readonly greetings: Phrase[] = [];
  private readonly thanks: Phrase[] = [];
  private readonly fillers = new Set<string>();
  private readonly negations = new Set<string>();
  /** A FAQ word's skeleton and stems, per locale: the FAQ repeats its words across fields, questions and locales. */
  private readonly documentWords = new Map<string, { folded: string; stems: string[] }>();

  constructor(vocabularies: Partial<Record<Locale, SearchVocabulary>>) {
    const entries = Object.entries(vocabularies) as [Locale, SearchVocabulary][];
    for (const [locale, vocabulary] of entries) {
      this.suffixes.set(
        locale,
        [...new Set(vocabulary.suffixes.map(foldPart))].filter(Boolean).sort((a, b) => b.length - a.length),
      );
    }
    for (const [, vocabulary] of entries) {
      for (const text of vocabulary.stopWords) {
        const words = splitWords(text).map(foldWord);
        if (words.length === 1) this.stopWords.add(words[0]!);
        else if (words.length > 1) this.stopPhrases.push(this.phrase(text));
      }
      for (const text of vocabulary.negations) for (const word of splitWords(text)) this.negations.add(foldWord(word));
    }
    // Synonyms after every stop-word and negation is known: their terms leave stop-words out.
    for (const [, vocabulary] of entries) {
      for (const [key, values] of Object.entries(vocabulary.synonyms)) {
        const terms = new Map<string, number>();
        if (splitWords(key).length > 1) for (const [term, weight] of this.phraseTerms(key, 1)) addWeight(terms, term, weight);
        for (const value of values) {
          const weight =
            splitWords(value).filter((word) => !this.stopWords.has(foldWord(word))).length > 1 ? PHRASE_WORD_WEIGHT : SYNONYM_WEIGHT;
          for (const [term, termWeight] of this.phraseTerms(value, weight)) addWeight(terms, term, termWeight);
        }
        this.synonyms.push({ ...this.phrase(key), terms });
      }
      for (const text of vocabulary.weak)
        for (const word of splitWords(text)) for (const form of this.forms(foldWord(word))) this.weak.add(form);
      for (const text of vocabulary.greetings) this.greetings.push(this.phrase(text, false));
      for (const text of vocabulary.thanks) this.thanks.push(this.phrase(text, false));
      for (const text of vocabulary.fillers) for (const word of splitWords(text)) this.fillers.add(foldWord(word));
    }
    const longestFirst = (a: Phrase, b: Phrase) => b.words.length - a.words.length;
    for (const list of [this.stopPhrases, this.synonyms, this.greetings, this.thanks]) list.sort(longestFirst);
  }

  private phrase(text: string, stemmed = true): Phrase {
    return {
      words: splitWords(text).map((word) => (stemmed ? new Set(this.forms(foldWord(word))) : new Set([foldWord(word)]))),
      terms: new Map(),
    };
  }

  /**
   * The terms a phrase of the vocabulary stands for, with `weight`: each word's stems (shorter
   * ones less), and a negated word also joined to its negation ("не платят" → "неплат", weight 1).
   */
  private phraseTerms(text: string, weight: number): Map<string, number> {
    const terms = new Map<string, number>();
    const words = splitWords(text).map(foldWord);
    words.forEach((word, index) => {
      if (this.stopWords.has(word) || this.negations.has(word)) return;
      const negation = index > 0 && this.negations.has(words[index - 1]!) ? words[index - 1]! : "";
      for (const [term, stemWeight] of this.stemWeights(word, negation))
        addWeight(terms, term, negation && term.startsWith(negation) ? 1 : stemWeight * weight);
    });
    return terms;
  }

  /** A word's stems by every language, weighted by length; after a negation, also joined to it. */
  private stemWeights(word: string, negation: string): Map<string, number> {
    const weights = new Map<string, number>();
    const stems = this.allStems(word);
    const longest = Math.max(...stems.map((stem) => stem.length));
    for (const stem of stems) {
      if (negation && stem.length >= 3) addWeight(weights, negation + stem, 1);
      addWeight(weights, stem, SHORTEST_STEM_WEIGHT + ((1 - SHORTEST_STEM_WEIGHT) * stem.length) / longest);
    }
    return weights;
  }

  /** The stem of one folded word by one language's endings: cut longest first, up to three times. */
  stem(locale: Locale, folded: string): string {
    const suffixes = this.suffixes.get(locale) ?? [];
    let stem = folded;
    for (let pass = 0; pass < MAX_SUFFIX_PASSES; pass++) {
      const suffix = suffixes.find((candidate) => stem.endsWith(candidate) && stem.length - candidate.length >= MIN_STEM_LENGTH);
      if (!suffix) break;
      stem = stem.slice(0, -suffix.length);
    }
    return stem;
  }

  /** The word's stems by every language's endings, without repeats. */
  allStems(folded: string): string[] {
    return [...new Set([...this.suffixes.keys()].map((locale) => this.stem(locale, folded)))];
  }

  /**
   * The folded word and its stems of at least four letters: what vocabulary entries are matched
   * by (shorter stems of different words meet too often: "карта", "кард").
   */
  private forms(folded: string): string[] {
    return [...new Set([folded, ...this.allStems(folded).filter((stem) => stem.length >= MIN_FORM_LENGTH)])];
  }

  /** The terms a FAQ text of `locale` is indexed under: stems of both spellings of each word, without stop-words. */
  documentTerms(locale: Locale, text: string): string[] {
    const terms: string[] = [];
    let negation = "";
    for (const word of splitWords(text)) {
      const { folded, stems } = this.documentWord(locale, word);
      for (const stem of stems) {
        terms.push(stem);
        if (negation) terms.push(negation + stem);
      }
      negation = this.negations.has(folded) ? folded : "";
    }
    return terms;
  }

  /** The stems a FAQ word is indexed under (of both its spellings, stop-words and one-letter stems left out). */
  private documentWord(locale: Locale, word: string): { folded: string; stems: string[] } {
    const key = `${locale}:${word}`;
    let known = this.documentWords.get(key);
    if (!known) {
      const variants = documentVariants(word);
      const stems = variants
        .filter((variant) => !this.stopWords.has(variant))
        .map((variant) => this.stem(locale, variant))
        .filter((stem) => stem.length >= 2);
      this.documentWords.set(key, (known = { folded: variants[0]!, stems }));
    }
    return known;
  }

  /** Whether a word or phrase is one of the stop-words (for the content check). */
  isStopWord(text: string): boolean {
    const words = splitWords(text).map(foldWord);
    return words.length === 1 && this.stopWords.has(words[0]!);
  }

  analyzeQuery(text: string): AnalyzedQuery {
    const typed = splitWords(text);
    const folded = typed.map(foldWord);
    const forms = folded.map((word) => new Set(this.forms(word)));
    const used = new Array<boolean>(typed.length).fill(false);
    const phraseAt = (phrases: Phrase[], start: number, exact: boolean) =>
      phrases.find((phrase) =>
        phrase.words.every((wordForms, offset) => {
          const index = start + offset;
          if (index >= typed.length || used[index]) return false;
          if (exact) return wordForms.has(folded[index]!);
          for (const form of wordForms) if (forms[index]!.has(form)) return true;
          return false;
        }),
      );
    const mark = (phrases: Phrase[], exact: boolean): boolean => {
      let found = false;
      for (let start = 0; start < typed.length; start++) {
        const hit = phraseAt(phrases, start, exact);
        if (!hit) continue;
        for (let offset = 0; offset < hit.words.length; offset++) used[start + offset] = true;
        found = true;
      }
      return found;
    };
    const thanks = mark(this.thanks, true);
    const greeting = mark(this.greetings, true);
    mark(this.stopPhrases, false);
    const meaningful = (index: number) =>
      !used[index] && folded[index]!.length >= 2 && !this.stopWords.has(folded[index]!) && !/^\d$/.test(folded[index]!);
    if ((thanks || greeting) && typed.every((_, index) => !meaningful(index) || this.fillers.has(folded[index]!))) {
      return { positions: [], kind: thanks ? "thanks" : "greeting" };
    }

    const positions: QueryPosition[] = [];
    for (let index = 0; index < typed.length; index++) {
      if (used[index]) continue;
      // A stop-word only starts a phrase ("не платят"), never a one-word synonym.
      const found = phraseAt(this.synonyms, index, false);
      const synonym = found && (found.words.length > 1 || meaningful(index)) ? found : undefined;
      if (!synonym && !meaningful(index)) continue;
      const span = synonym?.words.length ?? 1;
      // A one-word synonym adds to the word's own stems; a phrase stands for its words.
      // After "не"/"not", the negated word first: "не платят" → "неплат", then "плат".
      const negation = index > 0 && this.negations.has(folded[index - 1]!) ? folded[index - 1]! : "";
      const weights = span === 1 ? this.stemWeights(folded[index]!, negation) : new Map<string, number>();
      const stems = span === 1 ? this.allStems(folded[index]!) : [];
      for (const [term, weight] of synonym?.terms ?? []) addWeight(weights, term, weight);
      const terms = [...weights.keys()];
      const word = typed.slice(index, index + span).join(" ");
      const whole = span === 1 ? folded[index]! : "";
      positions.push({
        word,
        terms,
        weights,
        short: new Set(terms.filter((term) => term.length < MIN_FORM_LENGTH && term !== whole)),
        // A word is weak when it (or one of its longer stems) is listed; a phrase when all it stands for is.
        weak: span === 1 ? this.forms(whole).some((form) => this.weak.has(form)) : terms.every((term) => this.weak.has(term)),
        fuzzy: span === 1 ? fuzzyDistance(word) : 0,
        typoTerms: new Set([...stems].sort((a, b) => b.length - a.length).slice(0, MAX_TYPO_TERMS)),
        cyrillic: /\p{Script=Cyrillic}/u.test(word),
      });
      for (let offset = 0; offset < span; offset++) used[index + offset] = true;
    }
    return { positions };
  }
}
