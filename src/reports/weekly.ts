import { type Api, InputFile } from "grammy";
import { DateTime } from "luxon";
import type { Logger } from "pino";
import type { Database } from "../db/client.js";
import { INTL_LOCALE, isLocale, type Locale, type Translate } from "../i18n.js";
import type { StatsReport, Tally, WeekSummary } from "../requests/stats.js";
import type { Clock } from "../shared/clock.js";
import { chartLabels, renderWeeklyChart } from "./chart.js";

/** When the weekly report goes to the admins: a weekday (1 = Monday … 7 = Sunday) and a time, in the hotline's zone. */
export interface WeeklyReportSchedule {
  weekday: number;
  /** "HH:mm" */
  time: string;
}

/** Weeks the chart shows. */
export const CHART_WEEKS = 12;
/** A report that could not go at its time (the bot was stopped) still goes this long after; later, it waits for the next week. */
const LATE_BY_AT_MOST_MS = 12 * 60 * 60 * 1000;
/** Where the last report's time is kept (Setting), so that a restart neither repeats nor skips it. */
const LAST_SENT_KEY = "weeklyReport.lastSent";

/** The chart of the `CHART_WEEKS` weeks before the one `until` is in, labelled in `locale`. */
export async function weeksChart(
  stats: StatsReport,
  t: Translate,
  locale: Locale,
  until: DateTime,
  zone: string,
  lastDay?: string,
): Promise<Buffer> {
  const weeks = await stats.weeks(until, zone, CHART_WEEKS);
  return renderWeeklyChart(weeks, chartLabels(t, locale, weeks, lastDay));
}

/** "45 min", "3 h 20 min" in the admin's language. */
export function durationText(t: Translate, minutes: number | undefined): string {
  if (minutes === undefined) return "—";
  const rounded = Math.round(minutes);
  if (rounded < 60) return t("report.minutes", { minutes: rounded });
  return t("report.hours", { hours: Math.floor(rounded / 60), minutes: rounded % 60 });
}

/** Topics as words ("Unpaid wages 3, Detention, police 1"), most frequent first. */
export function topicsText(t: Translate, tally: Tally): string {
  return tally.map((row) => `${t(`topic.${row.value ?? "other"}`).replace(/^[^\p{L}\p{N}]+/u, "")} ${row.count}`).join(", ") || "—";
}

export interface WeeklyReportDeps {
  db: Database;
  stats: StatsReport;
  api: Pick<Api, "sendMessage" | "sendPhoto">;
  adminIds: readonly number[];
  translate: Record<Locale, Translate>;
  /** The language for admins who have not chosen one in the bot. */
  fallbackLocale: Locale;
  /** The hotline's zone (Dushanbe): the report's weekday and time, and its weeks, are in it. */
  zone: string;
  /** Undefined: no weekly report. */
  schedule: WeeklyReportSchedule | undefined;
  clock: Clock;
  logger: Logger;
}

/**
 * The admins' weekly report: at the configured weekday and time (Monday 09:00 Dushanbe time by
 * default) each admin gets the past week's figures and the chart of the last 12 weeks, in
 * their language. A background job: `runIfDue` is called every few seconds and sends at most
 * once per week, also across restarts (the week is recorded before sending).
 */
export class WeeklyReport {
  private sending: Promise<void> | undefined;
  /** The last report time known to be done (ISO), so that most runs ask nothing of the database. */
  private lastSent: string | undefined;

  constructor(private readonly deps: WeeklyReportDeps) {}

  /** The latest report time at or before `now`, or undefined without a schedule. */
  dueSince(now: DateTime): DateTime | undefined {
    const { schedule, zone } = this.deps;
    if (!schedule) return undefined;
    const [hour, minute] = schedule.time.split(":").map(Number) as [number, number];
    const local = now.setZone(zone);
    let at = local.set({ weekday: schedule.weekday as 1, hour, minute, second: 0, millisecond: 0 });
    if (at > local) at = at.minus({ weeks: 1 });
    return at;
  }

