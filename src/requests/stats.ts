import type { DateTime } from "luxon";
import type { Database } from "../db/client.js";
import { TOPICS, type Topic } from "./domain.js";
import { median } from "./export.js";

/** A count per value ("ru" 12, "tg" 30 …), most frequent first. */
export type Tally = { value: string | null; count: number }[];

/** Anonymous figures for the NGO's reports (/stats): users, requests, FAQ, notices. Admins and lawyers are not users here. */
export interface Stats {
  users: { total: number; reachable: number; noticesOff: number; active7: number; active30: number; byLanguage: Tally; byZone: Tally };
  requests: {
    new7: number;
    new30: number;
    byStatus: Tally;
    byTopic: Tally;
    minutesToFirstReply?: number;
    minutesToClose?: number;
    rating?: number;
    ratings: number;
  };
  faq: { topViews: { questionId: string; views: number }[]; helpful: number; notHelpful: number };
  notices: { id: number; createdAt: Date; total: number; sent: number; blocked: number; failed: number }[];
}

/** One week (Monday to Sunday in the hotline's zone) of requests: how many per topic, and how fast lawyers first answered. */
export interface WeekFigures {
  /** The Monday the week starts on (ISO date). */
  start: string;
  byTopic: Record<Topic, number>;
  total: number;
  /** Median minutes from a request to the lawyer's first answer, over the week's requests that got one. */
  minutesToFirstReply?: number;
}

/** The figures of the week just past, for the Monday report. */
export interface WeekSummary {
  /** Monday and Sunday of the week (ISO dates). */
  start: string;
  end: string;
  newUsers: number;
  activeUsers: number;
  requests: number;
  byTopic: Tally;
  answered: number;
  closed: number;
  minutesToFirstReply?: number;
  rating?: number;
  ratings: number;
  noticesSent: number;
}

const tally = <K extends string>(rows: ({ _count: number } & Record<K, string | null>)[], key: K): Tally =>
  rows.map((row) => ({ value: row[key], count: row._count }));

/** The figures admins see in /stats and the weekly report, from the database. */
export class StatsReport {
  constructor(
    private readonly db: Database,
    /** ADMIN_IDS: admins use the bot too, but are not counted as its users. */
    private readonly adminIds: readonly number[] = [],
  ) {}

  /** Telegram ids that are staff, not users: the admins, and every lawyer who ever took a request. */
  async staffIds(): Promise<bigint[]> {
    const lawyers = await this.db.request.findMany({
      where: { lawyerId: { not: null } },
      distinct: ["lawyerId"],
      select: { lawyerId: true },
    });
    return [...new Set([...this.adminIds.map(BigInt), ...lawyers.map((row) => row.lawyerId!)])];
  }

  async collect(now: DateTime): Promise<Stats> {
    return collectStats(this.db, now, await this.staffIds());
  }

  /**
   * Requests per week by topic for the `weeks` weeks before the one that starts at `until`
   * (a Monday, or any instant: its week is the first one left out), and the median time to
   * the first answer of each week's requests.
   */
  async weeks(until: DateTime, zone: string, weeks: number): Promise<WeekFigures[]> {
    const end = until.setZone(zone).startOf("week");
    const start = end.minus({ weeks });
    const rows = await this.db.request.findMany({
      where: { createdAt: { gte: start.toJSDate(), lt: end.toJSDate() } },
      select: { createdAt: true, topic: true, firstReplyAt: true },
    });
    return Array.from({ length: weeks }, (_, index) => {
      const weekStart = start.plus({ weeks: index });
      const weekEnd = weekStart.plus({ weeks: 1 });
      const inWeek = rows.filter((row) => row.createdAt >= weekStart.toJSDate() && row.createdAt < weekEnd.toJSDate());
      const byTopic = Object.fromEntries(TOPICS.map((topic) => [topic, 0])) as Record<Topic, number>;
      for (const row of inWeek) byTopic[(TOPICS as readonly string[]).includes(row.topic) ? (row.topic as Topic) : "other"]++;
      const minutesToFirstReply = median(
        inWeek.flatMap((row) => (row.firstReplyAt ? [minutesBetween(row.createdAt, row.firstReplyAt)] : [])),
      );
      return {
        start: weekStart.toISODate()!,
        byTopic,
        total: inWeek.length,
        ...(minutesToFirstReply === undefined ? {} : { minutesToFirstReply }),
      };
    });
  }

