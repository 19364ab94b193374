import { Composer, InlineKeyboard, InputFile } from "grammy";
import type { i18n } from "i18next";
import { DateTime } from "luxon";
import type { Logger } from "pino";
import type { Content } from "../../content.js";
import { CLOSURE_KINDS, CLOSURE_MAX_DAYS, CLOSURE_NOTE_MAX, type ClosureInput, parseClosureInput } from "../../hotline/closure-input.js";
import type { ClosureStore, StoredClosure } from "../../hotline/closures.js";
import type { HotlineConfig } from "../../hotline/config.js";
import { CITY_ZONES } from "../../hotline/zones.js";
import { weeksChart } from "../../reports/weekly.js";
import { setBannedByReference } from "../../requests/ban.js";
import { referenceOf } from "../../requests/domain.js";
import { requestsCsv } from "../../requests/export.js";
import type { Stats, StatsReport, Tally } from "../../requests/stats.js";
import type { RequestStore } from "../../requests/store.js";
import type { Clock } from "../../shared/clock.js";
import { escapeHtml } from "../../shared/html.js";
import { registerAdminMenu } from "../../telegram/commands.js";
import type { UserStore } from "../../users/store.js";
import { closureButton } from "../callbacks.js";
import type { HamrohContext, RegisteredContext } from "../context.js";
import { showScreen } from "../views/screen.js";

export interface AdminDeps {
  adminIds: number[];
  closures: ClosureStore;
  hotline: HotlineConfig;
  faq: Content["faq"];
  stats: StatsReport;
  requests: RequestStore;
  users: UserStore;
  clock: Clock;
  i18n: i18n;
  logger: Logger;
}

const ADMIN_COMMANDS = ["closure", "closures", "stats", "export", "ban", "unban"];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** One example for each admin command in /help (commands and dates are not translated). */
const HELP_EXAMPLES: Record<string, string> = {
  stats: "/stats",
  broadcast: "/broadcast",
  broadcast_cancel: "/broadcast_cancel",
  closure: "/closure add 21.03.2027-24.03.2027",
  closures: "/closures",
  export: "/export 2026-11-01 2026-11-30",
  ban: "/ban A-1042",
  unban: "/unban A-1042",
};

/**
 * An admin's /help: their commands with one example each. Installed before the users' /help
 * (emergency help), which everyone else keeps.
 */
export function adminHelpFeature(adminIds: number[]): Composer<HamrohContext> {
  const feature = new Composer<HamrohContext>();
  feature.command("help", async (ctx, next) => {
    if (!adminIds.includes(ctx.from?.id ?? 0)) return next();
    const lines = Object.entries(HELP_EXAMPLES).map(
      ([command, example]) =>
        `/${command} — ${ctx.t(`adminHelp.${command}`)}\n${ctx.t("adminHelp.example", { example: `<code>${example}</code>`, interpolation: { escapeValue: false } })}`,
    );
    await ctx.reply([`<b>${ctx.t("adminHelp.title")}</b>`, ...lines, ctx.t("adminHelp.emergency")].join("\n\n"), { parse_mode: "HTML" });
  });
  return feature;
}

