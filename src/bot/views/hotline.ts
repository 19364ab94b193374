import { DateTime, type WeekdayNumbers } from "luxon";
import type { HotlineSchedule, HotlineStatus } from "../../hotline/schedule.js";
import { INTL_LOCALE } from "../../i18n.js";
import type { RegisteredContext } from "../context.js";

/** "today at 13:00 Dushanbe time (11:00 your time)": when a closed hotline opens again. */
export function whenItOpens(ctx: RegisteredContext, schedule: HotlineSchedule, status: HotlineStatus, now: DateTime): string {
  return inZones(ctx, schedule, status.changesAt, relativeDay(ctx, schedule, status.changesAt, now));
}

/** "today at 13:00", "tomorrow at 08:00", "on Monday, 30 November at 08:00" — the hotline's calendar. */
function relativeDay(ctx: RegisteredContext, schedule: HotlineSchedule, instant: DateTime, now: DateTime): string {
  const local = hotlineTime(ctx, schedule, instant);
  const time = local.toFormat("HH:mm");
  const days = local.startOf("day").diff(hotlineTime(ctx, schedule, now).startOf("day"), "days").days;
  if (days === 0) return ctx.t("hotline.today", { time });
  if (days === 1) return ctx.t("hotline.tomorrow", { time });
  return ctx.t("hotline.onDay", { day: local.toFormat("cccc, d MMMM"), time });
}

/** Adds the user's own time when their zone differs from the hotline's right then. */
export function inZones(ctx: RegisteredContext, schedule: HotlineSchedule, instant: DateTime, when: string): string {
  const hotline = hotlineTime(ctx, schedule, instant);
  const zone = ctx.user.timeZone;
  const own = zone ? instant.setZone(zone).setLocale(INTL_LOCALE[ctx.locale]) : undefined;
  if (!own?.isValid || own.offset === hotline.offset) return ctx.t("hotline.inDushanbe", { when, interpolation: { escapeValue: false } });
  const local = own.toISODate() === hotline.toISODate() ? own.toFormat("HH:mm") : own.toFormat("ccc HH:mm");
  return ctx.t("hotline.inBothZones", { when, local, interpolation: { escapeValue: false } });
}

export function hotlineTime(ctx: RegisteredContext, schedule: HotlineSchedule, instant: DateTime): DateTime {
  return instant.setZone(schedule.zone).setLocale(INTL_LOCALE[ctx.locale]);
}

/** The weekly hours only change with the schedule: formatted once per schedule and locale. */
const weeklyHoursCache = new WeakMap<HotlineSchedule, Map<string, string>>();

/** In a language: `locale` for day names, `t` for "closed". */
type InLanguage = Pick<RegisteredContext, "locale" | "t">;

export function weeklyHours(ctx: InLanguage, schedule: HotlineSchedule): string {
  const byLocale = weeklyHoursCache.get(schedule) ?? new Map<string, string>();
  weeklyHoursCache.set(schedule, byLocale);
  let text = byLocale.get(ctx.locale);
  if (text === undefined) {
    text = formatWeeklyHours(ctx, schedule).join("\n");
    byLocale.set(ctx.locale, text);
  }
  return text;
}

/** Weekly hours grouped by runs of equal days: "Mon–Fri: 08:00–12:00, 13:00–17:00". */
function formatWeeklyHours(ctx: InLanguage, { weekly }: HotlineSchedule): string[] {
  const dayName = (weekday: number) =>
    DateTime.fromObject({ weekday: weekday as WeekdayNumbers })
      .setLocale(INTL_LOCALE[ctx.locale])
      .toFormat("ccc");
  const hoursOf = (weekday: number) =>
    weekly[weekday]?.map((range) => `${range.from}–${range.to}`).join(", ") || ctx.t("hotline.closedAllDay");
  const lines: string[] = [];
  let first = 1;
  for (let weekday = 1; weekday <= 7; weekday++) {
    if (weekday < 7 && hoursOf(weekday + 1) === hoursOf(weekday)) continue;
    const days = first === weekday ? dayName(first) : `${dayName(first)}–${dayName(weekday)}`;
    lines.push(`${days}: ${hoursOf(weekday)}`);
    first = weekday + 1;
  }
  return lines;
}
