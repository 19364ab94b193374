import { DateTime } from "luxon";

/** What users read about a closure, each in their own language (`closureKind.<kind>`). */
export const CLOSURE_KINDS = ["holiday", "training", "technical", "other"] as const;
export type ClosureKind = (typeof CLOSURE_KINDS)[number];

export const isClosureKind = (value: unknown): value is ClosureKind => CLOSURE_KINDS.includes(value as ClosureKind);

/** The longest closure one command may add, in days, and the longest note for staff. */
export const CLOSURE_MAX_DAYS = 62;
export const CLOSURE_NOTE_MAX = 200;

/** What `/closure add …` asks for, before the kind is chosen. Dates are ISO, in the hotline's zone. */
export interface ClosureInput {
  /** The first and the last day (the same for one day). */
  from: string;
  until: string;
  /** "HH:mm" on each of those days; undefined for whole days. */
  hours?: { from: string; to: string };
  /** Free text for staff only: users never see it. */
  note?: string;
}

export type ClosureInputError =
  /** Nothing that reads as a date or a range of dates. */
  | "date"
  /** A date that does not exist (31.02.2027). */
  | "no-such-day"
  | "past"
  | "backwards"
  | "too-long"
  | "hours"
  | "note-too-long";

export type ClosureInputResult = { ok: true; closure: ClosureInput } | { ok: false; error: ClosureInputError };

/** "today" and "tomorrow" in the interface languages, as admins may type them. */
const RELATIVE_DAYS: Record<string, number> = {
  today: 0,
  tomorrow: 1,
  сегодня: 0,
  завтра: 1,
  имрӯз: 0,
  фардо: 1,
  бугун: 0,
  эртага: 1,
  bugun: 0,
  ertaga: 1,
  бүгүн: 0,
  эртең: 1,
};

const DAY = String.raw`\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4}|\p{L}+`;
const TIME = String.raw`\d{1,2}:\d{2}`;
const DASH = String.raw`\s*(?:-|–|—|\.\.)\s*`;
const INPUT = new RegExp(String.raw`^(${DAY})(?:${DASH}(${DAY}))?(?:\s+(${TIME})${DASH}(${TIME}))?(?:\s+([\s\S]*))?$`, "u");

/**
 * Reads what follows `/closure add`: a day (`2026-12-31`, `31.12.2026`, `today`, `tomorrow`) or a
 * range of days (`21.03.2027-24.03.2027`), then optionally hours (`08:00-12:00`), then optionally
 * a note for staff. `today` is the current ISO date in the hotline's zone. Pure.
 */
export function parseClosureInput(text: string, today: string): ClosureInputResult {
  const match = INPUT.exec(text.trim());
  if (!match) return { ok: false, error: "date" };
  const [, firstText, lastText, fromTime, toTime, noteText] = match;
  const first = dayOf(firstText!, today);
  const last = lastText === undefined ? first : dayOf(lastText, today);
  if (first === "date" || last === "date") return { ok: false, error: "date" };
  if (first === "no-such-day" || last === "no-such-day") return { ok: false, error: "no-such-day" };
  if (first < today) return { ok: false, error: "past" };
  if (last < first) return { ok: false, error: "backwards" };
  if (DateTime.fromISO(last).diff(DateTime.fromISO(first), "days").days + 1 > CLOSURE_MAX_DAYS) return { ok: false, error: "too-long" };
  let hours: ClosureInput["hours"];
  if (fromTime !== undefined && toTime !== undefined) {
    const from = timeOf(fromTime);
    const to = timeOf(toTime);
    if (!from || !to || from >= to) return { ok: false, error: "hours" };
    hours = { from, to };
  }
  const note = noteText?.replace(/\s+/g, " ").trim() || undefined;
  if (note && note.length > CLOSURE_NOTE_MAX) return { ok: false, error: "note-too-long" };
  return { ok: true, closure: { from: first, until: last, ...(hours ? { hours } : {}), ...(note ? { note } : {}) } };
}

/** The ISO date a typed day means, or why it means none. */
function dayOf(text: string, today: string): string | "date" | "no-such-day" {
  const relative = RELATIVE_DAYS[text.toLowerCase()];
  if (relative !== undefined) return DateTime.fromISO(today).plus({ days: relative }).toISODate()!;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : dotted ? [dotted[3], dotted[2], dotted[1]] : [];
  if (year === undefined) return "date";
  const date = DateTime.fromObject({ year: Number(year), month: Number(month), day: Number(day) });
  return date.isValid ? date.toISODate()! : "no-such-day";
}

/** "8:00" → "08:00"; undefined for a time that does not exist. */
function timeOf(text: string): string | undefined {
  const [hours, minutes] = text.split(":").map(Number) as [number, number];
  if (hours > 23 || minutes > 59) return undefined;
  return `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
}

/** Every ISO date from `from` to `until`, both included. */
export function daysOf(from: string, until: string): string[] {
  const days: string[] = [];
  for (let day = DateTime.fromISO(from); day.toISODate()! <= until; day = day.plus({ days: 1 })) days.push(day.toISODate()!);
  return days;
}
