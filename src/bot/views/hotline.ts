import type { DateTime } from "luxon";
import { INTL_LOCALE } from "../../i18n.js";
import type { HotlineSchedule, HotlineStatus } from "../../hotline/schedule.js";
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

