/**
 * Uzbek Cyrillic → Uzbek Latin by the official correspondence (the 1995 alphabet): ў oʻ, ғ gʻ,
 * қ q, ҳ h, х x, ч ch, ш sh, ж j, й y, ё yo, ю yu, я ya; е is "ye" at the start of a word and
 * after a vowel, ъ or ь, else "e"; ц is "ts" after a vowel, else "s"; ъ is the tutuq belgisi ʼ
 * (dropped before е, ё, ю, я, which bring their own y); ь is dropped. Words written in capitals
 * stay in capitals (ИИВ → IIV). A few words that the rules get wrong are in {@link EXCEPTIONS}.
 *
 * locales/uz-Latn/ is generated from locales/uz/ by scripts/uz-latin.ts with this, and the
 * content check fails when the two differ, so the Latin interface never drifts from the Cyrillic.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { projectPath } from "../shared/paths.js";

/** The generated locale. */
const UZ_LATIN = "uz-Latn";

/** Oʻ and gʻ take the turned comma (U+02BB); the tutuq belgisi is the apostrophe U+02BC. */
const TURNED_COMMA = "ʻ";
const TUTUQ = "ʼ";

const LETTERS: Record<string, string> = {
  а: "a",
  б: "b",
  в: "v",
  г: "g",
  д: "d",
  ж: "j",
  з: "z",
  и: "i",
  й: "y",
  к: "k",
  л: "l",
  м: "m",
  н: "n",
  о: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ф: "f",
  х: "x",
  ч: "ch",
  ш: "sh",
  щ: "sh",
  ы: "i",
  э: "e",
  ё: "yo",
  ю: "yu",
  я: "ya",
  ў: `o${TURNED_COMMA}`,
  қ: "q",
  ғ: `g${TURNED_COMMA}`,
  ҳ: "h",
};

const VOWELS = new Set([..."аеёиоуўэюяыaeiou"]);

/**
 * Word beginnings the rules would get wrong (loanwords from Russian), matched in lower case at
 * the start of a word and keeping the rest of it: "октябрда" → "oktabrda".
 */
export const EXCEPTIONS: Record<string, string> = {
  сентябр: "sentabr",
  октябр: "oktabr",
  ноябр: "noyabr",
  декабр: "dekabr",
  январ: "yanvar",
  феврал: "fevral",
  ммц: "MMTs",
};

/**
 * Whole texts whose Latin, longer by its digraphs (sh, ch, oʻ, gʻ), would not fit where they
 * are shown (FAQ buttons: 32 characters; topic buttons: 24): a shorter Latin text for each.
 * A key that no longer matches locales/uz/ has no effect; the content check then reports any
 * label that is too long again.
 */
export const SHORTER_TEXTS: Record<string, string> = {
  "Полиция имзо қўйишни сўраяпти": "Politsiya imzo soʻrayapti",
  "Ушлаб олинсам, кимга қўнғироқ?": "Ushlansam, kimga qoʻngʻiroq?",
  "Қариндош учун қўнғироқ қилиш": "Qarindosh uchun qoʻngʻiroq",
  "📝 Рўйхатдан ўтиш, ҳужжат": "📝 Roʻyxat, hujjatlar",
  "👮 Ушлаб қолиш, полиция": "👮 Ushlash, politsiya",
};

const EXCEPTION_KEYS = Object.keys(EXCEPTIONS).sort((a, b) => b.length - a.length);

function isUpper(char: string | undefined): boolean {
  return char !== undefined && char !== char.toLowerCase() && char === char.toUpperCase();
}

/** One Cyrillic word (letters only) in Latin. */
function latinWord(word: string): string {
  const lower = word.toLowerCase();
  const exception = EXCEPTION_KEYS.find((key) => lower.startsWith(key));
  const allCaps = word.length > 1 && [...word].every((char) => !/\p{L}/u.test(char) || isUpper(char));
  let out = "";
  let start = 0;
  if (exception) {
    const replacement = EXCEPTIONS[exception]!;
    out = allCaps ? replacement.toUpperCase() : isUpper(word[0]) ? replacement[0]!.toUpperCase() + replacement.slice(1) : replacement;
    start = exception.length;
  }
  const chars = [...word];
  for (let index = start; index < chars.length; index++) {
    const char = chars[index]!;
    const letter = char.toLowerCase();
    const previous = index > 0 ? chars[index - 1]!.toLowerCase() : undefined;
    const next = chars[index + 1]?.toLowerCase();
    let latin: string;
    if (letter === "е") latin = previous === undefined || VOWELS.has(previous) || previous === "ъ" || previous === "ь" ? "ye" : "e";
    else if (letter === "ц") latin = previous !== undefined && VOWELS.has(previous) ? "ts" : "s";
    else if (letter === "ъ") latin = next !== undefined && "еёюя".includes(next) ? "" : TUTUQ;
    else if (letter === "ь") latin = "";
    else latin = LETTERS[letter] ?? char;
    if (latin === char || latin === "") {
      out += latin;
      continue;
    }
    // Capitals: the whole word in capitals, or only the first letter (Ш → Sh, Ў → Oʻ).
    if (isUpper(char)) latin = allCaps ? latin.toUpperCase() : latin[0]!.toUpperCase() + latin.slice(1);
    out += latin;
  }
  return out;
}

/** Uzbek Cyrillic text in Latin; anything not Cyrillic (Latin, digits, {{placeholders}}, HTML) is kept. */
export function uzbekToLatin(text: string): string {
  return text.normalize("NFC").replace(/[\p{Script=Cyrillic}]+/gu, latinWord);
}

/** A locale file with every string in Latin, except the keys listed (ids, dates, sources). */
export function latinizeData(value: unknown, keep: ReadonlySet<string> = new Set(), key?: string): unknown {
  if (typeof value === "string") return key !== undefined && keep.has(key) ? value : (SHORTER_TEXTS[value] ?? uzbekToLatin(value));
  if (Array.isArray(value)) return value.map((item) => latinizeData(item, keep, key));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, latinizeData(item, keep, name)]));
  }
  return value;
}

/** The files of locales/uz-Latn/, each made from the same file of locales/uz/ (with the keys whose values stay as they are). */
export const UZ_LATIN_FILES = {
  bot: new Set<string>(),
  // Ids, dates and the lawyers' sources (titles of Russian laws, links) stay as they are.
  faq: new Set(["id", "reviewed", "sources"]),
  search: new Set<string>(),
} as const;

/** What each file of locales/uz-Latn/ must contain: made from locales/uz/ (JSON, two-space indent, final newline). */
export function expectedUzLatinFiles(): { path: string; content: string }[] {
  return Object.entries(UZ_LATIN_FILES).map(([name, keep]) => {
    const source = JSON.parse(readFileSync(projectPath("locales", "uz", `${name}.json`), "utf8")) as unknown;
    return { path: projectPath("locales", UZ_LATIN, `${name}.json`), content: `${JSON.stringify(latinizeData(source, keep), null, 2)}\n` };
  });
}

/** The files of locales/uz-Latn/ that are missing or differ from what locales/uz/ gives. */
export function uzLatinDrift(): string[] {
  return expectedUzLatinFiles().flatMap(({ path, content }) => {
    const relative = `locales/${UZ_LATIN}/${basename(path)}`;
    if (!existsSync(path)) return [`${relative} is missing: run npx tsx scripts/uz-latin.ts`];
    return readFileSync(path, "utf8") === content
      ? []
      : [`${relative} differs from locales/uz/${basename(path)} in Latin: run npx tsx scripts/uz-latin.ts (do not edit it by hand)`];
  });
}
