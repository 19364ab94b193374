import type { MessageEntity } from "grammy/types";

/**
 * Telegram's text formatting, as its server does it: HTML (`parse_mode: "HTML"`) becomes plain
 * text with entities (offsets in UTF-16 code units), with the same tags, the same four named
 * character references and the same error texts; entities Telegram finds by itself (commands,
 * links, mentions, hashtags, e-mail addresses) are added. Nothing here produces HTML: the page
 * builds its nodes from text and entities, so a message can never inject markup.
 */

/** Refused formatting: `description` is what the Bot API answers (400). */
export class FormattingError extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = "FormattingError";
  }
}

const SIMPLE_TAGS: Record<string, MessageEntity["type"]> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  code: "code",
  pre: "pre",
};
const SUPPORTED_TAGS = new Set([...Object.keys(SIMPLE_TAGS), "a", "span", "tg-emoji", "blockquote"]);
const NAMED_REFERENCES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

/** An entity before its place is known. */
interface EntityFields {
  type: MessageEntity["type"];
  url?: string;
  custom_emoji_id?: string;
  language?: string;
}

interface OpenTag {
  name: string;
  /** Where its text starts (UTF-16 offset in the output). */
  start: number;
  entity: EntityFields | undefined;
}

/** Parses Telegram HTML; throws FormattingError with Telegram's description when it would refuse it. */
export function parseHtml(html: string): { text: string; entities: MessageEntity[] } {
  const entities: MessageEntity[] = [];
  const open: OpenTag[] = [];
  let text = "";
  let i = 0;
  const byteOffset = (index: number) => Buffer.byteLength(html.slice(0, index), "utf8");
  const refuse = (what: string): never => {
    throw new FormattingError(`Bad Request: can't parse entities: ${what}`);
  };
  while (i < html.length) {
    const char = html[i]!;
    if (char === "&") {
      const reference = decodeReference(html, i);
      if (reference) {
        text += reference.char;
        i = reference.end;
      } else {
        text += char;
        i++;
      }
      continue;
    }
    if (char !== "<") {
      text += char;
      i++;
      continue;
    }
    const begin = i++;
    if (html[i] !== "/") {
      while (i < html.length && !isSpace(html[i]!) && html[i] !== ">") i++;
      if (i >= html.length) refuse(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
      const name = html.slice(begin + 1, i).toLowerCase();
      if (!SUPPORTED_TAGS.has(name)) refuse(`Unsupported start tag "${name}" at byte offset ${byteOffset(begin)}`);
      const { attributes, end } = readAttributes(html, i, () => refuse(`Unclosed start tag at byte offset ${byteOffset(begin)}`));
      i = end;
      const entity = entityOf(name, attributes, open, () =>
        refuse(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(begin)}`),
      );
      open.push({ name, start: text.length, entity });
      continue;
    }
    if (open.length === 0) refuse(`Unexpected end tag at byte offset ${byteOffset(begin)}`);
    i++;
    while (i < html.length && !isSpace(html[i]!) && html[i] !== ">") i++;
    const name = html.slice(begin + 2, i).toLowerCase();
    while (i < html.length && isSpace(html[i]!)) i++;
    if (html[i] !== ">") refuse(`Can't find end of the tag at byte offset ${byteOffset(begin)}`);
    i++;
    const last = open.at(-1)!;
    if (name !== "" && name !== last.name)
      refuse(`Unmatched end tag at byte offset ${byteOffset(begin)}, expected "</${last.name}>", found "</${name}>"`);
    open.pop();
    const length = text.length - last.start;
    if (last.entity && length > 0) entities.push({ ...last.entity, offset: last.start, length } as MessageEntity);
  }
  if (open.length > 0) refuse(`Can't find end tag corresponding to start tag "${open.at(-1)!.name}"`);
  return trimmed(text, entities);
}

function isSpace(char: string): boolean {
  return char === " " || char === "\n" || char === "\t" || char === "\r";
}

/** `&lt;` `&gt;` `&amp;` `&quot;` and numeric references; anything else is a literal "&". */
function decodeReference(html: string, at: number): { char: string; end: number } | undefined {
  const match = /^&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/i.exec(html.slice(at, at + 12));
  if (!match) return undefined;
  const body = match[1]!;
  const end = at + match[0].length;
  if (body.startsWith("#")) {
    const code = body[1] === "x" || body[1] === "X" ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? { char: String.fromCodePoint(code), end } : undefined;
  }
  const named = NAMED_REFERENCES[body.toLowerCase()];
  return named === undefined ? undefined : { char: named, end };
}

/** Reads `name="value"` pairs up to the tag's ">"; returns them and the index after ">". */
function readAttributes(html: string, from: number, unclosed: () => never): { attributes: Map<string, string>; end: number } {
  const attributes = new Map<string, string>();
  let i = from;
  for (;;) {
    while (i < html.length && isSpace(html[i]!)) i++;
    if (i >= html.length) unclosed();
    if (html[i] === ">") return { attributes, end: i + 1 };
    const nameStart = i;
    while (i < html.length && !isSpace(html[i]!) && html[i] !== "=" && html[i] !== ">") i++;
    const name = html.slice(nameStart, i).toLowerCase();
    while (i < html.length && isSpace(html[i]!)) i++;
    if (html[i] !== "=") {
      attributes.set(name, "");
      continue;
    }
    i++;
    while (i < html.length && isSpace(html[i]!)) i++;
    let value: string;
    const quote = html[i];
    if (quote === '"' || quote === "'") {
      const close = html.indexOf(quote, i + 1);
      if (close < 0) unclosed();
      value = html.slice(i + 1, close);
      i = close + 1;
    } else {
      const valueStart = i;
      while (i < html.length && !isSpace(html[i]!) && html[i] !== ">") i++;
      value = html.slice(valueStart, i);
    }
    attributes.set(
      name,
      value.replace(/&(lt|gt|amp|quot);/g, (_, named: string) => NAMED_REFERENCES[named]!),
    );
  }
}

function entityOf(name: string, attributes: Map<string, string>, open: OpenTag[], badSpan: () => never): OpenTag["entity"] {
  switch (name) {
    case "a": {
      const url = attributes.get("href")?.trim();
      return url ? { type: "text_link", url } : undefined;
    }
    case "span":
      if (attributes.get("class") !== "tg-spoiler") badSpan();
      return { type: "spoiler" };
    case "tg-emoji":
      return { type: "custom_emoji", custom_emoji_id: attributes.get("emoji-id") ?? "" };
    case "blockquote":
      return { type: attributes.has("expandable") ? "expandable_blockquote" : "blockquote" };
    case "code": {
      // <pre><code class="language-x"> is one pre entity with its language.
      const pre = open.at(-1);
      const language = attributes.get("class")?.match(/^language-(.+)$/)?.[1];
      if (pre?.name === "pre" && pre.entity?.type === "pre" && language) {
        pre.entity = { type: "pre", language };
        return undefined;
      }
      return { type: "code" };
    }
    default:
      return { type: SIMPLE_TAGS[name]! };
  }
}

/** Telegram drops leading and trailing white space (and entities left empty). */
function trimmed(text: string, entities: MessageEntity[]): { text: string; entities: MessageEntity[] } {
  const start = text.length - text.trimStart().length;
  const result = text.trim();
  const kept: MessageEntity[] = [];
  for (const entity of entities) {
    const from = Math.max(entity.offset - start, 0);
    const to = Math.min(entity.offset + entity.length - start, result.length);
    if (to > from) kept.push({ ...entity, offset: from, length: to - from });
  }
  return { text: result, entities: sortEntities(kept) };
}

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

const FOUND = [
  { type: "url", pattern: /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/gi },
  { type: "email", pattern: /\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g },
  { type: "bot_command", pattern: /(?<![\w/])\/[a-zA-Z0-9_]{1,32}(@[a-zA-Z0-9_]{3,32})?(?![\w/])/g },
  { type: "mention", pattern: /(?<![\w@])@[a-zA-Z][a-zA-Z0-9_]{3,31}\b/g },
  { type: "hashtag", pattern: /(?<![\w#])#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*/gu },
] as const;
/** Entities inside which Telegram finds nothing more. */
const OPAQUE: MessageEntity["type"][] = ["text_link", "code", "pre", "url", "email"];

/**
 * Adds the entities Telegram finds in a text by itself: commands (which bots' command filters
 * need), links, e-mail addresses, @mentions and hashtags, where the given entities leave room.
 */
export function withFoundEntities(text: string, entities: readonly MessageEntity[] = []): MessageEntity[] {
  const all = [...entities];
  for (const { type, pattern } of FOUND) {
    for (const match of text.matchAll(pattern)) {
      const offset = match.index;
      const length = match[0].length;
      const overlaps = all.some(
        (entity) => OPAQUE.includes(entity.type) && entity.offset < offset + length && offset < entity.offset + entity.length,
      );
      if (!overlaps) all.push({ type, offset, length } as MessageEntity);
    }
  }
  return sortEntities(all);
}

/**
 * Checks entities given as a list (`entities`, `caption_entities`): inside the text, of a known
 * type. Telegram refuses what it cannot place.
 */
export function checkEntities(text: string, entities: unknown): MessageEntity[] {
  if (entities === undefined) return [];
  if (!Array.isArray(entities)) throw new FormattingError("Bad Request: can't parse entities JSON object");
  const known = new Set([
    "mention",
    "hashtag",
    "cashtag",
    "bot_command",
    "url",
    "email",
    "phone_number",
    "bold",
    "italic",
    "underline",
    "strikethrough",
    "spoiler",
    "blockquote",
    "expandable_blockquote",
    "code",
    "pre",
    "text_link",
    "text_mention",
    "custom_emoji",
  ]);
  const checked: MessageEntity[] = [];
  for (const entity of entities as MessageEntity[]) {
    if (
      typeof entity !== "object" ||
      entity === null ||
      !known.has(entity.type) ||
      !Number.isInteger(entity.offset) ||
      !Number.isInteger(entity.length)
    ) {
      throw new FormattingError("Bad Request: can't parse entities: wrong entity");
    }
    const to = Math.min(entity.offset + entity.length, text.length);
    if (entity.offset >= 0 && to > entity.offset) checked.push({ ...entity, length: to - entity.offset });
  }
  return sortEntities(checked);
}
