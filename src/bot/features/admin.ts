import { Composer, InputFile } from "grammy";
import { DateTime } from "luxon";
import { median, requestsCsv } from "../../requests/export.js";
import { referenceOf } from "../../requests/domain.js";
import type { RegisteredContext } from "../context.js";
import { setBannedByReference } from "../ban.js";
import { escapeHtml } from "../respond.js";

/** The NGO's admins (ADMIN_IDS): hotline closures, figures for reports, a CSV export. */
export const adminFeature = new Composer<RegisteredContext>();

const ADMIN_COMMANDS = ["closure", "closures", "stats", "export", "ban", "unban"];

adminFeature.command(ADMIN_COMMANDS, async (ctx, next) => {
  if (ctx.deps.adminIds.includes(Number(ctx.user.telegramId))) return next();
  await ctx.reply(ctx.t("admin.onlyAdmins"));
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HOURS = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;

/** /closure add 2026-12-31 [08:00-12:00] reason… | /closure remove 12 */
adminFeature.command("closure", async (ctx) => {
  const [action, ...rest] = ctx.match.trim().split(/\s+/);
  const { closures } = ctx.deps;
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

adminFeature.command(["ban", "unban"], async (ctx) => {
  await ctx.reply(await setBannedByReference(ctx.deps, ctx.t, ctx.match, ctx.message?.text?.startsWith("/ban") === true));
});

adminFeature.command("closures", async (ctx) => {
  const today = ctx.deps.now().setZone(ctx.deps.hotline.schedule.zone).toISODate()!;
  const rows = await ctx.deps.closures.upcoming(today);
  const lines = rows.map((row) => `#${row.id} · ${row.date}${row.from ? ` ${row.from}–${row.to}` : ""} · ${escapeHtml(row.reason)}`);
  await ctx.reply(lines.length > 0 ? `<b>${ctx.t("admin.closuresTitle")}</b>\n${lines.join("\n")}` : ctx.t("admin.closuresNone"), { parse_mode: "HTML" });
});

adminFeature.command("stats", async (ctx) => {
  const { db } = ctx.deps;
  const now = ctx.deps.now();
  const daysAgo = (days: number) => now.minus({ days }).toJSDate();
  const [users, reachable, noticesOff, active7, active30, byLanguage, byZone] = await Promise.all([
    db.user.count(),
    db.user.count({ where: { unreachable: false } }),
    db.user.count({ where: { noticesOff: true } }),
    db.user.count({ where: { lastSeenAt: { gte: daysAgo(7) } } }),
    db.user.count({ where: { lastSeenAt: { gte: daysAgo(30) } } }),
    db.user.groupBy({ by: ["language"], _count: true, orderBy: { _count: { language: "desc" } } }),
    db.user.groupBy({ by: ["timeZone"], _count: true, orderBy: { _count: { timeZone: "desc" } }, take: 8 }),
  ]);
  const [new7, new30, byStatus, byTopic, timings, views, votes, notices] = await Promise.all([
    db.consultationRequest.count({ where: { createdAt: { gte: daysAgo(7) } } }),
    db.consultationRequest.count({ where: { createdAt: { gte: daysAgo(30) } } }),
    db.consultationRequest.groupBy({ by: ["status"], _count: true }),
    db.consultationRequest.groupBy({ by: ["topic"], _count: true, orderBy: { _count: { topic: "desc" } } }),
    db.consultationRequest.findMany({ select: { createdAt: true, firstReplyAt: true, closedAt: true, rating: true } }),
    db.faqView.findMany({ orderBy: { views: "desc" }, take: 5 }),
    db.faqVote.groupBy({ by: ["helpful"], _count: true }),
    db.broadcast.findMany({ orderBy: { id: "desc" }, take: 5, include: { deliveries: { select: { status: true } } } }),
  ]);
  const noticeLines = notices.map((notice) => {
    const count = (status: string) => notice.deliveries.filter((delivery) => delivery.status === status).length;
    return `• #${notice.id} ${DateTime.fromJSDate(notice.createdAt).setZone(ctx.deps.hotline.schedule.zone).toFormat("yyyy-MM-dd")}: ${ctx.t("admin.statsNotice", { total: notice.total, sent: count("sent"), blocked: count("blocked"), failed: count("failed") })}`;
  });
  const minutesTo = (pick: (row: (typeof timings)[number]) => Date | null) =>
    median(timings.flatMap((row) => (pick(row) ? [(pick(row)!.getTime() - row.createdAt.getTime()) / 60_000] : [])));
  const ratings = timings.flatMap((row) => (row.rating ? [row.rating] : []));
  const count = (rows: { _count: number }[], pick: (row: never) => string | null) => rows.map((row) => `${pick(row as never) ?? "—"} ${row._count}`).join(", ") || "—";
  const faq = ctx.deps.faq[ctx.locale].catalog.questions;
  const format = (value: number | undefined) => (value === undefined ? "—" : value.toFixed(value < 10 ? 1 : 0));
  const text = [
    `<b>${ctx.t("admin.statsUsers")}</b>`,
    ctx.t("admin.statsUsersLine", { users, reachable, noticesOff, active7, active30 }),
    `${ctx.t("admin.statsByLanguage")}: ${count(byLanguage, (row: { language: string }) => row.language)}`,
    `${ctx.t("admin.statsByZone")}: ${count(byZone, (row: { timeZone: string | null }) => row.timeZone)}`,
    "",
    `<b>${ctx.t("admin.statsRequests")}</b>`,
    ctx.t("admin.statsRequestsLine", { new7, new30 }),
    `${ctx.t("admin.statsByStatus")}: ${count(byStatus, (row: { status: string }) => row.status)}`,
    `${ctx.t("admin.statsByTopic")}: ${count(byTopic, (row: { topic: string }) => row.topic)}`,
    ctx.t("admin.statsTimes", { firstReply: format(minutesTo((row) => row.firstReplyAt)), close: format(minutesTo((row) => row.closedAt)) }),
    ctx.t("admin.statsRating", { rating: format(ratings.length ? ratings.reduce((a, b) => a + b, 0) / ratings.length : undefined), count: ratings.length }),
    "",
    `<b>${ctx.t("admin.statsFaq")}</b>`,
    ...views.map((view) => `• ${escapeHtml(faq.get(view.questionId)?.question ?? view.questionId)}: ${view.views}`),
    ctx.t("admin.statsVotes", { yes: votes.find((vote) => vote.helpful)?._count ?? 0, no: votes.find((vote) => !vote.helpful)?._count ?? 0 }),
    "",
    `<b>${ctx.t("admin.statsNotices")}</b>`,
    ...(noticeLines.length > 0 ? noticeLines : ["—"]),
  ].join("\n");
  await ctx.reply(text, { parse_mode: "HTML" });
});

/** /export [from] [to]: a CSV of the requests created in the period (default: the last 30 days). */
adminFeature.command("export", async (ctx) => {
  const zone = ctx.deps.hotline.schedule.zone;
  const [fromText, toText] = ctx.match.trim().split(/\s+/).filter(Boolean);
  const to = toText ? DateTime.fromISO(toText, { zone }).endOf("day") : ctx.deps.now().setZone(zone).endOf("day");
  const from = fromText ? DateTime.fromISO(fromText, { zone }).startOf("day") : to.minus({ days: 30 }).startOf("day");
  if (!from.isValid || !to.isValid || from > to || (fromText && !DATE.test(fromText)) || (toText && !DATE.test(toText))) {
    return void (await ctx.reply(ctx.t("admin.exportUsage")));
  }
  const rows = await ctx.deps.db.consultationRequest.findMany({
    where: { createdAt: { gte: from.toJSDate(), lte: to.toJSDate() } },
    orderBy: { id: "asc" },
    include: { user: { select: { timeZone: true } } },
  });
  const csv = requestsCsv(rows.map((row) => ({ ...row, timeZone: row.user?.timeZone ?? null })), zone);
  const name = `hamroh-requests-${from.toISODate()}-${to.toISODate()}.csv`;
  await ctx.replyWithDocument(new InputFile(Buffer.from(csv, "utf8"), name), {
    caption: ctx.t("admin.exportCaption", { count: rows.length, first: rows[0] ? referenceOf(rows[0].id) : "—" }),
  });
});
