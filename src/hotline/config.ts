import { DateTime } from "luxon";
import { z } from "zod";
import { ContentError, readJson } from "../shared/data-file.js";
import { projectPath } from "../shared/paths.js";
import { formatZodIssues } from "../shared/zod.js";
import { expandHolidays } from "./holidays.js";
import type { HotlineSchedule } from "./schedule.js";

/** Where the hotline's hours and holidays are configured. */
export const hotlineConfigPath = () => projectPath("config/hotline.json");

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time "HH:mm"' });
const isoDate = z.string().refine((value) => DateTime.fromISO(value).isValid && /^\d{4}-\d{2}-\d{2}$/.test(value), {
  error: 'must be a date "YYYY-MM-DD"',
});
const range = z.object({ from: time, to: time }).refine((r) => r.from < r.to, { error: "must end after it starts" });
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const dayRanges = z.array(range).refine((ranges) => ranges.every((r, i) => i === 0 || ranges[i - 1]!.to <= r.from), {
  error: "ranges must be in order and not overlap",
});

const hotlineFileSchema = z.object({
  phone: z.string().regex(/^\+\d{7,15}$/),
  phoneDisplay: z.string().min(1),
  zone: z.string().refine((zone) => DateTime.now().setZone(zone).isValid, { error: "is not a known time zone" }),
  weekly: z
    .object({ mon: dayRanges, tue: dayRanges, wed: dayRanges, thu: dayRanges, fri: dayRanges, sat: dayRanges, sun: dayRanges })
    .refine((week) => Object.values(week).some((ranges) => ranges.length > 0), {
      error: "has no opening hours on any day: give at least one day its hours",
    }),
  holidays: z.object({
    years: z.array(z.number().int().min(2000).max(2100)).min(1),
    fixed: z.array(
      z
        .object({ month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(31), name: z.string().min(1) })
        // 29 February is a holiday only in leap years; 31 April never exists.
        .refine((holiday) => DateTime.utc(2024, holiday.month, holiday.day).isValid, { error: "is not a date in the year" }),
    ),
    dated: z.array(z.object({ date: isoDate, name: z.string().min(1), estimate: z.boolean().optional() })),
  }),
  closures: z.array(
    z
      .object({ date: isoDate, from: time.optional(), to: time.optional(), reason: z.string().min(1) })
      .refine((closure) => (closure.from === undefined) === (closure.to === undefined) && (!closure.from || closure.from < closure.to!), {
        error: "needs both from and to, from before to (or neither, for the whole day)",
      }),
  ),
});

export interface HotlineConfig {
  /** International form for tel: links, e.g. "+992918853434". */
  phone: string;
  /** The same number grouped for reading. */
  phoneDisplay: string;
  schedule: HotlineSchedule;
}

/** Reads the hotline's hours and holidays from its JSON file; a mistake names the field. */
export function loadHotlineConfig(path = hotlineConfigPath()): HotlineConfig {
  const parsed = hotlineFileSchema.safeParse(readJson(path));
  if (!parsed.success) {
    throw new ContentError(`${path} is invalid: ${formatZodIssues(parsed.error)}`);
  }
  const file = parsed.data;
  return {
    phone: file.phone,
    phoneDisplay: file.phoneDisplay,
    schedule: {
      zone: file.zone,
      weekly: Object.fromEntries(WEEKDAYS.map((day, index) => [index + 1, file.weekly[day]])),
      holidays: expandHolidays(file.holidays.fixed, file.holidays.dated, file.holidays.years),
      holidaysKnownUntil: `${Math.max(...file.holidays.years)}-12-31`,
      closures: file.closures,
    },
  };
}
