import { Composer, InputFile } from "grammy";
import { DateTime } from "luxon";
import type { Content } from "../../content.js";
import type { ClosureStore } from "../../hotline/closures.js";
import type { HotlineConfig } from "../../hotline/config.js";
import { setBannedByReference } from "../../requests/ban.js";
import { referenceOf } from "../../requests/domain.js";
import { requestsCsv } from "../../requests/export.js";
import type { Stats, StatsReport, Tally } from "../../requests/stats.js";
import type { RequestStore } from "../../requests/store.js";
import type { Clock } from "../../shared/clock.js";
import { escapeHtml } from "../../shared/html.js";
import type { UserStore } from "../../users/store.js";
import type { RegisteredContext } from "../context.js";

export interface AdminDeps {
  adminIds: number[];
  closures: ClosureStore;
  hotline: HotlineConfig;
  faq: Content["faq"];
  stats: StatsReport;
  requests: RequestStore;
  users: UserStore;
  clock: Clock;
}

const ADMIN_COMMANDS = ["closure", "closures", "stats", "export", "ban", "unban"];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HOURS = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;

/** The NGO's admins (ADMIN_IDS): hotline closures, figures for reports, a CSV export, bans. */
export function adminFeature(deps: AdminDeps): Composer<RegisteredContext> {
  const { adminIds, closures, hotline, clock } = deps;
  const feature = new Composer<RegisteredContext>();

  feature.command(ADMIN_COMMANDS, async (ctx, next) => {
    if (adminIds.includes(Number(ctx.user.telegramId))) return next();
    await ctx.reply(ctx.t("admin.onlyAdmins"));
  });

  /** /closure add 2026-12-31 [08:00-12:00] reason… | /closure remove 12 */
  feature.command("closure", async (ctx) => {
    const [action, ...rest] = ctx.match.trim().split(/\s+/);
    if (action === "remove" && /^\d+$/.test(rest[0] ?? "")) {
      const removed = await closures.remove(Number(rest[0]));
      return void (await ctx.reply(ctx.t(removed ? "admin.closureRemoved" : "admin.closureUnknown", { id: rest[0] })));
    }
    const [date, maybeHours, ...reasonWords] = rest;
    const hours = maybeHours && HOURS.test(maybeHours) ? maybeHours.split("-") : undefined;
    const reason = (hours ? reasonWords : [maybeHours, ...reasonWords]).filter(Boolean).join(" ").trim();
    const validDate = date && DATE.test(date) && DateTime.fromISO(date).isValid;
    if (action !== "add" || !validDate || reason.length === 0 || reason.length > 100 || (hours && hours[0]! >= hours[1]!)) {
      return void (await ctx.reply(ctx.t("admin.closureUsage")));
    }
    const id = await closures.add({ date, from: hours?.[0], to: hours?.[1], reason }, Number(ctx.user.telegramId));
    await ctx.reply(ctx.t("admin.closureAdded", { id, date, hours: hours ? ` ${hours.join("–")}` : "", reason }));
  });

  feature.command(["ban", "unban"], async (ctx) => {
    await ctx.reply(await setBannedByReference(deps.requests, deps.users, ctx.t, ctx.match, ctx.message?.text?.startsWith("/ban") === true));
  });

  feature.command("closures", async (ctx) => {
    const today = clock.now().setZone(hotline.schedule.zone).toISODate()!;
    const rows = await closures.upcoming(today);
    const lines = rows.map((row) => `#${row.id} · ${row.date}${row.from ? ` ${row.from}–${row.to}` : ""} · ${escapeHtml(row.reason)}`);
    await ctx.reply(lines.length > 0 ? `<b>${ctx.t("admin.closuresTitle")}</b>\n${lines.join("\n")}` : ctx.t("admin.closuresNone"), { parse_mode: "HTML" });
  });

  feature.command("stats", async (ctx) => {
    const stats = await deps.stats.collect(clock.now());
    await ctx.reply(statsText(ctx, stats, deps), { parse_mode: "HTML" });
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
    const csv = requestsCsv(rows.map((row) => ({ ...row, timeZone: row.user?.timeZone ?? null })), zone);
    const name = `hamroh-requests-${from.toISODate()}-${to.toISODate()}.csv`;
    await ctx.replyWithDocument(new InputFile(Buffer.from(csv, "utf8"), name), {
      caption: ctx.t("admin.exportCaption", { count: rows.length, first: rows[0] ? referenceOf(rows[0].id) : "—" }),
    });
  });
  return feature;
}

/** The /stats message: users, requests, FAQ and notices, in the admin's language. */
function statsText(ctx: RegisteredContext, { users, requests, faq, notices }: Stats, { faq: content, hotline }: AdminDeps): string {
  const tally = (rows: Tally) => rows.map((row) => `${row.value ?? "—"} ${row.count}`).join(", ") || "—";
  const format = (value: number | undefined) => (value === undefined ? "—" : value.toFixed(value < 10 ? 1 : 0));
  const questions = content[ctx.locale].catalog.questions;
  const noticeLines = notices.map(
    (notice) =>
      `• #${notice.id} ${DateTime.fromJSDate(notice.createdAt).setZone(hotline.schedule.zone).toFormat("yyyy-MM-dd")}: ${ctx.t("admin.statsNotice", { total: notice.total, sent: notice.sent, blocked: notice.blocked, failed: notice.failed })}`,
  );
  return [
    `<b>${ctx.t("admin.statsUsers")}</b>`,
    ctx.t("admin.statsUsersLine", { users: users.total, reachable: users.reachable, noticesOff: users.noticesOff, active7: users.active7, active30: users.active30 }),
    `${ctx.t("admin.statsByLanguage")}: ${tally(users.byLanguage)}`,
    `${ctx.t("admin.statsByZone")}: ${tally(users.byZone)}`,
    "",
    `<b>${ctx.t("admin.statsRequests")}</b>`,
    ctx.t("admin.statsRequestsLine", { new7: requests.new7, new30: requests.new30 }),
    `${ctx.t("admin.statsByStatus")}: ${tally(requests.byStatus)}`,
    `${ctx.t("admin.statsByTopic")}: ${tally(requests.byTopic)}`,
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
