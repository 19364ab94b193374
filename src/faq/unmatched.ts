import { createHmac, randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { Database } from "../db/client.js";
import type { Clock } from "../shared/clock.js";
import { foldWord, splitWords } from "./fold.js";

const SALT_KEY = "unmatched-query-salt";
/** The text of a query is kept only once this many different people typed it. */
export const PEOPLE_BEFORE_TEXT = 3;
/** Unmatched queries are deleted this long after they were first typed. */
export const KEEP_DAYS = 90;
/** Old rows are looked for at most this often. */
const PURGE_EVERY_MS = 60 * 60 * 1000;
/** Longer texts are cut: a writer needs the words, not a whole story. */
const MAX_TEXT_LENGTH = 120;

/**
 * A query as it may be kept: links, @-names, e-mail addresses and every digit removed (phone
 * numbers, document and card numbers, amounts), lower case, words separated by one space.
 * Empty when nothing is left.
 */
export function normalizeUnmatched(query: string): string {
  const cleaned = query
    .normalize("NFC")
    .replace(/\S+@\S+\.\S+/gu, " ")
    .replace(/\b(?:https?:\/\/|www\.)\S+/giu, " ")
    .replace(/\b[\w.-]+\.(?:ru|tj|uz|kg|kz|com|org|net|me|io)(?:\/\S*)?/giu, " ")
    .replace(/@\w+/gu, " ")
    .replace(/\p{N}+/gu, " ")
    .toLowerCase();
  return splitWords(cleaned).join(" ").slice(0, MAX_TEXT_LENGTH).trim();
}

export interface UnansweredRow {
  text: string;
  people: number;
  count: number;
  locale: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

/**
 * What users searched for and did not find (issue 13, point 7), kept so that nobody is exposed:
 * a query is stored by a salted hash of its folded words with a count; who typed it is kept
 * only as a salted hash of the query and the person together, to count different people, and
 * dropped once three did; only then is the (cleaned) text kept. Nothing links a row to a user,
 * and rows go 90 days after the query was first typed.
 */
export class UnmatchedQueryLog {
  private salt: Promise<string> | undefined;
  private lastPurge = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly logger?: Pick<Logger, "warn">,
  ) {}

  /** Counts a query that found nothing. Never throws: a failure is logged and the user is unaffected. */
  async record(query: string, telegramId: bigint, locale: string): Promise<void> {
    try {
      const text = normalizeUnmatched(query);
      const key = splitWords(text).map(foldWord).join(" ");
      if (key.length < 3) return;
      const salt = await this.loadSalt();
      const queryHash = createHmac("sha256", salt).update(`query:${key}`).digest("hex");
      const personHash = createHmac("sha256", salt).update(`person:${queryHash}:${telegramId}`).digest("hex");
      const now = this.clock.now().toJSDate();
      await this.purgeIfDue(now);
      await this.db.$transaction(async (tx) => {
        const row = await tx.unmatchedQuery.upsert({
          where: { queryHash },
          create: { queryHash, locale, count: 1, firstSeenAt: now, lastSeenAt: now },
          update: { count: { increment: 1 }, lastSeenAt: now },
        });
        if (row.people >= PEOPLE_BEFORE_TEXT) return;
        const seen = await tx.unmatchedQueryPerson.findUnique({ where: { queryHash_personHash: { queryHash, personHash } } });
        if (seen) return;
        const people = row.people + 1;
        if (people >= PEOPLE_BEFORE_TEXT) {
          // Enough people: the text is kept, and who they were is no longer needed.
          await tx.unmatchedQueryPerson.deleteMany({ where: { queryHash } });
          await tx.unmatchedQuery.update({ where: { queryHash }, data: { people, text } });
        } else {
          await tx.unmatchedQueryPerson.create({ data: { queryHash, personHash } });
          await tx.unmatchedQuery.update({ where: { queryHash }, data: { people } });
        }
      });
    } catch (error) {
      this.logger?.warn({ err: error }, "an unmatched query could not be counted");
    }
  }

  /** The queries whose text is kept, most people first. */
  async top(limit = 500): Promise<UnansweredRow[]> {
    await this.purgeIfDue(this.clock.now().toJSDate());
    const rows = await this.db.unmatchedQuery.findMany({
      where: { text: { not: null } },
      orderBy: [{ people: "desc" }, { count: "desc" }, { lastSeenAt: "desc" }],
      take: limit,
    });
    return rows.map((row) => ({
      text: row.text!,
      people: row.people,
      count: row.count,
      locale: row.locale,
      firstSeenAt: row.firstSeenAt,
      lastSeenAt: row.lastSeenAt,
    }));
  }

  /** Deletes what was first typed more than 90 days ago (with who counted for it). */
  async purge(now: Date): Promise<number> {
    const { count } = await this.db.unmatchedQuery.deleteMany({
      where: { firstSeenAt: { lt: new Date(now.getTime() - KEEP_DAYS * 24 * 60 * 60 * 1000) } },
    });
    return count;
  }

  private async purgeIfDue(now: Date): Promise<void> {
    if (now.getTime() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now.getTime();
    await this.purge(now);
  }

  private loadSalt(): Promise<string> {
    this.salt ??= (async () => {
      // Two starts racing both keep the first salt written.
      await this.db.setting.upsert({
        where: { key: SALT_KEY },
        create: { key: SALT_KEY, value: randomBytes(32).toString("hex") },
        update: {},
      });
      return (await this.db.setting.findUniqueOrThrow({ where: { key: SALT_KEY } })).value;
    })();
    return this.salt;
  }
}

const CSV_COLUMNS = ["text", "people", "count", "locale", "first_seen", "last_seen"] as const;

/** A CSV of unanswered queries for the writers (UTF-8 with a BOM, so that spreadsheets read Cyrillic). */
export function unansweredCsv(rows: UnansweredRow[]): string {
  const cell = (value: string | number) => {
    const text = String(value);
    // A leading =, +, - or @ would be a formula in a spreadsheet.
    const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = rows.map((row) =>
    [row.text, row.people, row.count, row.locale, row.firstSeenAt.toISOString().slice(0, 10), row.lastSeenAt.toISOString().slice(0, 10)]
      .map(cell)
      .join(","),
  );
  return `\uFEFF${[CSV_COLUMNS.join(","), ...lines].join("\r\n")}\r\n`;
}