  /** The figures of the week before the one `now` is in (Monday to Sunday in `zone`). */
  async lastWeek(now: DateTime, zone: string): Promise<WeekSummary> {
    const end = now.setZone(zone).startOf("week");
    const start = end.minus({ weeks: 1 });
    const inWeek = { gte: start.toJSDate(), lt: end.toJSDate() };
    const staff = await this.staffIds();
    const users = { telegramId: { notIn: staff } };
    const [newUsers, activeUsers, requests, byTopic, answered, closed, rated, noticesSent] = await Promise.all([
      this.db.user.count({ where: { ...users, createdAt: inWeek } }),
      this.db.user.count({ where: { ...users, lastSeenAt: inWeek } }),
      this.db.request.findMany({ where: { createdAt: inWeek }, select: { createdAt: true, firstReplyAt: true } }),
      this.db.request.groupBy({ by: ["topic"], where: { createdAt: inWeek }, _count: true, orderBy: { _count: { topic: "desc" } } }),
      this.db.request.count({ where: { firstReplyAt: inWeek } }),
      this.db.request.count({ where: { closedAt: inWeek } }),
      this.db.request.findMany({ where: { closedAt: inWeek, rating: { not: null } }, select: { rating: true } }),
      this.db.broadcastDelivery.count({ where: { status: "sent", broadcast: { createdAt: inWeek } } }),
    ]);
    const ratings = rated.map((row) => row.rating!);
    const minutesToFirstReply = median(
      requests.flatMap((row) => (row.firstReplyAt ? [minutesBetween(row.createdAt, row.firstReplyAt)] : [])),
    );
    return {
      start: start.toISODate()!,
      end: end.minus({ days: 1 }).toISODate()!,
      newUsers,
      activeUsers,
      requests: requests.length,
      byTopic: tally(byTopic, "topic"),
      answered,
      closed,
      ...(minutesToFirstReply === undefined ? {} : { minutesToFirstReply }),
      ...(ratings.length > 0 ? { rating: ratings.reduce((a, b) => a + b, 0) / ratings.length } : {}),
      ratings: ratings.length,
      noticesSent,
    };
  }
}

const minutesBetween = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 60_000;

async function collectStats(db: Database, now: DateTime, staff: bigint[]): Promise<Stats> {
  const daysAgo = (days: number) => now.minus({ days }).toJSDate();
  const users = { telegramId: { notIn: staff } };
  const [total, reachable, noticesOff, active7, active30, byLanguage, byZone] = await Promise.all([
    db.user.count({ where: users }),
    db.user.count({ where: { ...users, unreachable: false } }),
    db.user.count({ where: { ...users, noticesOff: true } }),
    db.user.count({ where: { ...users, lastSeenAt: { gte: daysAgo(7) } } }),
    db.user.count({ where: { ...users, lastSeenAt: { gte: daysAgo(30) } } }),
    db.user.groupBy({ by: ["language"], where: users, _count: true, orderBy: { _count: { language: "desc" } } }),
    db.user.groupBy({ by: ["timeZone"], where: users, _count: true, orderBy: { _count: { timeZone: "desc" } }, take: 8 }),
  ]);
  const [new7, new30, byStatus, byTopic, timings, views, votes, notices] = await Promise.all([
    db.request.count({ where: { createdAt: { gte: daysAgo(7) } } }),
    db.request.count({ where: { createdAt: { gte: daysAgo(30) } } }),
    db.request.groupBy({ by: ["status"], _count: true }),
    db.request.groupBy({ by: ["topic"], _count: true, orderBy: { _count: { topic: "desc" } } }),
    db.request.findMany({ select: { createdAt: true, firstReplyAt: true, closedAt: true, rating: true } }),
    db.faqView.findMany({ orderBy: { views: "desc" }, take: 5 }),
    db.faqVote.groupBy({ by: ["helpful"], _count: true }),
    db.broadcast.findMany({ orderBy: { id: "desc" }, take: 5, include: { deliveries: { select: { status: true } } } }),
  ]);
  const minutesTo = (pick: (row: (typeof timings)[number]) => Date | null) =>
    median(timings.flatMap((row) => (pick(row) ? [minutesBetween(row.createdAt, pick(row)!)] : [])));
  const ratings = timings.flatMap((row) => (row.rating ? [row.rating] : []));
  return {
    users: {
      total,
      reachable,
      noticesOff,
      active7,
      active30,
      byLanguage: tally(byLanguage, "language"),
      byZone: tally(byZone, "timeZone"),
    },
    requests: {
      new7,
      new30,
      byStatus: tally(byStatus, "status"),
      byTopic: tally(byTopic, "topic"),
      minutesToFirstReply: minutesTo((row) => row.firstReplyAt),
      minutesToClose: minutesTo((row) => row.closedAt),
      rating: ratings.length ? ratings.reduce((a, b) => a + b, 0) / ratings.length : undefined,
      ratings: ratings.length,
    },
    faq: {
      topViews: views,
      helpful: votes.find((vote) => vote.helpful)?._count ?? 0,
      notHelpful: votes.find((vote) => !vote.helpful)?._count ?? 0,
    },
    notices: notices.map((notice) => {
      const count = (status: string) => notice.deliveries.filter((delivery) => delivery.status === status).length;
      return {
        id: notice.id,
        createdAt: notice.createdAt,
        total: notice.total,
        sent: count("sent"),
        blocked: count("blocked"),
        failed: count("failed"),
      };
    }),
  };
}