/** The NGO's admins (ADMIN_IDS): hotline closures, figures and a chart for reports, a CSV export, bans; their own "/" menu. */
export function adminFeature(deps: AdminDeps): Composer<RegisteredContext> {
  const { adminIds, closures, hotline, clock } = deps;
  const feature = new Composer<RegisteredContext>();
  const isAdmin = (ctx: RegisteredContext) => adminIds.includes(Number(ctx.user.telegramId));
  /** A closure waits for its kind here, per admin: the buttons name it, so that an older question's buttons add nothing. */
  const drafts = new Map<number, { id: number; closure: ClosureInput }>();
  let lastDraft = 0;
  /** Admins whose menu this process has set (or tried): an admin who opened the bot after the start gets it now. */
  const menus = new Set<number>();

  feature.use(async (ctx, next) => {
    const id = Number(ctx.user.telegramId);
    if (isAdmin(ctx) && !menus.has(id)) {
      menus.add(id);
      void registerAdminMenu(ctx.api, deps.i18n, id, { logger: deps.logger });
    }
    return next();
  });

  feature.command(ADMIN_COMMANDS, async (ctx, next) => {
    if (isAdmin(ctx)) return next();
    await ctx.reply(ctx.t("admin.onlyAdmins"));
  });
  feature.callbackQuery([closureButton.kind.trigger, closureButton.cancel.trigger], async (ctx, next) => {
    if (isAdmin(ctx)) return next();
    await ctx.answerCallbackQuery({ text: ctx.t("admin.onlyAdmins"), show_alert: true });
  });

  /** /closure add 31.12.2026 [08:00-12:00] [note for staff] | /closure add 21.03.2027-24.03.2027 | /closure remove 12 */
  feature.command("closure", async (ctx) => {
    const text = ctx.match.trim();
    const [action, ...rest] = text.split(/\s+/);
    if (action === "remove" && rest.length === 1 && /^\d+$/.test(rest[0]!)) {
      const removed = await closures.remove(Number(rest[0]));
      return void (await ctx.reply(ctx.t(removed ? "admin.closureRemoved" : "admin.closureUnknown", { id: rest[0] })));
    }
    const usage = ctx.t("admin.closureUsage", { days: CLOSURE_MAX_DAYS });
    if (action !== "add" || rest.length === 0) return void (await ctx.reply(usage));
    const parsed = parseClosureInput(text.slice(action.length), today(deps));
    if (!parsed.ok)
      return void (await ctx.reply(
        `${ctx.t(`admin.closureError.${parsed.error}`, { days: CLOSURE_MAX_DAYS, max: CLOSURE_NOTE_MAX })}\n\n${usage}`,
      ));
    const draft = { id: ++lastDraft, closure: parsed.closure };
    drafts.set(Number(ctx.user.telegramId), draft);
    const keyboard = new InlineKeyboard();
    for (const kind of CLOSURE_KINDS) keyboard.text(ctx.t(`closureKind.${kind}`), closureButton.kind.pack({ draft: draft.id, kind })).row();
    keyboard.text(ctx.t("admin.closureCancel"), closureButton.cancel.pack({ draft: draft.id }));
    const note = parsed.closure.note ? `\n${ctx.t("admin.closureNote", { note: parsed.closure.note })}` : "";
    await ctx.reply(`${ctx.t("admin.closureChooseKind", { when: whenText(ctx, parsed.closure) })}${note}`, {
      parse_mode: "HTML",
      reply_markup: keyboard,
    });
  });

  feature.callbackQuery(closureButton.kind.trigger, async (ctx) => {
    const pressed = closureButton.kind.unpack(ctx.callbackQuery.data)!;
    const draft = drafts.get(Number(ctx.user.telegramId));
    if (!draft || draft.id !== pressed.draft) return showScreen(ctx, ctx.t("admin.closureGone"));
    drafts.delete(Number(ctx.user.telegramId));
    const id = await closures.add({ ...draft.closure, kind: pressed.kind }, Number(ctx.user.telegramId));
    const note = draft.closure.note ? ` · ${ctx.t("admin.closureNote", { note: draft.closure.note })}` : "";
    await showScreen(
      ctx,
      ctx.t("admin.closureAdded", { id, when: whenText(ctx, draft.closure), kind: ctx.t(`closureKind.${pressed.kind}`), note }),
    );
  });

  feature.callbackQuery(closureButton.cancel.trigger, async (ctx) => {
    const pressed = closureButton.cancel.unpack(ctx.callbackQuery.data)!;
    if (drafts.get(Number(ctx.user.telegramId))?.id === pressed.draft) drafts.delete(Number(ctx.user.telegramId));
    await showScreen(ctx, ctx.t("admin.closureCancelled"));
  });

  feature.command(["ban", "unban"], async (ctx) => {
    await ctx.reply(
      await setBannedByReference(deps.requests, deps.users, ctx.t, ctx.match, ctx.message?.text?.startsWith("/ban") === true),
    );
  });

  feature.command("closures", async (ctx) => {
    const rows = await closures.upcoming(today(deps));
    const lines = rows.map((row) => closureLine(ctx, row));
    await ctx.reply(
      lines.length > 0
        ? `<b>${ctx.t("admin.closuresTitle")}</b>\n${lines.join("\n")}\n\n${ctx.t("admin.closuresRemove")}`
        : ctx.t("admin.closuresNone"),
      { parse_mode: "HTML" },
    );
  });

  /** The figures in words, then the chart of the last 12 weeks (this one so far included). */
  feature.command("stats", async (ctx) => {
    const now = clock.now();
    const stats = await deps.stats.collect(now);
    await ctx.reply(statsText(ctx, stats, deps), { parse_mode: "HTML" });
    const zone = hotline.schedule.zone;
    let chart: Buffer;
    try {
      chart = await weeksChart(deps.stats, ctx.t, ctx.locale, now.plus({ weeks: 1 }), zone, now.setZone(zone).toISODate()!);
    } catch (error) {
      deps.logger.error({ err: error }, "the chart for /stats could not be drawn");
      return void (await ctx.reply(ctx.t("admin.statsChartFailed")));
    }
    await ctx.replyWithPhoto(new InputFile(chart, `hamroh-${now.setZone(zone).toISODate()}.png`), {
      caption: ctx.t("report.chartCaption"),
    });
  });

  /** /export [from] [to]: a CSV of the requests created in the period (default: the last 30 days). */
  feature.command("export", async (ctx) => {
    const zone = hotline.schedule.zone;
    const [fromText, toText] = ctx.match.trim().split(/\s+/).filter(Boolean);
    const to = toText ? DateTime.fromISO(toText, { zone }).endOf("day") : clock.now().setZone(zone).endOf("day");
    const from = fromText ? DateTime.fromISO(fromText, { zone }).startOf("day") : to.minus({ days: 30 }).startOf("day");
    if (!from.isValid || !to.isValid || from > to || (fromText && !DATE.test(fromText)) || (toText && !DATE.test(toText))) {
      return void (await ctx.reply(ctx.t("admin.exportUsage")));
    }
    const rows = await deps.requests.createdBetween(from.toJSDate(), to.toJSDate());
    const csv = requestsCsv(
      rows.map((row) => ({ ...row, timeZone: row.user?.timeZone ?? null })),
      zone,
    );
    const name = `hamroh-requests-${from.toISODate()}-${to.toISODate()}.csv`;
    await ctx.replyWithDocument(new InputFile(Buffer.from(csv, "utf8"), name), {
      caption: ctx.t("admin.exportCaption", { count: rows.length, first: rows[0] ? referenceOf(rows[0].id) : "—" }),
    });
  });
  return feature;
}

