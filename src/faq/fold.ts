/**
 * Folding for search only (never for display): every word, whatever script or keyboard it was
 * typed with, becomes one Latin "skeleton" so that the ways migrants really type meet:
 *
 * - Cyrillic of Russian, Tajik, Uzbek and Kyrgyz → Latin by the common informal correspondences
 *   (ш sh, ч/ҷ/ж j, х/ҳ h, қ k, ғ g, ў oʻ, я ya, ю yu, ё yo, ц ts …);
 * - informal and official Latin spellings are folded the same way (zh→j, kh/x→h, q→k, gʻ/gh→g,
 *   w→v, c/ts→s, y→i, shch/sch→sh, apostrophes dropped), and doubled letters are collapsed, so
 *   "ҳуҷҷат", "hujjat" and "hujat", or "Россия", "rossiya" and "rossia", are one word;
 * - letters typed on a Russian keyboard instead of ғ қ ҳ ҷ ӣ ӯ ө ү ң give the same skeleton
 *   (г→g = ғ→g; ч, ҷ and ж are all j …). The two that do not (ў typed у, ё typed е) are indexed
 *   in both forms by {@link documentVariants}.
 */

const CYRILLIC_TO_LATIN: Record<string, string> = {
  а: "a",
  ә: "a",
  б: "b",
  в: "v",
  г: "g",
  ғ: "g",
  д: "d",
  е: "e",
  ё: "yo",
  ж: "j",
  з: "z",
  и: "i",
  ӣ: "i",
  і: "i",
  й: "y",
  к: "k",
  қ: "k",
  л: "l",
  м: "m",
  н: "n",
  ң: "n",
  о: "o",
  ө: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ӯ: "u",
  ү: "u",
  ұ: "u",
  ў: "o",
  ф: "f",
  х: "h",
  ҳ: "h",
  һ: "h",
  ц: "ts",
  ч: "ch",
  ҷ: "j",
  ш: "sh",
  щ: "sh",
  ъ: "",
  ы: "y",
  ь: "",
  э: "e",
  ю: "yu",
  я: "ya",
};

/** Latin digraphs and letters folded to one form, in this order (longest first). */
const LATIN_FOLDS: [RegExp, string][] = [
  [/shch|sch/g, "sh"],
  [/zh/g, "j"],
  // ч, ҷ and ж are one letter here: Tajik ҷ is typed ч on a Russian keyboard and "j" in Latin.
  [/ch/g, "j"],
  [/dj/g, "j"],
  [/kh/g, "h"],
  [/gh/g, "g"],
  [/x/g, "h"],
  [/q/g, "k"],
  [/w/g, "v"],
  [/ts/g, "s"],
  // "sc" is sk ("scan" and "скан"); elsewhere c is ts in informal Russian ("policiya").
  [/sc/g, "sk"],
  [/c/g, "s"],
  [/y/g, "i"],
  [/ng/g, "n"],
];

const APOSTROPHES = /[ʻʼ‘’'`´ʹ]/g;

/** NFC, lower case, Cyrillic → Latin, diacritics dropped (ö→o, ü→u, ı→i), apostrophes dropped. */
function toLatin(word: string): string {
  let latin = "";
  for (const letter of word.normalize("NFC").toLowerCase()) latin += CYRILLIC_TO_LATIN[letter] ?? letter;
  return latin.normalize("NFD").replace(/\p{M}/gu, "").replace(/ı/g, "i").replace(APOSTROPHES, "");
}

/**
 * The skeleton of one word (letters and digits only; no spaces). Both what users type and the
 * FAQ's words go through it, so only its consistency matters, not its looks.
 */
export function foldWord(word: string): string {
  let folded = toLatin(word);
  for (const [pattern, replacement] of LATIN_FOLDS) folded = folded.replace(pattern, replacement);
  // Uzbek Latin writes a word-initial е as "ye" ("yer"); Cyrillic and informal writing as "e".
  folded = folded.replace(/^ie/, "e");
  // Doubled letters: "ҳуҷҷат"/"hujat", "касса"/"kasa", and -ия/-iya/-ia all meet.
  return folded.replace(/(.)\1+/g, "$1");
}

/** Folds a suffix or another word part (no word-initial rules). */
export function foldPart(part: string): string {
  return foldWord(`b${part}`).slice(1);
}

/** The letters a Russian keyboard puts instead of ў and ё, where that changes the skeleton. */
const KEYBOARD_LOOKALIKES: Record<string, string> = { ў: "у", ё: "е" };

/**
 * The skeletons under which a word of the FAQ is indexed: its own, and the one it gets when
 * typed on a Russian keyboard (ў→у, ё→е) if that differs.
 */
export function documentVariants(word: string): string[] {
  const own = foldWord(word);
  const lower = word.normalize("NFC").toLowerCase();
  if (!/[ўё]/.test(lower)) return [own];
  const typed = foldWord(lower.replace(/[ўё]/g, (letter) => KEYBOARD_LOOKALIKES[letter] ?? letter));
  return typed === own ? [own] : [own, typed];
}

/** Words of a text: runs of letters and digits, with Uzbek apostrophes ("to'lov"); "322.3" and "mehnat.tj" stay one word. */
export function splitWords(text: string): string[] {
  return text.normalize("NFC").match(/[\p{L}\p{M}\p{N}ʻʼ‘’'`´ʹ]+(?:\.[\p{L}\p{N}]+)*/gu) ?? [];
}
