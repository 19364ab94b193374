import { Composer, InlineKeyboard } from "grammy";
import { DateTime, type WeekdayNumbers } from "luxon";
import { INTL_LOCALE } from "../../i18n.js";
import { closureAt, hotlineStatus, type HotlineSchedule, type HotlineStatus } from "../../hotline/schedule.js";
import { CITY_ZONES, UTC_OFFSETS, cityZone, formatOffset, offsetZone } from "../../hotline/zones.js";
import { callback } from "../callbacks.js";
import type { RegisteredContext } from "../context.js";
import { escapeHtml, showScreen } from "../respond.js";
import { showExpired } from "./fallback.js";

/** "Is the hotline open right now?" in Dushanbe time and the user's own, and where the user is. */
export const hotlineFeature = new Composer<RegisteredContext>();

hotlineFeature.command("hotline", (ctx) => showHotlineOrAskZone(ctx));
hotlineFeature.callbackQuery(callback.hotline, (ctx) => showHotlineOrAskZone(ctx));
hotlineFeature.callbackQuery(callback.zonePicker, (ctx) => showCityPicker(ctx));

hotlineFeature.callbackQuery(/^zone:city:([a-z-]+)$/, async (ctx) => {
  const city = ctx.match[1]!;
  const zone = cityZone(city);
  if (!zone) return showExpired(ctx);
  await saveZone(ctx, zone, city);
});

hotlineFeature.callbackQuery(callback.zoneOther, async (ctx) => {
  const offsets = UTC_OFFSETS.map((offset) => InlineKeyboard.text(ctx.t("zone.offset", { offset: formatOffset(offset) }), callback.zoneOffset(offset)));
  const keyboard = InlineKeyboard.from(chunk(offsets, 4))
    .row()
    .text(ctx.t("menu.back"), callback.zonePicker)
    .text(ctx.t("menu.home"), callback.menu);
  await showScreen(ctx, ctx.t("zone.askOffset"), keyboard);
});

hotlineFeature.callbackQuery(/^zone:utc:(-?\d{1,2})$/, async (ctx) => {
  const offset = Number(ctx.match[1]);
  if (!UTC_OFFSETS.includes(offset)) return showExpired(ctx);
  await saveZone(ctx, offsetZone(offset), null);
});

/** The zone is asked once, the first time someone looks at the hotline. */
async function showHotlineOrAskZone(ctx: RegisteredContext): Promise<void> {
  if (!ctx.user.timeZone) return showCityPicker(ctx);
  await showHotline(ctx);
}

async function saveZone(ctx: RegisteredContext, timeZone: string, city: string | null): Promise<void> {
  ctx.user = await ctx.deps.users.update(ctx.user, { timeZone, city });
  const place = city ? ctx.t(`zone.city.${city}`) : ctx.t("zone.offset", { offset: formatOffset(offsetOf(timeZone)) });
  const time = ctx.deps.now().setZone(timeZone).toFormat("HH:mm");
  await showHotline(ctx, ctx.t("zone.saved", { place, time }));
}

async function showCityPicker(ctx: RegisteredContext): Promise<void> {
  const cities = CITY_ZONES.map(({ city }) => InlineKeyboard.text(ctx.t(`zone.city.${city}`), callback.zoneCity(city)));
  const keyboard = InlineKeyboard.from(chunk(cities, 2))
    .row()
    .text(ctx.t("zone.other"), callback.zoneOther)
    .row()
    .text(ctx.t("menu.home"), callback.menu);
  await showScreen(ctx, ctx.t("zone.ask"), keyboard);
}

async function showHotline(ctx: RegisteredContext, intro?: string): Promise<void> {
  const now = ctx.deps.now();
  const status = hotlineStatus(now, ctx.deps.hotline.schedule);
  const text = [
    intro,
    `<b>${ctx.t("hotline.title")}</b>\n${statusLine(ctx, status, now)}\n${ctx.t("hotline.call", { phone: ctx.deps.hotline.phoneDisplay })}`,
    `${ctx.t("hotline.hoursTitle")}\n${weeklyHours(ctx)}`,
    status.open ? undefined : ctx.t("hotline.whileClosed"),
  ]
    .filter(Boolean)
    .join("\n\n");
  const keyboard = new InlineKeyboard();
  if (!status.open) {
    keyboard.text(ctx.t("menu.ask"), callback.ask).row();
    keyboard.text(ctx.t("menu.faq"), callback.faqCategories).text(ctx.t("menu.emergency"), callback.emergency).row();
  }
  keyboard.text(ctx.t("hotline.changeZone"), callback.zonePicker).row().text(ctx.t("menu.home"), callback.menu);
  await showScreen(ctx, text, keyboard);
}

