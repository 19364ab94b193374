import { afterEach, expect, it } from "vitest";
import { loadFaqCatalogs } from "../src/faq/catalog.js";
import { escapeHtml } from "../src/shared/html.js";
import type { Locale } from "../src/i18n.js";
import { sendRequest } from "./helpers/dialog.js";
import { ADMIN_ID, createHarness, STAFF_CHAT_ID, type Harness } from "./helpers/harness.js";
import { composeNotice } from "./helpers/notice.js";
import { lawyerWrites, replyTo } from "./helpers/staff.js";

const OUTAGE_MS = 60_000;

let h: Harness;
afterEach(async () => {
  await h.close();
});


/**
 * What `main.ts` does on its timers, every half second, with the bot's clock following real
 * time: posting new requests, delivering relays, sending notices.
 */
function startBackgroundJobs() {
  const startedAt = Date.now();
  const start = h.clock.now;
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    h.clock.now = start.plus({ milliseconds: Date.now() - startedAt });
    void h.broadcastSender.kick();
    if (busy) return;
    busy = true;
    running = h.jobs.deliverToStaff().finally(() => (busy = false));
  }, 500);
  return async () => {
    clearInterval(timer);
    await running;
    await h.broadcastSender.stop();
  };
}

async function settled(): Promise<boolean> {
  const [tasks, relays, notices] = await Promise.all([
    h.db.outboxTask.count({ where: { doneAt: null } }),
    h.db.requestMessage.count({ where: { status: "pending" } }),
    h.db.broadcast.count({ where: { status: { not: "done" } } }),
  ]);
  return tasks + relays + notices === 0;
}

it(
  "with the network down for a minute, then 429s, 5xx and a timeout, no answer, request, relay or notice is lost or sent twice",
  async () => {
    h = await createHarness({ broadcast: { ratePerSecond: 30 } });
    const faq = loadFaqCatalogs();
    const admin = await h.registered(ADMIN_ID);
    const readerLocales: Locale[] = ["en", "ru", "tg"];
    const readers = await Promise.all(readerLocales.map((locale, index) => h.registered(6100 + index, locale)));
    const asker = await h.registered(6110);
    const client = await h.registered(6111);
    await sendRequest(client, { question: "My passport was taken by my employer." });
    await h.outbox.run();
    const posted = await h.db.request.findFirstOrThrow();

    const stopBackgroundJobs = startBackgroundJobs();
    const startedAt = Date.now();
    h.telegram.goDown(OUTAGE_MS);
    // Once the network is back, Telegram is still struggling: rate limits, server errors, and
    // the next card is taken but its answer never arrives.
    h.telegram.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 2", parameters: { retry_after: 2 } }, 2);
    h.telegram.failNext("sendMessage", { error_code: 502, description: "Bad Gateway" }, 2);
    h.telegram.silenceNext({ method: "sendMessage", chatId: STAFF_CHAT_ID, accepted: true, kind: "timeout", withButtons: true });

    // Everyone goes on using the bot while it cannot reach Telegram.
    // Each reader opens a different category, in their language.
    const questions = readerLocales.map((locale, index) => {
      const category = faq[locale].categories[index]!;
      return { category, question: category.questions[0]! };
    });
    const users = [
      ...readers.map(async (reader, index) => {
        const { category, question } = questions[index]!;
        await reader.press("faq");
        await reader.press(`faq:c:${category.id}`);
        await reader.press(`faq:q:${question.id}`);
      }),
      sendRequest(asker, { question: "They want me to pay for a new work permit.", photo: "PERMIT" }),
      client.send("I also have a photo of the contract."),
      lawyerWrites(h, { text: "Do you know where your passport is kept?", ...replyTo(posted.staffMessageId!) }),
      composeNotice(admin).then(() => admin.press("bc:send")),
    ];
    const [, , , request] = await Promise.all(users);

    while (!(await settled())) await new Promise((resolve) => setTimeout(resolve, 500));
    const settledAfter = Date.now() - startedAt;
    await stopBackgroundJobs();

    // Every reader got the answer they asked for, in their language.
    for (const [index, reader] of readers.entries()) {
      const answer = escapeHtml(questions[index]!.question.answer);
      expect(h.telegram.screensIn(reader.id).filter((screen) => screen.text.includes(answer))).toHaveLength(1);
    }
    // The new request reached the lawyers once, with its photo, and its author got its number.
    expect(request).toMatchObject({ text: expect.stringContaining("A-1002") });
    const cards = h.telegram.carriedOut(STAFF_CHAT_ID, "sendMessage").filter((call) => String(call.payload.text).includes("Client A-1002 asks"));
    expect(cards).toHaveLength(1);
    expect((await h.db.request.findUniqueOrThrow({ where: { id: 2 } })).staffMessageId).toBe(cards[0]!.messageId);
    expect(h.telegram.carriedOut(STAFF_CHAT_ID, "sendPhoto").filter((call) => String(call.payload.caption).startsWith("A-1002"))).toHaveLength(1);
    // Both relays arrived once.
    expect(h.telegram.carriedOut(STAFF_CHAT_ID, "copyMessage")).toHaveLength(1);
    expect(h.telegram.carriedOut(client.id, "sendMessage").filter((call) => String(call.payload.text).includes("Do you know where your passport is kept?"))).toHaveLength(1);
    // The notice reached each of the six users once.
    const noticesTo = (chatId: number) => h.telegram.carriedOut(chatId, "sendMessage").filter((call) => String(call.payload.text).startsWith("Hotline")).length;
    // The admin also saw both versions in the preview.
    expect([ADMIN_ID, ...readers.map((reader) => reader.id), asker.id, client.id].map(noticesTo)).toEqual([3, 1, 1, 1, 1, 1]);
    expect(await h.db.broadcastDelivery.count({ where: { status: "sent" } })).toBe(6);

    const { injected } = h.telegram;
    expect(injected).toMatchObject({ failures: 4, timeouts: 1 });
    expect(injected.refusedWhileDown).toBeGreaterThan(10);
    console.log(
      `faults: ${injected.refusedWhileDown} calls refused while the network was down for ${OUTAGE_MS / 1000} s, ${injected.failures} error answers (429, 502), ${injected.timeouts} timeout on a card; ` +
        `3 FAQ answers, 1 request with a photo, 2 relays, 1 notice to 6 users: none lost, none sent twice; all settled ${(settledAfter / 1000).toFixed(0)} s after the outage began`,
    );
  },
  180_000,
);
