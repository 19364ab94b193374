import { describe, expect, it } from "vitest";
import { callback } from "../src/bot/callbacks.js";
import { sendRequest } from "./helpers/dialog.js";
import { ADMIN_ID, useHarness } from "./helpers/harness.js";

const h = useHarness();

const en = (await import("../locales/en/bot.json", { with: { type: "json" } })).default;
const ru = (await import("../locales/ru/bot.json", { with: { type: "json" } })).default;

/** Two users (Russian in Moscow, Tajik without a place), the admin, and a lawyer who also opened the bot and took a request. */
async function people() {
  const admin = await h.registered(ADMIN_ID);
  const russian = await h.registered(7401, "ru");
  await russian.press(callback.hotline.pack());
  await russian.press(callback.zoneCity.pack({ city: "moscow" }));
  const tajik = await h.registered(7402, "tg");
  await h.registered(7499, "ru"); // the lawyer, in a private chat with the bot
  await sendRequest(russian, { topic: "unpaid-wages" });
  await sendRequest(tajik, { topic: "detention" });
  const [first] = await h.db.request.findMany({ orderBy: { id: "asc" } });
  await h.db.request.update({
    where: { id: first!.id },
    data: {
      status: "taken",
      lawyerId: 7499n,
      lawyerName: "Dilnoza",
      takenAt: new Date(),
      firstReplyAt: new Date(first!.createdAt.getTime() + 30 * 60_000),
    },
  });
  return admin;
}

describe("/stats for reports", () => {
  it("says everything in words, and counts neither admins nor lawyers as users", async () => {
    const admin = await people();
    const [stats] = await admin.send("/stats");
    const text = stats!.text;
    expect(text).toContain("Total 2, reachable 2, notices off 0, active in 7 days 2, in 30 days 2");
    expect(text).toContain(en.admin.statsStaffLeftOut);
    expect(text).toMatch(/By language: (Russian 1, Tajik 1|Tajik 1, Russian 1)\n/);
    expect(text).toMatch(/By time zone: (Moscow\/St Petersburg 1, not set 1|not set 1, Moscow\/St Petersburg 1)\n/);
    expect(text).toContain(`${en.requests.status.open} 1`);
    expect(text).toContain(`${en.requests.status.taken} 1`);
    expect(text).toContain(`${en.topic["unpaid-wages"]} 1`);
    expect(text).toContain(`${en.topic.detention} 1`);
    expect(text).toContain("Median time to the first lawyer reply: 30 min");
    for (const code of ["unpaid-wages", "detention", "Europe/Moscow", " ru ", "open 1", "taken 1", "null"])
      expect(text).not.toContain(code);
  });

  it("sends the chart of the last 12 weeks as a picture, captioned in the admin's language", async () => {
    const admin = await people();
    await h.db.user.update({ where: { telegramId: BigInt(ADMIN_ID) }, data: { language: "ru" } });
    await h.restart(); // the profile is read anew
    await admin.send("/stats");
    const [figures, photo] = h.telegram.calls
      .filter(
        (call) =>
          Number(call.payload.chat_id) === ADMIN_ID || String(call.payload.multipart ?? "").includes(`name="chat_id"\r\n\r\n${ADMIN_ID}`),
      )
      .slice(-2);
    expect(figures!.payload.text).toContain("Всего 2");
    expect(photo!.method).toBe("sendPhoto");
    const upload = String(photo!.payload.multipart);
    expect(upload).toContain(ru.report.chartCaption);
    expect(upload).toContain("filename=hamroh-2026-11-23.png");
    expect(upload).toContain("PNG");
    expect(upload).toContain("IHDR");
  });

  it("counts the requests of each week and topic for the chart, and each week's median time to the first answer", async () => {
    await people();
    const now = h.clock.now;
    const weeks = await h.services.stats.weeks(now.plus({ weeks: 1 }), "Asia/Dushanbe", 12);
    expect(weeks).toHaveLength(12);
    expect(weeks.at(-1)).toMatchObject({ start: "2026-11-23", total: 2, minutesToFirstReply: 30 });
    expect(weeks.at(-1)!.byTopic).toMatchObject({ "unpaid-wages": 1, detention: 1, family: 0 });
    expect(weeks[0]).toMatchObject({ start: "2026-09-07", total: 0 });
    expect(weeks[0]!.minutesToFirstReply).toBeUndefined();
  });
});
