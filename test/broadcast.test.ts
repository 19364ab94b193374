import { describe, expect, it } from "vitest";
import { broadcastDialogButton, callback } from "../src/bot/callbacks.js";
import { ADMIN_ID, type Person, runOnFastTime, useHarness } from "./helpers/harness.js";
import { composeNotice } from "./helpers/notice.js";

const h = useHarness();

const en = (await import("../locales/en/bot.json", { with: { type: "json" } })).default;

const registered = (id: number, locale?: string) => h.registered(id, locale);

/**
 * Users `ids` (registered now) and the notice "Hotline news" to all of them, reported to the
 * admin, its deliveries in `statuses` (default: all pending), as the sender finds them.
 */
async function queuedNotice(ids: number[], statuses: string[] = ids.map(() => "pending")): Promise<void> {
  for (const id of ids) await registered(id);
  const users = await h.db.user.findMany({ where: { telegramId: { in: ids.map(BigInt) } }, orderBy: { id: "asc" } });
  const broadcast = await h.db.broadcast.create({
    data: {
      createdBy: BigInt(ADMIN_ID),
      content: JSON.stringify({ defaultLocale: "en", versions: { en: { text: "Hotline news" } } }),
      audience: '{"kind":"all"}',
      total: ids.length,
      progressChatId: BigInt(ADMIN_ID),
    },
  });
  await h.db.broadcastDelivery.createMany({
    data: users.map((user, i) => ({ broadcastId: broadcast.id, userId: user.id, status: statuses[i]! })),
  });
}

async function composeAndSend(admin: Person, audience?: string[]) {
  await composeNotice(admin, audience);
  return admin.press(broadcastDialogButton.choice.pack({ value: "send" }));
}