function statusLine(ctx: RegisteredContext, status: HotlineStatus, now: DateTime): string {
  if (status.open) return ctx.t("hotline.open", { until: inZones(ctx, status.changesAt, hotlineTime(ctx, status.changesAt).toFormat("HH:mm")) });
  const next = whenItOpens(ctx, status, now);
  switch (status.reason) {
    case "lunch":
      return ctx.t("hotline.lunch", { next });
    case "before-hours":
      return ctx.t("hotline.beforeHours", { next });
    case "after-hours":
      return ctx.t("hotline.afterHours", { next });
    case "day-off":
      return ctx.t("hotline.dayOff", { next });
    default:
      return ctx.t("hotline.holiday", { next, holiday: closureName(ctx, now), interpolation: { escapeValue: false } });
  }
}

/** The holiday's name (marked when its date is an estimate or a moved day off), or an admin's reason. */
function closureName(ctx: RegisteredContext, now: DateTime): string {
  const closure = closureAt(now, ctx.deps.hotline.schedule);
  if (!closure) return ctx.t("hotline.closure");
  if ("reason" in closure) return escapeHtml(closure.reason);
  const holiday = ctx.t(`holiday.${closure.name}`);
  if (closure.movedFrom) {
    const date = DateTime.fromISO(closure.movedFrom).setLocale(INTL_LOCALE[ctx.locale]).toFormat("d MMMM");
    return ctx.t("hotline.holidayMoved", { holiday, date });
  }
  return closure.estimate ? ctx.t("hotline.holidayEstimate", { holiday }) : holiday;
}

/** "today at 13:00", "tomorrow at 08:00", "on Monday, 30 November at 08:00" — the hotline's calendar. */
/** "today at 13:00 Dushanbe time (11:00 your time)": when a closed hotline opens again. */
export function whenItOpens(ctx: RegisteredContext, status: HotlineStatus, now: DateTime): string {
  return inZones(ctx, status.changesAt, relativeDay(ctx, status.changesAt, now));
}

function relativeDay(ctx: RegisteredContext, instant: DateTime, now: DateTime): string {
  const local = hotlineTime(ctx, instant);
  const time = local.toFormat("HH:mm");
  const days = local.startOf("day").diff(hotlineTime(ctx, now).startOf("day"), "days").days;
  if (days === 0) return ctx.t("hotline.today", { time });
  if (days === 1) return ctx.t("hotline.tomorrow", { time });
  return ctx.t("hotline.onDay", { day: local.toFormat("cccc, d MMMM"), time });
}

/** Adds the user's own time when their zone differs from the hotline's right then. */
function inZones(ctx: RegisteredContext, instant: DateTime, when: string): string {
  const hotline = hotlineTime(ctx, instant);
  const zone = ctx.user.timeZone;
  const own = zone ? instant.setZone(zone).setLocale(INTL_LOCALE[ctx.locale]) : undefined;
  if (!own?.isValid || own.offset === hotline.offset) return ctx.t("hotline.inDushanbe", { when, interpolation: { escapeValue: false } });
  const local = own.toISODate() === hotline.toISODate() ? own.toFormat("HH:mm") : own.toFormat("ccc HH:mm");
  return ctx.t("hotline.inBothZones", { when, local, interpolation: { escapeValue: false } });
}

/** The weekly hours only change with the schedule: formatted once per schedule and locale. */
const weeklyHoursCache = new WeakMap<HotlineSchedule, Map<string, string>>();

function weeklyHours(ctx: RegisteredContext): string {
  const { schedule } = ctx.deps.hotline;
  const byLocale = weeklyHoursCache.get(schedule) ?? new Map<string, string>();
  weeklyHoursCache.set(schedule, byLocale);
  let text = byLocale.get(ctx.locale);
  if (text === undefined) {
    text = formatWeeklyHours(ctx).join("\n");
    byLocale.set(ctx.locale, text);
  }
  return text;
}

/** Weekly hours grouped by runs of equal days: "Mon–Fri: 08:00–12:00, 13:00–17:00". */
function formatWeeklyHours(ctx: RegisteredContext): string[] {
  const { weekly } = ctx.deps.hotline.schedule;
  const dayName = (weekday: number) => DateTime.fromObject({ weekday: weekday as WeekdayNumbers }).setLocale(INTL_LOCALE[ctx.locale]).toFormat("ccc");
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

function chunk<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));
}

function hotlineTime(ctx: RegisteredContext, instant: DateTime): DateTime {
  return instant.setZone(ctx.deps.hotline.schedule.zone).setLocale(INTL_LOCALE[ctx.locale]);
}

function offsetOf(zone: string): number {
  return DateTime.now().setZone(zone).offset / 60;
}
