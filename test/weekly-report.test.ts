import { DateTime } from "luxon";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { loadContent } from "../src/content.js";
import type { WeeklyReportSchedule } from "../src/reports/weekly.js";
import { sendRequest } from "./helpers/dialog.js";
import { BOT_TOKEN, botInfo } from "./helpers/fake-telegram.js";
import { ADMIN_ID, STAFF_CHAT_ID, useHarness } from "./helpers/harness.js";

const h = useHarness();
const content = loadContent();
const en = (await import("../locales/en/bot.json", { with: { type: "json" } })).default;
const ru = (await import("../locales/ru/bot.json", { with: { type: "json" } })).default;

const MONDAY_9 = { weekday: 1, time: "09:00" };
const SECOND_ADMIN = 4343;

/**
 * The bot's background jobs as main.ts runs them, on this test's database, fake Bot API and
 * clock, with a weekly report schedule (the harness itself runs without one).
 */
function jobs(schedule: WeeklyReportSchedule | undefined) {
  return createApp(
    BOT_TOKEN,
    {
      ...content,
      db: h.db,
      logger: pino({ level: "silent" }),
      clock: { now: () => h.clock.now, monotonicMs: () => h.clock.monotonicMs() },
      adminIds: [ADMIN_ID, SECOND_ADMIN],
      retentionDays: 180,
      broadcast: { ratePerSecond: 1000, concurrency: 3, progressEveryMs: 0 },
      staff: { chatId: STAFF_CHAT_ID, language: "en", reannounceMinutes: 30, urgentReannounceMinutes: 10 },
      weeklyReport: schedule,
    },
    { botInfo, client: { fetch: h.telegram.fetch } },
  ).jobs;
}

/** What the admin got: messages and photos, in order. */
const toAdmin = (admin: number) =>
  h.telegram.calls.filter(
    (call) => Number(call.payload.chat_id) === admin || String(call.payload.multipart ?? "").includes(`name="chat_id"\r\n\r\n${admin}\r\n`),
  );

/** Last week (23–29 November 2026): two users, two requests, one answered after 90 minutes and closed. */
async function lastWeek() {
  h.setNow("2026-11-24T10:00");
  await h.registered(ADMIN_ID);
  await h.registered(SECOND_ADMIN, "ru");
  const user = await h.registered(7601);
  const other = await h.registered(7602, "ru");
  await sendRequest(user, { topic: "unpaid-wages" });
  await sendRequest(other, { topic: "unpaid-wages" });
  h.setNow("2026-11-26T10:00");
  await sendRequest(other, { topic: "detention" });
  // A profile's creation time is the database's own (Prisma's now()): set as if they came last week.
  await h.db.user.updateMany({ where: { telegramId: { in: [7601n, 7602n] } }, data: { createdAt: new Date("2026-11-24T05:00:00Z") } });
  await h.db.user.updateMany({
    where: { telegramId: { in: [BigInt(ADMIN_ID), BigInt(SECOND_ADMIN)] } },
    data: { createdAt: new Date("2026-11-24T05:00:00Z") },
  });
  const first = await h.db.request.findFirstOrThrow({ orderBy: { id: "asc" } });
  await h.db.request.update({
    where: { id: first.id },
    data: {
      status: "closed",
      lawyerId: 900n,
      firstReplyAt: new Date(first.createdAt.getTime() + 90 * 60_000),
      closedAt: new Date(first.createdAt.getTime() + 3 * 3600_000),
      rating: 5,
    },
  });
}

