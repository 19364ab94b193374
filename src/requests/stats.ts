import type { DateTime } from "luxon";
import type { Database } from "../db/client.js";
import { median } from "./export.js";

/** A count per value ("ru" 12, "tg" 30 …), most frequent first. */
export type Tally = { value: string | null; count: number }[];

/** Anonymous figures for the NGO's reports (/stats): users, requests, FAQ, notices. */
export interface Stats {
  users: { total: number; reachable: number; noticesOff: number; active7: number; active30: number; byLanguage: Tally; byZone: Tally };
  requests: { new7: number; new30: number; byStatus: Tally; byTopic: Tally; minutesToFirstReply?: number; minutesToClose?: number; rating?: number; ratings: number };
  faq: { topViews: { questionId: string; views: number }[]; helpful: number; notHelpful: number };
  notices: { id: number; createdAt: Date; total: number; sent: number; blocked: number; failed: number }[];
}

const tally = <K extends string>(rows: ({ _count: number } & Record<K, string | null>)[], key: K): Tally => rows.map((row) => ({ value: row[key], count: row._count }));

/** The figures admins see in /stats, from the database. */
export class StatsReport {
  constructor(private readonly db: Database) {}

  collect(now: DateTime): Promise<Stats> {
    return collectStats(this.db, now);
  }
}

async function collectStats(db: Database, now: DateTime): Promise<Stats> {
  const daysAgo = (days: number) => now.minus({ days }).toJSDate();
  const [total, reachable, noticesOff, active7, active30, byLanguage, byZone] = await Promise.all([
    db.user.count(),
    db.user.count({ where: { unreachable: false } }),
    db.user.count({ where: { noticesOff: true } }),
    db.user.count({ where: { lastSeenAt: { gte: daysAgo(7) } } }),
    db.user.count({ where: { lastSeenAt: { gte: daysAgo(30) } } }),
    db.user.groupBy({ by: ["language"], _count: true, orderBy: { _count: { language: "desc" } } }),
    db.user.groupBy({ by: ["timeZone"], _count: true, orderBy: { _count: { timeZone: "desc" } }, take: 8 }),
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
    median(timings.flatMap((row) => (pick(row) ? [(pick(row)!.getTime() - row.createdAt.getTime()) / 60_000] : [])));
  const ratings = timings.flatMap((row) => (row.rating ? [row.rating] : []));
  return {
    users: { total, reachable, noticesOff, active7, active30, byLanguage: tally(byLanguage, "language"), byZone: tally(byZone, "timeZone") },
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
    faq: { topViews: views, helpful: votes.find((vote) => vote.helpful)?._count ?? 0, notHelpful: votes.find((vote) => !vote.helpful)?._count ?? 0 },
    notices: notices.map((notice) => {
      const count = (status: string) => notice.deliveries.filter((delivery) => delivery.status === status).length;
      return { id: notice.id, createdAt: notice.createdAt, total: notice.total, sent: count("sent"), blocked: count("blocked"), failed: count("failed") };
    }),
  };
}