/** Today in the hotline's zone (ISO). */
const today = ({ clock, hotline }: Pick<AdminDeps, "clock" | "hotline">) => clock.now().setZone(hotline.schedule.zone).toISODate()!;

const dotted = (iso: string) => DateTime.fromISO(iso).toFormat("dd.MM.yyyy");

/** "31.12.2026", "21.03.2027–24.03.2027", with " 08:00–12:00" for some hours. */
function whenText(ctx: RegisteredContext, closure: Pick<ClosureInput, "from" | "until" | "hours">): string {
  const days = closure.until === closure.from ? dotted(closure.from) : `${dotted(closure.from)}–${dotted(closure.until)}`;
  return `${days} ${closure.hours ? `${closure.hours.from}–${closure.hours.to}` : ctx.t("admin.closureWholeDay")}`;
}

/** "#3 · 31.12.2026 whole day · Holiday · note: …" (HTML). */
function closureLine(ctx: RegisteredContext, row: StoredClosure): string {
  const users = row.kind ? ctx.t(`closureKind.${row.kind}`) : `«${escapeHtml(row.reason ?? "")}»`;
  const note = row.note
    ? ` · <i>${escapeHtml(ctx.t("admin.closureNote", { note: row.note, interpolation: { escapeValue: false } }))}</i>`
    : "";
  return `#${row.id} · ${whenText(ctx, row)} · ${users}${note}`;
}

