import { Composer, InlineKeyboard } from "grammy";
import { DateTime } from "luxon";
import type { HotlineConfig } from "../../hotline/config.js";
import { closureAt, type HotlineSchedule, type HotlineStatus, hotlineStatus } from "../../hotline/schedule.js";
import { CITY_ZONES, cityZone, formatOffset, offsetZone, UTC_OFFSETS } from "../../hotline/zones.js";
import { INTL_LOCALE } from "../../i18n.js";
import type { Clock } from "../../shared/clock.js";
import { escapeHtml } from "../../shared/html.js";
import type { UserStore } from "../../users/store.js";
import { callback } from "../callbacks.js";
import type { RegisteredContext } from "../context.js";
import { hotlineTime, inZones, weeklyHours, whenItOpens } from "../views/hotline.js";
import { showExpired } from "../views/menu.js";
import { showScreen } from "../views/screen.js";

export interface HotlineDeps {
  /** The hotline as configured, with admins' closures (its schedule is replaced when they change). */
  hotline: HotlineConfig;
  users: UserStore;
  clock: Clock;
}

/** "Is the hotline open right now?" in Dushanbe time and the user's own, and where the user is. */
export function hotlineFeature(deps: HotlineDeps): Composer<RegisteredContext> {
  const feature = new Composer<RegisteredContext>();
  const { users, clock } = deps;

  /** Whether it is open comes first; the user's own time is offered, never asked as a gate. */
  const showHotlineOrAskZone = (ctx: RegisteredContext) => showHotline(ctx, deps);
  const saveZone = async (ctx: RegisteredContext, timeZone: string, city: string | null) => {
    ctx.user = await users.update(ctx.user, { timeZone, city });
    const place = city
      ? ctx.t(`zone.city.${city}`)
      : ctx.t("zone.offset", { offset: formatOffset(clock.now().setZone(timeZone).offset / 60) });
    const time = clock.now().setZone(timeZone).toFormat("HH:mm");
    await showHotline(ctx, deps, ctx.t("zone.saved", { place, time }));
  };

  feature.command("hotline", showHotlineOrAskZone);
  feature.callbackQuery(callback.hotline.trigger, showHotlineOrAskZone);
  feature.callbackQuery(callback.zonePicker.trigger, showCityPicker);

  feature.callbackQuery(callback.zoneCity.trigger, async (ctx) => {
    const { city } = callback.zoneCity.unpack(ctx.callbackQuery.data)!;
    const zone = cityZone(city);
    if (!zone) return showExpired(ctx);
    await saveZone(ctx, zone, city);
  });

  feature.callbackQuery(callback.zoneOther.trigger, async (ctx) => {
    const offsets = UTC_OFFSETS.map((offset) =>
      InlineKeyboard.text(ctx.t("zone.offset", { offset: formatOffset(offset) }), callback.zoneOffset.pack({ offset })),
    );
    const keyboard = InlineKeyboard.from(chunk(offsets, 4))
      .row()
      .text(ctx.t("menu.back"), callback.zonePicker.pack())
      .text(ctx.t("menu.home"), callback.menu.pack());
    await showScreen(ctx, ctx.t("zone.askOffset"), keyboard);
  });

  feature.callbackQuery(callback.zoneOffset.trigger, async (ctx) => {
    const { offset } = callback.zoneOffset.unpack(ctx.callbackQuery.data)!;
    if (!UTC_OFFSETS.includes(offset)) return showExpired(ctx);
    await saveZone(ctx, offsetZone(offset), null);
  });
  return feature;
}

async function showCityPicker(ctx: RegisteredContext): Promise<void> {
  const cities = CITY_ZONES.map(({ city }) => InlineKeyboard.text(ctx.t(`zone.city.${city}`), callback.zoneCity.pack({ city })));
  const keyboard = InlineKeyboard.from(chunk(cities, 2))
    .row()
    .text(ctx.t("zone.other"), callback.zoneOther.pack())
    .row()
    .text(ctx.t("menu.home"), callback.menu.pack());
  await showScreen(ctx, ctx.t("zone.ask"), keyboard);
}

async function showHotline(ctx: RegisteredContext, { hotline, clock }: HotlineDeps, intro?: string): Promise<void> {
  const now = clock.now();
  const { schedule } = hotline;
  const status = hotlineStatus(now, schedule);
  const text = [
    intro,
    `<b>${ctx.t("hotline.title")}</b>\n${statusLine(ctx, schedule, status, now)}\n${ctx.t("hotline.call", { phone: hotline.phoneDisplay })}`,
    `${ctx.t("hotline.hoursTitle")}\n${weeklyHours(ctx, schedule)}`,
    status.open ? undefined : ctx.t("hotline.whileClosed"),
    ctx.user.timeZone ? undefined : ctx.t("hotline.offerZone"),
  ]
    .filter(Boolean)
    .join("\n\n");
  const keyboard = new InlineKeyboard();
  if (!status.open) {
    keyboard.text(ctx.t("menu.ask"), callback.ask.pack()).row();
    keyboard.text(ctx.t("menu.faq"), callback.faqCategories.pack()).text(ctx.t("menu.emergency"), callback.emergency.pack()).row();
  }
  keyboard
    .text(ctx.t(ctx.user.timeZone ? "hotline.changeZone" : "hotline.chooseZone"), callback.zonePicker.pack())
    .row()
    .text(ctx.t("menu.home"), callback.menu.pack());
  await showScreen(ctx, text, keyboard);
}

function statusLine(ctx: RegisteredContext, schedule: HotlineSchedule, status: HotlineStatus, now: DateTime): string {
  if (status.open)
    return ctx.t("hotline.open", {
      until: inZones(ctx, schedule, status.changesAt, hotlineTime(ctx, schedule, status.changesAt).toFormat("HH:mm")),
    });
  const next = whenItOpens(ctx, schedule, status, now);
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
      return ctx.t("hotline.holiday", { next, holiday: closureName(ctx, schedule, now), interpolation: { escapeValue: false } });
  }
}

/** The holiday's name (marked when its date is an estimate or a moved day off), or the closure's kind (or typed reason). */
function closureName(ctx: RegisteredContext, schedule: HotlineSchedule, now: DateTime): string {
  const closure = closureAt(now, schedule);
  if (!closure) return ctx.t("hotline.closure");
  if (!("name" in closure))
    return closure.kind ? ctx.t(`closureKind.${closure.kind}`) : escapeHtml(closure.reason ?? ctx.t("hotline.closure"));
  const holiday = ctx.t(`holiday.${closure.name}`);
  if (closure.movedFrom) {
    const date = DateTime.fromISO(closure.movedFrom).setLocale(INTL_LOCALE[ctx.locale]).toFormat("d MMMM");
    return ctx.t("hotline.holidayMoved", { holiday, date });
  }
  return closure.estimate ? ctx.t("hotline.holidayEstimate", { holiday }) : holiday;
}

function chunk<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));
}
