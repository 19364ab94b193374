import { DateTime } from "luxon";
import type { ClosureKind } from "./closure-input.js";
import type { Holiday } from "./holidays.js";

/** "HH:mm" in the hotline's zone. */
export interface TimeRange {
  from: string;
  to: string;
}

/** An ad-hoc closure (configured, or added by admins): a whole day, or hours of it when `from`/`to` are set. */
export interface Closure {
  date: string;
  from?: string;
  to?: string;
  /** What users read, in their own language (`closureKind.<kind>`): admins' closures. */
  kind?: ClosureKind;
  /** What users read as it was typed: configured closures, and admins' from before kinds. */
  reason?: string;
}

export interface HotlineSchedule {
  /** IANA zone the hours are given in, e.g. "Asia/Dushanbe". */
  zone: string;
  /** Opening ranges per ISO weekday (1 = Monday … 7 = Sunday); an empty list is a day off. */
  weekly: Record<number, TimeRange[]>;
  holidays: Holiday[];
  /** The last day the holiday data covers (ISO date): after it, holidays are not known. */
  holidaysKnownUntil: string;
  closures: Closure[];
}

/** Holiday data must reach at least this far ahead, or admins are warned. */
export const HOLIDAY_DATA_AHEAD_DAYS = 90;

/** When the holiday data ends, if that is within HOLIDAY_DATA_AHEAD_DAYS of `now`. */
export function holidayDataEndsSoon(schedule: HotlineSchedule, now: DateTime): string | undefined {
  const ends = DateTime.fromISO(schedule.holidaysKnownUntil, { zone: schedule.zone }).endOf("day");
  return ends.diff(now, "days").days < HOLIDAY_DATA_AHEAD_DAYS ? schedule.holidaysKnownUntil : undefined;
}

export type HotlineStatusReason = "open" | "lunch" | "before-hours" | "after-hours" | "day-off" | "holiday";

export interface HotlineStatus {
  open: boolean;
  reason: HotlineStatusReason;
  /** When `open` next flips. */
  changesAt: DateTime;
  /** When the hotline opens next; null while it is open. */
  nextOpening: DateTime | null;
}

/** How far ahead to look for the next opening before calling a schedule "never open". */
const LOOKAHEAD_DAYS = 400;

/** [start, end) in epoch milliseconds. */
type Span = readonly [number, number];

/** One calendar day of the hotline, in its zone: regular hours, and the hours really open. */
interface Day {
  date: string;
  regular: Span[];
  open: Span[];
  holiday: Holiday | undefined;
  closures: { closure: Closure; span: Span }[];
}

/**
 * Whether the hotline is open at `at` (any zone), why, and when that changes.
 * Returned instants are in the zone of `at`.
 */
export function hotlineStatus(at: DateTime, schedule: HotlineSchedule): HotlineStatus {
  const instant = at.toMillis();
  const local = at.setZone(schedule.zone);
  const inCallerZone = (millis: number) => DateTime.fromMillis(millis, { zone: at.zone });

  const today = dayOf(local, schedule);
  const current = today.open.find(([start, end]) => start <= instant && instant < end);
  if (current) return { open: true, reason: "open", changesAt: inCallerZone(current[1]), nextOpening: null };

  const nextOpening = findNextOpening(local, instant, schedule);
  if (nextOpening === undefined)
    throw new Error("The hotline schedule has no opening hours in the coming year: check config/hotline.json.");
  const opening = inCallerZone(nextOpening);
  return { open: false, reason: closedReason(today, instant), changesAt: opening, nextOpening: opening };
}

/** The holiday or admin closure that keeps the hotline closed at `at`, if any. */
export function closureAt(at: DateTime, schedule: HotlineSchedule): Holiday | Closure | undefined {
  const day = dayOf(at.setZone(schedule.zone), schedule);
  return day.holiday ?? closureCovering(day, at.toMillis());
}

function closureCovering(day: Day, instant: number): Closure | undefined {
  return day.closures.find(({ span: [start, end] }) => start <= instant && instant < end)?.closure;
}

function closedReason(day: Day, instant: number): HotlineStatusReason {
  if (day.holiday || closureCovering(day, instant)) return "holiday";
  if (day.regular.length === 0) return "day-off";
  if (instant < day.regular[0]![0]) return "before-hours";
  if (instant >= day.regular[day.regular.length - 1]![1]) return "after-hours";
  return "lunch";
}

function findNextOpening(local: DateTime, instant: number, schedule: HotlineSchedule): number | undefined {
  for (let offset = 0; offset <= LOOKAHEAD_DAYS; offset++) {
    const next = dayOf(local.plus({ days: offset }), schedule).open.find(([start]) => start > instant);
    if (next) return next[0];
  }
  return undefined;
}

/**
 * Days are worked out once per schedule and date: the status is asked on every hotline screen.
 * A schedule is never changed in place (a change of closures makes a new schedule object).
 */
const daysBySchedule = new WeakMap<HotlineSchedule, Map<string, Day>>();

function dayOf(local: DateTime, schedule: HotlineSchedule): Day {
  const date = local.toISODate()!;
  let days = daysBySchedule.get(schedule);
  if (!days) daysBySchedule.set(schedule, (days = new Map()));
  let day = days.get(date);
  if (!day) days.set(date, (day = buildDay(local, date, schedule)));
  return day;
}

function buildDay(local: DateTime, date: string, schedule: HotlineSchedule): Day {
  const holiday = schedule.holidays.find((candidate) => candidate.date === date);
  const closures = schedule.closures
    .filter((closure) => closure.date === date)
    .map((closure) => ({
      closure,
      span: [
        closure.from ? atTime(local, closure.from) : local.startOf("day").toMillis(),
        closure.to ? atTime(local, closure.to) : local.endOf("day").toMillis() + 1,
      ] as Span,
    }));
  const regular = (schedule.weekly[local.weekday] ?? []).map((range): Span => [atTime(local, range.from), atTime(local, range.to)]);
  const open = holiday
    ? []
    : merge(
        regular.flatMap((span) =>
          subtract(
            span,
            closures.map((c) => c.span),
          ),
        ),
      );
  return { date, regular, open, holiday, closures };
}

/** `span` minus every one of `holes`. */
function subtract(span: Span, holes: Span[]): Span[] {
  let pieces: Span[] = [span];
  for (const [holeStart, holeEnd] of holes) {
    pieces = pieces.flatMap(([start, end]) => {
      const kept: Span[] = [];
      if (start < Math.min(end, holeStart)) kept.push([start, Math.min(end, holeStart)]);
      if (Math.max(start, holeEnd) < end) kept.push([Math.max(start, holeEnd), end]);
      return kept;
    });
  }
  return pieces;
}

/** Sorts and joins touching or overlapping spans. */
function merge(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function atTime(day: DateTime, hhmm: string): number {
  const [hour, minute] = hhmm.split(":").map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
}
