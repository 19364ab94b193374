import { Bot } from "grammy";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { RegisteredContext } from "../src/bot/context.js";
import { unansweredFeature } from "../src/bot/features/unanswered.js";
import { KEEP_DAYS, normalizeUnmatched, UnmatchedQueryLog, unansweredCsv } from "../src/faq/unmatched.js";
import type { Clock } from "../src/shared/clock.js";
import { BOT_TOKEN, botInfo, FakeTelegram } from "./helpers/fake-telegram.js";
import { useHarness } from "./helpers/harness.js";

const h = useHarness();

function clockAt(iso: string): Clock & { set(iso: string): void } {
  let now = DateTime.fromISO(iso, { zone: "utc" });
  return { now: () => now, monotonicMs: () => 0, set: (next) => void (now = DateTime.fromISO(next, { zone: "utc" })) };
}

describe("unmatched queries, kept for the writers without exposing anyone", () => {
  it("removes digits, @-names, links and e-mail addresses, and lowers the case", () => {
    expect(normalizeUnmatched("Мой номер +7 999 123-45-67, пишите @ivan_88 или https://t.me/x, ivan@mail.ru, ЗАРПЛАТА!")).toBe(
      "мой номер пишите или зарплата",
    );
    expect(normalizeUnmatched("123 456")).toBe("");
  });

  it("keeps only a hash and counts until 3 different people typed the same query, then the text and no people", async () => {
    const clock = clockAt("2026-12-01T10:00:00");
    const log = new UnmatchedQueryLog(h.db, clock);
    await log.record("Как сделать ВНЖ?", 1n, "ru");
    await log.record("как сделать внж", 1n, "ru"); // the same person again
    await log.record("как  сделать ВНЖ!!", 2n, "tg");
    let [row] = await h.db.unmatchedQuery.findMany();
    expect(row).toMatchObject({ text: null, count: 3, people: 2, locale: "ru" });
    expect(JSON.stringify(row)).not.toMatch(/внж/i);
    expect(await h.db.unmatchedQueryPerson.count()).toBe(2);
    expect(await log.top()).toEqual([]);

    await log.record("Как сделать ВНЖ", 3n, "uz");
    [row] = await h.db.unmatchedQuery.findMany();
    expect(row).toMatchObject({ text: "как сделать внж", count: 4, people: 3 });
    expect(await h.db.unmatchedQueryPerson.count()).toBe(0);
    await log.record("как сделать внж", 4n, "uz");
    expect(await log.top()).toEqual([expect.objectContaining({ text: "как сделать внж", people: 3, count: 5 })]);
    // Nothing in the tables names a person: no Telegram id, no user id.
    const everything = JSON.stringify([await h.db.unmatchedQuery.findMany(), await h.db.unmatchedQueryPerson.findMany()], (_, value) =>
      typeof value === "bigint" ? String(value) : value,
    );
    expect(everything).not.toMatch(/"(1|2|3|4)"/);
  });

  it("forgets a query 90 days after it was first typed", async () => {
    const clock = clockAt("2026-01-01T10:00:00");
    const log = new UnmatchedQueryLog(h.db, clock);
    for (const person of [1n, 2n, 3n]) await log.record("где купить билет", person, "ru");
    expect(
      await log.purge(
        clock
          .now()
          .plus({ days: KEEP_DAYS - 1 })
          .toJSDate(),
      ),
    ).toBe(0);
    expect(
      await log.purge(
        clock
          .now()
          .plus({ days: KEEP_DAYS + 1 })
          .toJSDate(),
      ),
    ).toBe(1);
    expect(await h.db.unmatchedQuery.count()).toBe(0);
  });

  it("ignores queries with nothing left to keep, and never throws", async () => {
    const log = new UnmatchedQueryLog(h.db, clockAt("2026-12-01T10:00:00"));
    await log.record("12 34 @x", 1n, "ru");
    expect(await h.db.unmatchedQuery.count()).toBe(0);
    const warnings: unknown[] = [];
    const broken = new UnmatchedQueryLog(
      { setting: { upsert: () => Promise.reject(new Error("disk full")) } } as never,
      clockAt("2026-12-01T10:00:00"),
      { warn: (...args: unknown[]) => void warnings.push(args) } as never,
    );
    await expect(broken.record("как сделать внж", 1n, "ru")).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
  });

  it("writes a CSV that spreadsheets read safely", () => {
    const at = new Date("2026-12-01T10:00:00Z");
    const csv = unansweredCsv([{ text: '=cmd "x", y', people: 3, count: 7, locale: "ru", firstSeenAt: at, lastSeenAt: at }]);
    expect(csv).toBe(`\uFEFFtext,people,count,locale,first_seen,last_seen\r\n"'=cmd ""x"", y",3,7,ru,2026-12-01,2026-12-01\r\n`);
  });

  it("sends admins /export unanswered as a CSV, refuses others, and leaves other /export to the admins' feature", async () => {
    const clock = clockAt("2026-12-01T10:00:00");
    const log = new UnmatchedQueryLog(h.db, clock);
    for (const person of [1n, 2n, 3n]) await log.record("как сделать внж", person, "ru");
    const telegram = new FakeTelegram();
    const bot = new Bot<RegisteredContext>(BOT_TOKEN, { botInfo, client: { fetch: telegram.fetch } });
    bot.use((ctx, next) => {
      ctx.user = { telegramId: BigInt(ctx.from!.id) } as RegisteredContext["user"];
      ctx.t = ((key: string) => key) as RegisteredContext["t"];
      return next();
    });
    let passedOn = 0;
    bot.use(unansweredFeature({ adminIds: [42], unmatchedQueries: log, clock }));
    bot.use(() => void passedOn++);
    let update = 1;
    const send = (from: number, text: string) =>
      bot.handleUpdate({
        update_id: update++,
        message: {
          message_id: update,
          date: 1,
          chat: { id: from, type: "private", first_name: "T" },
          from: { id: from, is_bot: false, first_name: "T" },
          text,
          entities: [{ type: "bot_command", offset: 0, length: 7 }],
        },
      });
    await send(42, "/export unanswered");
    const upload = telegram.callsOf("sendDocument").at(-1)!;
    expect(upload.payload.multipart).toContain("hamroh-unanswered-2026-12-01.csv");
    expect(upload.payload.multipart).toContain("как сделать внж,3,3,ru");
    await send(7, "/export unanswered");
    expect(telegram.callsOf("sendMessage").at(-1)!.payload.text).toBe("admin.onlyAdmins");
    await send(42, "/export 2026-11-01 2026-11-30");
    expect(passedOn).toBe(1);
  });
});