describe("broadcasts", () => {
  it.each(["/broadcast", "/broadcast_cancel"])("refuses %s to non-admins", async (command) => {
    const user = await registered(7001);
    expect((await user.send(command))[0]!.text).toBe(en.admin.onlyAdmins);
    expect(await h.db.broadcast.count()).toBe(0);
  });

  it("previews each version as users will see it, then sends each user their language once, skipping opted-out users", async () => {
    const admin = await registered(ADMIN_ID);
    const ru = await registered(7002, "ru");
    const tg = await registered(7003, "tg");
    const optedOut = await registered(7004);
    await optedOut.press(callback.toggleNotices.pack());
    await composeNotice(admin);
    const preview = h.telegram.calls.filter((c) => c.method === "sendMessage" && Number(c.payload.chat_id) === ADMIN_ID).slice(-3);
    expect(preview[0]!.payload).toMatchObject({
      text: "Hotline closed on 31 December",
      entities: [{ type: "bold", offset: 0, length: 7 }],
    });
    expect(preview[1]!.payload.text).toBe("Hotline: 31 декабря линия закрыта");
    expect(preview[2]!.payload.text).toContain("Recipients: 3"); // admin, ru, tg
    await admin.press(broadcastDialogButton.choice.pack({ value: "send" }));
    await h.broadcastSender.kick();
    const sentTo = (id: number) =>
      h.telegram.calls.filter(
        (c) => c.method === "sendMessage" && Number(c.payload.chat_id) === id && String(c.payload.text).startsWith("Hotline"),
      );
    expect(sentTo(7002).map((c) => c.payload.text)).toEqual(["Hotline: 31 декабря линия закрыта"]);
    expect(sentTo(7003).map((c) => c.payload.text)).toEqual(["Hotline closed on 31 December"]); // no Tajik version: the default
    expect(sentTo(7004)).toEqual([]);
    expect(sentTo(7003)[0]!.payload.entities).toEqual([{ type: "bold", offset: 0, length: 7 }]);
    const report = h.telegram.calls.filter((c) => Number(c.payload.chat_id) === ADMIN_ID).at(-1)!;
    expect(report.payload.text).toBe("✅ Notice #1 done: sent 3 of 3, failed 0, blocked the bot 0, maybe sent twice after a restart 0.");
    void ru;
    void tg;
  });

  it("filters the audience by language and by a topic users asked about", async () => {
    const admin = await registered(ADMIN_ID);
    await registered(7010, "ru");
    await registered(7011, "ky");
    await composeAndSend(admin, ["language", "ky"]);
    await h.broadcastSender.kick();
    expect((await h.db.broadcast.findFirstOrThrow()).total).toBe(1);
    expect(await h.db.broadcastDelivery.findMany({ select: { userId: true } })).toHaveLength(1);
    await composeAndSend(admin, ["topic", "unpaid-wages"]);
    expect((await h.db.broadcast.findFirstOrThrow({ where: { id: 2 } })).total).toBe(0);
  });

  it("pauses everything for retry_after on 429, marks users who blocked the bot, and leaves them out next time", async () => {
    runOnFastTime();
    const admin = await registered(ADMIN_ID);
    await registered(7020);
    await registered(7021);
    await registered(7022);
    h.telegram.failNext(
      "sendMessage",
      { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } },
      1,
      7020,
    );
    h.telegram.failNext("sendMessage", { error_code: 403, description: "Forbidden: bot was blocked by the user" }, 1, 7021);
    await composeAndSend(admin);
    await h.broadcastSender.kick();
    const notices = h.telegram.calls.filter(
      (c) =>
        c.method === "sendMessage" &&
        String(c.payload.text).startsWith("Hotline") &&
        [7020, 7021, 7022].includes(Number(c.payload.chat_id)),
    );
    const refused = notices.findIndex((c) => Number(c.payload.chat_id) === 7020);
    expect(notices[refused + 1]!.at - notices[refused]!.at).toBeGreaterThanOrEqual(950);
    expect(await h.db.user.findUniqueOrThrow({ where: { telegramId: 7021n } })).toMatchObject({ unreachable: true });
    const deliveries = await h.db.broadcastDelivery.findMany({ orderBy: { userId: "asc" } });
    expect(deliveries.map((d) => d.status).sort()).toEqual(["blocked", "sent", "sent", "sent"]);
    await composeAndSend(admin);
    expect((await h.db.broadcast.findUniqueOrThrow({ where: { id: 2 } })).total).toBe(3);
  });

  it("resumes after a crash: nobody gets it twice but the ones in flight, and the report counts those", async () => {
    await registered(ADMIN_ID); // gets the report, in their language
    const ids = [7030, 7031, 7032, 7033, 7034];
    // As the sender left it when the process died: two sent, one in flight, two not yet.
    await queuedNotice(ids, ["sent", "sent", "sending", "pending", "pending"]);
    await h.restart();
    expect(await h.broadcastSender.recoverInFlight()).toBe(1);
    await h.broadcastSender.kick();
    const received = (id: number) =>
      h.telegram.calls.filter((c) => c.method === "sendMessage" && Number(c.payload.chat_id) === id && c.payload.text === "Hotline news")
        .length;
    expect(ids.map(received)).toEqual([0, 0, 1, 1, 1]);
    const report = h.telegram.calls.filter((c) => Number(c.payload.chat_id) === ADMIN_ID).at(-1)!;
    expect(report.payload.text).toBe("✅ Notice #1 done: sent 5 of 5, failed 0, blocked the bot 0, maybe sent twice after a restart 1.");
  });

  it("waits on the monotonic clock: a step of the wall clock backwards neither freezes nor delays sending", async () => {
    runOnFastTime();
    // One message at a time, so that the clock steps after the first retry was scheduled.
    await h.recreate({ broadcast: { concurrency: 1 } });
    await registered(ADMIN_ID); // gets the report
    const ids = [7070, 7071, 7072];
    await queuedNotice(ids);
    // The first recipient's message meets a 502 (retried after 2 s); then the wall clock steps an hour back.
    h.telegram.failNext("sendMessage", { error_code: 502, description: "Bad Gateway" }, 1, 7070);
    const answer = h.telegram.answer.bind(h.telegram);
    h.telegram.answer = (method, payload) => {
      if (Number(payload.chat_id) === 7071) h.setNow("2026-11-23T09:00");
      return answer(method, payload);
    };
    await h.broadcastSender.kick();
    const tries = h.telegram.calls.filter(
      (c) => c.method === "sendMessage" && Number(c.payload.chat_id) === 7070 && c.payload.text === "Hotline news",
    );
    expect(tries.map((c) => c.refused)).toEqual([true, false]);
    const waited = tries[1]!.at - tries[0]!.at;
    expect(waited).toBeGreaterThanOrEqual(2000);
    expect(waited).toBeLessThan(10_000); // not an hour
    expect((await h.db.broadcastDelivery.findMany()).map((d) => d.status)).toEqual(["sent", "sent", "sent"]);
  });

  it("settles each kind of refusal: gone users are marked, 5xx and timeouts are retried, other refusals fail", async () => {
    runOnFastTime();
    await registered(ADMIN_ID); // gets the report
    const ids = [7080, 7081, 7082, 7083, 7084, 7085];
    await queuedNotice(ids);
    h.telegram.failNext("sendMessage", { error_code: 400, description: "Bad Request: chat not found" }, 1, 7080);
    h.telegram.failNext("sendMessage", { error_code: 403, description: "Forbidden: user is deactivated" }, 1, 7081);
    h.telegram.failNext("sendMessage", { error_code: 500, description: "Internal Server Error" }, 2, 7082);
    h.telegram.failNext("sendMessage", { error_code: 400, description: "Bad Request: message text is empty" }, 1, 7083);
    h.telegram.silenceNext({ method: "sendMessage", chatId: 7084, accepted: true, kind: "timeout" });
    await h.broadcastSender.kick();
    const deliveries = await h.db.broadcastDelivery.findMany({ orderBy: { userId: "asc" } });
    expect(deliveries.map((d) => d.status)).toEqual(["blocked", "blocked", "sent", "failed", "sent", "sent"]);
    expect(deliveries[2]!.attempts).toBe(3); // two 500s, then sent
    expect(deliveries.map((d) => d.uncertain)).toEqual([false, false, false, false, true, false]); // Telegram may have taken the first one
    const unreachable = await h.db.user.findMany({ where: { unreachable: true }, orderBy: { id: "asc" } });
    expect(unreachable.map((user) => Number(user.telegramId))).toEqual([7080, 7081]);
    const report = h.telegram.calls.filter((c) => Number(c.payload.chat_id) === ADMIN_ID).at(-1)!;
    expect(report.payload.text).toBe("✅ Notice #1 done: sent 3 of 6, failed 1, blocked the bot 2, maybe sent twice after a restart 1.");
  });

  it("/broadcast_cancel stops a running notice", async () => {
    runOnFastTime();
    await h.recreate({ broadcast: { ratePerSecond: 5 } });
    const admin = await registered(ADMIN_ID);
    for (let id = 7040; id < 7050; id++) await registered(id);
    await composeAndSend(admin);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const [cancelling] = await admin.send("/broadcast_cancel");
    expect(cancelling!.text).toBe(en.broadcast.cancelling);
    await h.broadcastSender.kick();
    const broadcast = await h.db.broadcast.findFirstOrThrow();
    expect(broadcast.status).toBe("cancelled");
    expect(await h.db.broadcastDelivery.count({ where: { status: "sent" } })).toBeLessThan(11);
    expect(h.telegram.calls.filter((c) => Number(c.payload.chat_id) === ADMIN_ID).at(-1)!.payload.text).toMatch(/^⏹ Notice #1 stopped/);
  });

  it("never sends to a user who turned notices off after the notice was composed; /stats reports it", async () => {
    runOnFastTime();
    await h.recreate({ broadcast: { ratePerSecond: 2 } });
    const admin = await registered(ADMIN_ID);
    const late = await registered(7060);
    await registered(7061);
    await composeAndSend(admin);
    await late.press(callback.toggleNotices.pack());
    await h.broadcastSender.kick();
    expect(h.telegram.calls.filter((c) => Number(c.payload.chat_id) === 7060 && String(c.payload.text).startsWith("Hotline"))).toEqual([]);
    expect((await h.db.broadcastDelivery.findMany()).map((d) => d.status).sort()).toEqual(["sent", "sent", "skipped"]);
    const [stats] = await admin.send("/stats");
    expect(stats!.text).toContain("3 recipients: delivered 2, blocked the bot 0, failed 0");
  });

  it("cancels the dialog without sending anything", async () => {
    const admin = await registered(ADMIN_ID);
    await admin.send("/broadcast");
    await admin.send("Draft");
    const [cancelled] = await admin.press(broadcastDialogButton.cancel.pack());
    expect(cancelled!.text).toBe(en.broadcast.cancelled);
    expect(await h.db.broadcast.count()).toBe(0);
  });
});