/** A time zone as people say it: its cities ("Moscow/St Petersburg"), or "UTC+3". */
function zoneName(ctx: RegisteredContext, zone: string | null): string {
  if (zone === null) return ctx.t("admin.statsNotSet");
  const cities = CITY_ZONES.filter((entry) => entry.zone === zone).map((entry) => ctx.t(`zone.city.${entry.city}`));
  return cities.length > 0 ? cities.join("/") : zone;
}

/** The /stats message: users (admins and lawyers not counted), requests, FAQ and notices, in the admin's language and in words. */
function statsText(ctx: RegisteredContext, { users, requests, faq, notices }: Stats, { faq: content, hotline }: AdminDeps): string {
  const tally = (rows: Tally, name: (value: string | null) => string) =>
    rows.map((row) => `${name(row.value)} ${row.count}`).join(", ") || "—";
  const word = (prefix: string) => (value: string | null) =>
    value === null ? ctx.t("admin.statsNotSet") : ctx.t(`${prefix}.${value}`, { defaultValue: value });
  const format = (value: number | undefined) => (value === undefined ? "—" : value.toFixed(value < 10 ? 1 : 0));
  const questions = content[ctx.locale].catalog.questions;
  const noticeLines = notices.map(
    (notice) =>
      `• #${notice.id} ${DateTime.fromJSDate(notice.createdAt).setZone(hotline.schedule.zone).toFormat("dd.MM.yyyy")}: ${ctx.t("admin.statsNotice", { total: notice.total, sent: notice.sent, blocked: notice.blocked, failed: notice.failed })}`,
  );
  return [
    `<b>${ctx.t("admin.statsUsers")}</b>`,
    ctx.t("admin.statsUsersLine", {
      users: users.total,
      reachable: users.reachable,
      noticesOff: users.noticesOff,
      active7: users.active7,
      active30: users.active30,
    }),
    `${ctx.t("admin.statsByLanguage")}: ${tally(users.byLanguage, word("admin.statsLanguage"))}`,
    `${ctx.t("admin.statsByZone")}: ${escapeHtml(tally(users.byZone, (zone) => zoneName(ctx, zone)))}`,
    `<i>${ctx.t("admin.statsStaffLeftOut")}</i>`,
    "",
    `<b>${ctx.t("admin.statsRequests")}</b>`,
    ctx.t("admin.statsRequestsLine", { new7: requests.new7, new30: requests.new30 }),
    `${ctx.t("admin.statsByStatus")}: ${tally(requests.byStatus, word("requests.status"))}`,
    `${ctx.t("admin.statsByTopic")}: ${tally(requests.byTopic, word("topic"))}`,
    ctx.t("admin.statsTimes", { firstReply: format(requests.minutesToFirstReply), close: format(requests.minutesToClose) }),
    ctx.t("admin.statsRating", { rating: format(requests.rating), count: requests.ratings }),
    "",
    `<b>${ctx.t("admin.statsFaq")}</b>`,
    ...faq.topViews.map((view) => `• ${escapeHtml(questions.get(view.questionId)?.question ?? view.questionId)}: ${view.views}`),
    ctx.t("admin.statsVotes", { yes: faq.helpful, no: faq.notHelpful }),
    "",
    `<b>${ctx.t("admin.statsNotices")}</b>`,
    ...(noticeLines.length > 0 ? noticeLines : ["—"]),
  ].join("\n");
}
