import { afterEach, expect, it, vi } from "vitest";
import { broadcastDialogButton, callback } from "../src/bot/callbacks.js";
import { loadFaqCatalogs } from "../src/faq/catalog.js";
import type { Locale } from "../src/i18n.js";
import { escapeHtml } from "../src/shared/html.js";
import { sendRequest, writeToLawyer } from "./helpers/dialog.js";
import { ADMIN_ID, createHarness, FAKE_TIMERS, type Harness, STAFF_CHAT_ID } from "./helpers/harness.js";
import { composeNotice } from "./helpers/notice.js";
import { lawyerWrites, replyTo } from "./helpers/staff.js";

const OUTAGE_MS = 60_000;
/** How far fake time moves at each step: the background jobs' timer runs this often. */
const STEP_MS = 500;

let h: Harness;
afterEach(async () => {
  await h.close();
  vi.useRealTimers();
});

/**
 * The whole test runs on fake time: the bot's clock (wall and monotonic), the fake Bot API's
 * outage window and call times (`Date.now()`), auto-retry's waits and the notice sender's pauses
 * (`setTimeout`) and the background jobs' timer all follow it. Nothing in between waits for real
 * time (SQLite through better-sqlite3 is synchronous, the fake Bot API answers in-process).
 */
function useFakeTime() {
  vi.useFakeTimers({ toFake: [...FAKE_TIMERS] });
}

/** Moves fake time on, `stepMs` at a time, until `done` says so (at most `limitMs`). */
async function runUntil(done: () => boolean | Promise<boolean>, stepMs: number, limitMs = 10 * 60_000): Promise<void> {
  for (let waited = 0; !(await done()); waited += stepMs) {
    if (waited > limitMs) throw new Error(`not settled after ${limitMs / 1000} s of fake time`);
    await vi.advanceTimersByTimeAsync(stepMs);
  }
}

/** Lets fake time pass in small steps until `work` is done (a dialog waits a timer tick between its steps). */
async function whileTimePasses<T>(work: Promise<T>): Promise<T> {
  let done = false;
  const result = work.finally(() => (done = true));
  result.catch(() => undefined);
  await runUntil(() => done, 10);
  return result;
}

async function settled(): Promise<boolean> {
  const [tasks, relays, notices] = await Promise.all([
    h.db.outboxTask.count({ where: { doneAt: null } }),
    h.db.requestMessage.count({ where: { status: "pending" } }),
    h.db.broadcast.count({ where: { status: { not: "done" } } }),
  ]);
  return tasks + relays + notices === 0;
}

it("with the network down for a minute, then 429s, 5xx and a timeout, no answer, request, relay or notice is lost or sent twice", async () => {
  useFakeTime();
  // The bot's clock runs with (fake) time, as in production.
  h = await createHarness({ broadcast: { ratePerSecond: 30 }, running: true });
  const faq = loadFaqCatalogs();
  const admin = await whileTimePasses(h.registered(ADMIN_ID));
  const readerLocales: Locale[] = ["en", "ru", "tg"];
  const readers = await whileTimePasses(Promise.all(readerLocales.map((locale, index) => h.registered(6100 + index, locale))));
  const asker = await whileTimePasses(h.registered(6110));
  const client = await whileTimePasses(h.registered(6111));
  await whileTimePasses(sendRequest(client, { question: "My passport was taken by my employer." }));
  await h.outbox.run();
  const posted = await h.db.request.findFirstOrThrow();

  // What main.ts starts: the one list of background jobs on its timer (and the notice sender).
  await h.jobs.start(STEP_MS);
  const startedAt = Date.now();
  h.telegram.goDown(OUTAGE_MS);
  // Once the network is back, Telegram is still struggling: rate limits, server errors, and
  // the next card is taken but its answer never arrives.
  h.telegram.failNext(
    "sendMessage",
    { error_code: 429, description: "Too Many Requests: retry after 2", parameters: { retry_after: 2 } },
    2,
  );
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
      await reader.press(callback.faqCategories.pack());
      await reader.press(callback.faqCategory.pack({ categoryId: category.id }));
      await reader.press(callback.faqQuestion.pack({ questionId: question.id }));
    }),
    sendRequest(asker, { question: "They want me to pay for a new work permit.", photo: "PERMIT" }),
    writeToLawyer(client, "I also have a photo of the contract."),
    lawyerWrites(h, { text: "Do you know where your passport is kept?", ...replyTo(posted.staffMessageId!) }),
    composeNotice(admin).then(() => admin.press(broadcastDialogButton.choice.pack({ value: "send" }))),
  ];
  // Fake time moves on until every user has their answer and nothing waits to be sent.
  let answered = false;
  const all = Promise.all(users).finally(() => (answered = true));
  all.catch(() => undefined); // awaited below
  await runUntil(async () => answered && (await settled()), STEP_MS);
  const [, , , request] = await all;
  const settledAfter = Date.now() - startedAt;
  await h.jobs.stop();

  // Every reader got the answer they asked for, in their language.
  for (const [index, reader] of readers.entries()) {
    const answer = escapeHtml(questions[index]!.question.answer);
    expect(h.telegram.screensIn(reader.id).filter((screen) => screen.text.includes(answer))).toHaveLength(1);
  }
  // The new request reached the lawyers once, with its photo, and its author got its number.
  expect(request).toMatchObject({ text: expect.stringContaining("A-1002") });
  const cards = h.telegram
    .carriedOut(STAFF_CHAT_ID, "sendMessage")
    .filter((call) => String(call.payload.text).includes("Client A-1002 asks"));
  expect(cards).toHaveLength(1);
  expect((await h.db.request.findUniqueOrThrow({ where: { id: 2 } })).staffMessageId).toBe(cards[0]!.messageId);
  expect(
    h.telegram.carriedOut(STAFF_CHAT_ID, "sendPhoto").filter((call) => String(call.payload.caption).startsWith("A-1002")),
  ).toHaveLength(1);
  // Both relays arrived once.
  expect(h.telegram.carriedOut(STAFF_CHAT_ID, "copyMessage")).toHaveLength(1);
  expect(
    h.telegram
      .carriedOut(client.id, "sendMessage")
      .filter((call) => String(call.payload.text).includes("Do you know where your passport is kept?")),
  ).toHaveLength(1);
  // The notice reached each of the six users once.
  const noticesTo = (chatId: number) =>
    h.telegram.carriedOut(chatId, "sendMessage").filter((call) => String(call.payload.text).startsWith("Hotline")).length;
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
}, 60_000);
