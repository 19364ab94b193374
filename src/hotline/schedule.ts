import { DateTime, Interval } from "luxon";
import { defaultHotlineSchedule } from "./config.js";
import type { Holiday } from "./holidays.js";

/** "HH:mm" in the hotline's zone. */
export interface TimeRange {
  from: string;
  to: string;
}

/** An ad-hoc closure added by admins: a whole day, or hours of it when `from`/`to` are set. */
export interface Closure {
  date: string;
  from?: string;
  to?: string;
  reason: string;
}

export interface HotlineSchedule {
  /** IANA zone the hours are given in, e.g. "Asia/Dushanbe". */
  zone: string;
  /** Opening ranges per ISO weekday (1 = Monday … 7 = Sunday); an empty list is a day off. */
  weekly: Record<number, TimeRange[]>;
  holidays: Holiday[];
  closures: Closure[];
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

/**
 * Whether the hotline is open at `at` (any zone), why, and when that changes.
 * Returned instants are in the zone of `at`.
 */
export function hotlineStatus(at: DateTime, schedule: HotlineSchedule = defaultHotlineSchedule): HotlineStatus {
  const local = at.setZone(schedule.zone);
  const inCallerZone = (instant: DateTime) => instant.setZone(at.zone);

  const today = openingIntervals(local, schedule);
  const current = today.find((interval) => interval.contains(local));
  if (current) {
    return { open: true, reason: "open", changesAt: inCallerZone(current.end!), nextOpening: null };
  }

  const nextOpening = findNextOpening(local, schedule);
  if (!nextOpening) throw new Error("The hotline schedule has no opening hours in the coming year: check config/hotline.json.");
  const opening = inCallerZone(nextOpening);
  return { open: false, reason: closedReason(local, schedule), changesAt: opening, nextOpening: opening };
}

/** The holiday or admin closure that keeps the hotline closed at `at`, if any. */
export function closureAt(at: DateTime, schedule: HotlineSchedule = defaultHotlineSchedule): Holiday | Closure | undefined {
  const local = at.setZone(schedule.zone);
  const date = local.toISODate();
  return (
    schedule.holidays.find((holiday) => holiday.date === date) ??
    schedule.closures.find((closure) => closure.date === date && closureInterval(local, closure).contains(local))
  );
}

function closedReason(local: DateTime, schedule: HotlineSchedule): HotlineStatusReason {
  if (closureAt(local, schedule)) return "holiday";
  const hours = regularHours(local, schedule);
  if (hours.length === 0) return "day-off";
  if (local < hours[0]!.start!) return "before-hours";
  if (local >= hours[hours.length - 1]!.end!) return "after-hours";
  return "lunch";
}

function findNextOpening(local: DateTime, schedule: HotlineSchedule): DateTime | undefined {
  for (let offset = 0; offset <= LOOKAHEAD_DAYS; offset++) {
    const day = local.plus({ days: offset });
    const next = openingIntervals(day, schedule).find((interval) => interval.start! > local);
    if (next) return next.start!;
  }
  return undefined;
}

/** The regular weekly hours of the day of `local`, ignoring holidays and closures. */
function regularHours(local: DateTime, schedule: HotlineSchedule): Interval[] {
  return (schedule.weekly[local.weekday] ?? []).map((range) => Interval.fromDateTimes(atTime(local, range.from), atTime(local, range.to)));
}

/** The hours the hotline is really open on the day of `local`: weekly hours minus holidays and closures. */
function openingIntervals(local: DateTime, schedule: HotlineSchedule): Interval[] {
  const date = local.toISODate();
  if (schedule.holidays.some((holiday) => holiday.date === date)) return [];
  const closed = schedule.closures.filter((closure) => closure.date === date).map((closure) => closureInterval(local, closure));
  const open = regularHours(local, schedule).flatMap((range) => range.difference(...closed));
  return Interval.merge(open);
}

function closureInterval(local: DateTime, closure: Closure): Interval {
  const start = closure.from ? atTime(local, closure.from) : local.startOf("day");
  const end = closure.to ? atTime(local, closure.to) : local.endOf("day");
  return Interval.fromDateTimes(start, end);
}

function atTime(day: DateTime, hhmm: string): DateTime {
  const [hour, minute] = hhmm.split(":").map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}
