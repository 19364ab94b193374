/**
 * `npm run bench:abuse`: one abusive user next to normal users, on the full bot (fake Bot API in
 * process, real SQLite file). The abuser first sends 500 wrong 4,000-character answers into the
 * request dialog, then 5,000 new accounts each leave a draft and never come back. Normal users
 * keep browsing the FAQ and the hotline throughout. Prints the peak RSS, the heap after garbage
 * collection, and the normal users' p50/p99 reply time before, during and after each attack.
 * Run with `--expose-gc` (the npm script does) for the heap figure.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Update } from "grammy/types";
import { DateTime } from "luxon";
import pino from "pino";
import { createApp } from "../src/app.js";
import { callback, requestDialogButton } from "../src/bot/callbacks.js";
import { loadContent } from "../src/content.js";
import { closeDatabase, openDatabase } from "../src/db/client.js";
import { BOT_TOKEN, botInfo, FakeTelegram } from "../test/helpers/fake-telegram.js";

const WRONG_ANSWERS = Number(process.env.ABUSE_WRONG_ANSWERS ?? 500);
const ABANDONED_DRAFTS = Number(process.env.ABUSE_DRAFTS ?? 5000);
const NORMAL_USERS = 50;
const ABUSER = 900_000;

const content = loadContent();
const dir = mkdtempSync(join(tmpdir(), "hamroh-abuse-"));
const db = await openDatabase(`file:${join(dir, "abuse.db")}`);
// The wall clock moves a second per update, so the flood guard and pacing see time pass.
let now = DateTime.fromISO("2026-11-23T10:00", { zone: "Asia/Dushanbe" });
let monotonic = 0;
const clock = { now: () => now, monotonicMs: () => monotonic };
const staff = { chatId: -1001000000001, language: "ru", reannounceMinutes: 30, urgentReannounceMinutes: 10 } as const;
const { bot } = createApp(
  BOT_TOKEN,
  {
    ...content,
    db,
    logger: pino({ level: "silent" }),
    clock,
    staff,
    adminIds: [],
    retentionDays: 180,
    broadcast: { ratePerSecond: 25, concurrency: 3, progressEveryMs: 3000 },
  },
  { botInfo, client: { fetch: new FakeTelegram({ record: false }).fetch } },
);

let updateId = 1;
const tick = (ms = 1000) => {
  now = now.plus({ milliseconds: ms });
  monotonic += ms;
};
const from = (id: number) => ({ id, is_bot: false, first_name: "U", language_code: "ru" });
const chat = (id: number) => ({ id, type: "private" as const, first_name: "U" });
const send = (id: number, text: string) =>
  bot.handleUpdate({
    update_id: updateId++,
    message: {
      message_id: updateId,
      date: 1,
      chat: chat(id),
      from: from(id),
      text,
      ...(text.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: text.length }] } : {}),
    },
  } as Update);
const press = (id: number, data: string) =>
  bot.handleUpdate({
    update_id: updateId++,
    callback_query: {
      id: "1",
      from: from(id),
      chat_instance: "1",
      data,
      message: { message_id: 1, date: 1, chat: chat(id), text: "menu" },
    },
  } as Update);

async function register(id: number): Promise<void> {
  await send(id, "/start");
  await press(id, callback.setLanguage.pack({ locale: "ru" }));
}

/** Normal users' reply times for `rounds` rounds of a short session each. */
async function normalTraffic(rounds: number): Promise<number[]> {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let user = 1; user <= NORMAL_USERS; user++) {
      for (const step of [
        () => press(user, callback.faqCategories.pack()),
        () => send(user, "патент оплата"),
        () => press(user, callback.hotline.pack()),
      ]) {
        const started = performance.now();
        await step();
        times.push(performance.now() - started);
      }
    }
    tick();
  }
  return times;
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;
const report = (label: string, times: number[]) =>
  console.log(
    `${label.padEnd(34)} normal users: p50 ${percentile(times, 0.5).toFixed(2)} ms, p99 ${percentile(times, 0.99).toFixed(2)} ms (${times.length} replies)`,
  );
const heapAfterGc = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

for (let user = 1; user <= NORMAL_USERS; user++) await register(user);
await register(ABUSER);
report("before", await normalTraffic(4));

// 1. Wrong answers into the request dialog, interleaved with normal users.
await press(ABUSER, callback.ask.pack());
await press(ABUSER, requestDialogButton.topic.pack({ topic: "other" }));
await press(ABUSER, requestDialogButton.country.pack({ country: "russia" }));
const wrong = "x".repeat(4000);
const duringWrong: number[] = [];
for (let i = 0; i < WRONG_ANSWERS; i++) {
  await send(ABUSER, wrong);
  tick(200);
  if (i % 50 === 0) duringWrong.push(...(await normalTraffic(1)));
}
report(`during ${WRONG_ANSWERS} wrong 4,000-char answers`, duringWrong);
console.log(`heap after GC: ${heapAfterGc().toFixed(0)} MB; dialogs stored: ${await db.dialogState.count()}`);

// 2. Abandoned drafts from new accounts.
const duringDrafts: number[] = [];
for (let i = 0; i < ABANDONED_DRAFTS; i++) {
  const id = ABUSER + 1 + i;
  await register(id);
  await press(id, callback.ask.pack());
  if (i % 500 === 0) duringDrafts.push(...(await normalTraffic(1)));
}
report(`during ${ABANDONED_DRAFTS} abandoned drafts`, duringDrafts);
console.log(`heap after GC: ${heapAfterGc().toFixed(0)} MB; dialogs stored: ${await db.dialogState.count()}`);
report("after", await normalTraffic(4));

clearInterval(sampler);
const rssMb = peakRss / 2 ** 20;
const p99 = percentile([...duringWrong, ...duringDrafts], 0.99);
console.log(
  `peak RSS ${rssMb.toFixed(0)} MB (target < 200 MB: ${rssMb < 200 ? "met" : "NOT met"}); normal users' p99 during the attacks ${p99.toFixed(2)} ms (target < 50 ms: ${p99 < 50 ? "met" : "NOT met"})`,
);
await closeDatabase(db);
rmSync(dir, { recursive: true, force: true });