describe("the admins' weekly report", () => {
  it("goes to every admin on Monday at 09:00 Dushanbe time, once, in their language, with the chart", async () => {
    await lastWeek();
    const background = jobs(MONDAY_9);
    h.setNow("2026-11-30T08:59");
    const before = toAdmin(ADMIN_ID).length;
    await background.runOnce();
    expect(toAdmin(ADMIN_ID)).toHaveLength(before);

    h.setNow("2026-11-30T09:00");
    await background.runOnce();
    const [text, photo] = toAdmin(ADMIN_ID).slice(before);
    expect(text!.payload.text).toBe(
      [
        "<b>📊 The week of 23 November – 29 November</b>",
        "Users: 2 new, 2 active",
        "Requests: 3 new; 1 got a first answer, 1 closed",
        "By topic: Unpaid wages 2, Detention, police 1",
        "Median time to a lawyer's first answer: 1 h 30 min",
        "Average rating: 5.0 (1 ratings)",
        "Notices delivered: 0",
        "",
        "<i>This report comes every week: Monday, 09:00 Dushanbe time. To change or turn it off: WEEKLY_REPORT in the bot's settings.</i>",
      ].join("\n"),
    );
    expect(photo!.method).toBe("sendPhoto");
    expect(String(photo!.payload.multipart)).toContain(en.report.chartCaption);
    expect(String(photo!.payload.multipart)).toContain("filename=hamroh-2026-11-23.png");
    // The other admin reads Russian.
    const [russian, russianPhoto] = toAdmin(SECOND_ADMIN).slice(-2);
    expect(russian!.payload.text).toContain("📊 Неделя 23 ноября – 29 ноября");
    expect(russian!.payload.text).toContain("По темам: Невыплата зарплаты 2, Задержание, полиция 1");
    expect(String(russianPhoto!.payload.multipart)).toContain(ru.report.chartCaption);

    // Not again that week: neither later that morning nor after a restart.
    const sent = toAdmin(ADMIN_ID).length;
    h.setNow("2026-11-30T09:05");
    await background.runOnce();
    await jobs(MONDAY_9).runOnce();
    h.setNow("2026-12-03T09:00");
    await jobs(MONDAY_9).runOnce();
    expect(toAdmin(ADMIN_ID)).toHaveLength(sent);

    // The next Monday: the next week's figures.
    h.setNow("2026-12-07T09:00");
    await background.runOnce();
    expect(toAdmin(ADMIN_ID).at(-2)!.payload.text).toContain("The week of 30 November – 6 December");
    expect(toAdmin(ADMIN_ID).at(-2)!.payload.text).toContain("Requests: 0 new");
  });

  it("still goes if the bot was stopped at 09:00 and starts that day; a day late it waits for the next week", async () => {
    await lastWeek();
    h.setNow("2026-11-30T15:00");
    const before = toAdmin(ADMIN_ID).length;
    await jobs(MONDAY_9).runOnce();
    expect(toAdmin(ADMIN_ID).length).toBe(before + 2);

    h.setNow("2026-12-08T10:00"); // Tuesday: last Monday's report is too late now
    await jobs(MONDAY_9).runOnce();
    expect(toAdmin(ADMIN_ID).length).toBe(before + 2);
  });

  it("follows another weekday and time, and never comes when turned off", async () => {
    await lastWeek();
    const before = toAdmin(ADMIN_ID).length;
    h.setNow("2026-11-30T09:00");
    await jobs(undefined).runOnce();
    expect(toAdmin(ADMIN_ID)).toHaveLength(before);
    const friday = jobs({ weekday: 5, time: "17:30" });
    await friday.runOnce();
    h.setNow("2026-12-04T17:29");
    await friday.runOnce();
    expect(toAdmin(ADMIN_ID)).toHaveLength(before);
    h.setNow(DateTime.fromISO("2026-12-04T17:30", { zone: "Asia/Dushanbe" }).toUTC().toISO()!, "UTC");
    await friday.runOnce();
    expect(toAdmin(ADMIN_ID).at(-2)!.payload.text).toContain("This report comes every week: Friday, 17:30 Dushanbe time.");
  });

  it("is set with WEEKLY_REPORT: a weekday and a time, or off", () => {
    const env = { BOT_TOKEN: "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" };
    expect(loadConfig(env).weeklyReport).toEqual({ weekday: 1, time: "09:00" });
    expect(loadConfig({ ...env, WEEKLY_REPORT: "off" }).weeklyReport).toBeUndefined();
    expect(loadConfig({ ...env, WEEKLY_REPORT: "Friday 9:30" }).weeklyReport).toEqual({ weekday: 5, time: "09:30" });
    expect(() => loadConfig({ ...env, WEEKLY_REPORT: "every monday" })).toThrow(
      /WEEKLY_REPORT must be a weekday and a time in Dushanbe time, such as "monday 09:00", or "off"/,
    );
  });
});
