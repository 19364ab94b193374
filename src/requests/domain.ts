import type { DateTime } from "luxon";
import { type HotlineSchedule, hotlineStatus } from "../hotline/schedule.js";

/** What a request is about; the order is the order of the buttons. */
export const TOPICS = [
  "work-patent",
  "registration-documents",
  "entry-ban",
  "unpaid-wages",
  "trafficking",
  "detention",
  "family",
  "other",
] as const;
export type Topic = (typeof TOPICS)[number];

/** Requests that lawyers see marked urgent (forced labour, trafficking, detention). */
const URGENT_TOPICS: ReadonlySet<Topic> = new Set(["trafficking", "detention"]);

export const COUNTRIES = ["russia", "tajikistan", "kazakhstan", "uzbekistan", "kyrgyzstan", "other"] as const;
export type Country = (typeof COUNTRIES)[number];

/** A request's life: open (nobody has it) → taken (a lawyer has it) → closed (with an outcome). */
export const REQUEST_STATUSES = ["open", "taken", "closed"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** How lawyers close a request; "user-erased" is set only when the user erases their data. */
export const OUTCOMES = ["answered", "referred", "no-response", "duplicate", "spam"] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type ClosingOutcome = Outcome | "user-erased";

export const QUESTION_LENGTH = { min: 10, max: 3000 } as const;
export const CITY_MAX_LENGTH = 60;
export const MAX_ATTACHMENTS = 10;
/** A dialog left alone this long is dropped; the user is told when they come back. */
export const DRAFT_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** At most this many requests not yet closed per user, and this many new ones per day. */
export const REQUEST_LIMITS = { open: 3, perDay: 5 } as const;

/** The FAQ category an "Ask a lawyer about this" button comes from → the request's topic. */
export const TOPIC_OF_FAQ_CATEGORY: Record<string, Topic> = {
  registration: "registration-documents",
  "patent-work": "work-patent",
  "entry-bans": "entry-ban",
  "unpaid-wages": "unpaid-wages",
  documents: "registration-documents",
  trafficking: "trafficking",
  detention: "detention",
  family: "family",
};

export const isTopic = (value: string): value is Topic => (TOPICS as readonly string[]).includes(value);
export const isOutcome = (value: string): value is Outcome => (OUTCOMES as readonly string[]).includes(value);
export const isUrgent = (topic: Topic) => URGENT_TOPICS.has(topic);

/** "A-1042": what users and lawyers call a request (ids start at 1). */
export function referenceOf(id: number): string {
  return `A-${1000 + id}`;
}

/** The id in a reference as people type it: "A-1042", "a1042", "А-1042" with a Cyrillic А, "A–1042". */
export function idOfReference(reference: string): number | undefined {
  const typed = reference
    .trim()
    .replace(/[Аа]/g, "A")
    .replace(/[\u2010-\u2015\u2212]/g, "-");
  const match = /^A-?(\d{4,})$/i.exec(typed);
  const id = match ? Number(match[1]) - 1000 : NaN;
  return id > 0 ? id : undefined;
}

export function checkQuestion(text: string): "ok" | "too-short" | "too-long" {
  const length = text.trim().length;
  if (length < QUESTION_LENGTH.min) return "too-short";
  if (length > QUESTION_LENGTH.max) return "too-long";
  return "ok";
}

/**
 * A typed phone number in international form ("+79991234567"), or undefined when it is not one.
 * Spaces, dashes, dots and brackets are allowed; a Russian "8 999 …" becomes "+7 999 …".
 */
export function normalizePhone(text: string): string | undefined {
  const trimmed = text.trim();
  if (!/^\+?[\d\s\-().]{7,25}$/.test(trimmed)) return undefined;
  let digits = trimmed.replace(/\D/g, "");
  if (!trimmed.startsWith("+") && digits.length === 11 && digits.startsWith("8")) digits = `7${digits.slice(1)}`;
  return digits.length >= 9 && digits.length <= 15 ? `+${digits}` : undefined;
}

/** How long the hotline was open between two instants: waiting times count only working time. */
export function openMillisBetween(from: DateTime, to: DateTime, schedule: HotlineSchedule): number {
  let total = 0;
  let cursor = from;
  while (cursor < to) {
    const status = hotlineStatus(cursor, schedule);
    const next = status.changesAt < to ? status.changesAt : to;
    if (status.open) total += next.toMillis() - cursor.toMillis();
    cursor = next;
  }
  return total;
}

/** Control characters, bidirectional overrides and invisible (zero-width) format characters. */
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF]/g;

/**
 * What a user typed, made safe to show on a card: invisible and direction-changing characters
 * removed (they could make the text pass for the bot's own lines); `oneLine` also folds line breaks.
 */
export function cleanUserText(text: string, { oneLine = false } = {}): string {
  const visible = text.normalize("NFC").replace(INVISIBLE, "");
  return oneLine ? visible.replace(/\s+/g, " ").trim() : visible.trim();
}