  async runIfDue(): Promise<void> {
    if (this.sending) return this.sending;
    const now = this.deps.clock.now();
    const due = this.dueSince(now);
    if (!due || now.toMillis() - due.toMillis() > LATE_BY_AT_MOST_MS) return;
    const key = due.toUTC().toISO()!;
    if (this.lastSent === key) return;
    this.sending = this.sendOnce(key, now).finally(() => (this.sending = undefined));
    return this.sending;
  }

  private async sendOnce(key: string, now: DateTime): Promise<void> {
    const { db } = this.deps;
    // Recorded first: a crash while sending loses this week's report rather than sending it twice.
    const claimed = await db.$transaction(async (tx) => {
      const last = await tx.setting.findUnique({ where: { key: LAST_SENT_KEY } });
      if (last && last.value >= key) return false;
      await tx.setting.upsert({ where: { key: LAST_SENT_KEY }, create: { key: LAST_SENT_KEY, value: key }, update: { value: key } });
      return true;
    });
    this.lastSent = key;
    if (!claimed) return;
    await this.sendToAdmins(now);
  }

  /** Sends the report for the week before `now`'s to every admin (also used by tests). */
  async sendToAdmins(now: DateTime): Promise<void> {
    const { db, adminIds, translate, fallbackLocale, logger } = this.deps;
    const users = await db.user.findMany({
      where: { telegramId: { in: adminIds.map(BigInt) } },
      select: { telegramId: true, language: true },
    });
    const summary = await this.deps.stats.lastWeek(now, this.deps.zone);
    const charts = new Map<Locale, Promise<Buffer | undefined>>();
    for (const adminId of adminIds) {
      const stored = users.find((user) => user.telegramId === BigInt(adminId))?.language;
      const locale = isLocale(stored) ? stored : fallbackLocale;
      const t = translate[locale];
      // One chart per language, drawn once for every admin who reads it.
      if (!charts.has(locale))
        charts.set(
          locale,
          weeksChart(this.deps.stats, t, locale, now, this.deps.zone).catch(
            (error: unknown) => void logger.error({ err: error }, "the weekly chart could not be drawn"),
          ),
        );
      try {
        await this.deps.api.sendMessage(adminId, weeklyText(t, locale, summary, this.deps.schedule), { parse_mode: "HTML" });
        const chart = await charts.get(locale);
        if (chart)
          await this.deps.api.sendPhoto(adminId, new InputFile(chart, `hamroh-${summary.start}.png`), {
            caption: t("report.chartCaption"),
          });
      } catch (error) {
        logger.warn({ admin: adminId, err: error }, "the weekly report did not reach an admin");
      }
    }
    logger.info({ week: summary.start, admins: adminIds.length }, "weekly report sent");
  }
}

/** The past week's figures, in words. */
export function weeklyText(t: Translate, locale: Locale, week: WeekSummary, schedule: WeeklyReportSchedule | undefined): string {
  const day = (iso: string) => DateTime.fromISO(iso).setLocale(INTL_LOCALE[locale]).toFormat("d MMMM");
  return [
    `<b>${t("report.weeklyTitle", { from: day(week.start), to: day(week.end) })}</b>`,
    t("report.weeklyUsers", { new: week.newUsers, active: week.activeUsers }),
    t("report.weeklyRequests", { count: week.requests, answered: week.answered, closed: week.closed }),
    t("report.weeklyTopics", { topics: topicsText(t, week.byTopic) }),
    t("report.weeklyTime", { time: durationText(t, week.minutesToFirstReply) }),
    t("report.weeklyRating", { rating: week.rating === undefined ? "—" : week.rating.toFixed(1), count: week.ratings }),
    t("report.weeklyNotices", { count: week.noticesSent }),
    "",
    `<i>${t("report.weeklyWhen", { day: t(`report.weekday.${schedule?.weekday ?? 1}`), time: schedule?.time ?? "09:00" })}</i>`,
  ].join("\n");
}
