import { DateTime } from "luxon";

/** A day the hotline is closed for a public holiday. `name` is a locale key suffix (holiday.<name>). */
export interface Holiday {
  /** ISO date in the hotline's zone, e.g. "2026-03-21". */
  date: string;
  name: string;
  /** The date is an estimate (Eid dates are set by the Council of Ulema days in advance). */
  estimate?: boolean;
  /** Set on the substitute day off when the holiday itself fell on a Saturday or Sunday. */
  movedFrom?: string;
}

export interface FixedHoliday {
  month: number;
  day: number;
  name: string;
}

const isWeekend = (date: DateTime) => date.weekday >= 6;

/**
 * The holidays of the given years: fixed-date ones, plus dated ones (Eid), plus, for every
 * holiday on a Saturday or Sunday, a substitute day off on the next working day that is not
 * already a holiday (Tajikistan's law "On holidays").
 */
export function expandHolidays(fixed: FixedHoliday[], dated: Holiday[], years: number[]): Holiday[] {
  const holidays: Holiday[] = [
    ...years.flatMap((year) =>
      fixed.map((holiday) => ({
        date: DateTime.utc(year, holiday.month, holiday.day).toISODate()!,
        name: holiday.name,
      })),
    ),
    ...dated,
  ].sort((a, b) => a.date.localeCompare(b.date));

  const taken = new Set(holidays.map((holiday) => holiday.date));
  const substitutes: Holiday[] = [];
  for (const holiday of holidays) {
    const date = DateTime.fromISO(holiday.date, { zone: "utc" });
    if (!isWeekend(date)) continue;
    let substitute = date.plus({ days: 1 });
    while (isWeekend(substitute) || taken.has(substitute.toISODate()!)) substitute = substitute.plus({ days: 1 });
    const iso = substitute.toISODate()!;
    taken.add(iso);
    substitutes.push({ ...holiday, date: iso, movedFrom: holiday.date });
  }
  return [...holidays, ...substitutes].sort((a, b) => a.date.localeCompare(b.date));
}
