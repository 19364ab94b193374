/**
 * `npm run bench`: the full bot (fake Bot API in process, real SQLite file) under a mixed
 * workload of 1,000 distinct users — /start, language, FAQ browsing, votes, typed questions,
 * hotline and city — next to a bare grammY bot that only answers each update, on the same
 * updates. Two phases per bot:
 *  - throughput: as fast as it goes, 16 chats in flight (closed loop) → updates per second;
 *  - latency: updates arrive at a fixed 1,000 per second (open loop) → p50/p99 from arrival
 *    to done, queueing included.
 * Prints both with the peak RSS of the process.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Bot } from "grammy";
import type { Update } from "grammy/types";
import { DateTime } from "luxon";
import pino from "pino";
import { createApp } from "../src/app.js";
import { loadContent } from "../src/content.js";
import { closeDatabase, openDatabase } from "../src/db/client.js";
import { LOCALES } from "../src/i18n.js";
import { BOT_TOKEN, botInfo, FakeTelegram } from "../test/helpers/fake-telegram.js";

const USERS = Number(process.env.BENCH_USERS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const OFFERED_RATE = Number(process.env.BENCH_RATE ?? 1000);
/** Users active at the same time; each update comes from one of them, picked at random. */
const ACTIVE_USERS = 100;
const QUERIES = ["patent payment", "salary not paid", "паспорт забрали", "регистрация 15 дней", "ҳуҷҷат", "detained police", "ro'yxat"];

const content = loadContent();
const categories = content.faq.en.catalog.categories;

/** The updates one user sends, in order. */
function sessionOf(userId: number): Omit<Update, "update_id">[] {
  const locale = LOCALES[userId % LOCALES.length]!;
  const category = categories[userId % categories.length]!;
  const question = category.questions[userId % category.questions.length]!;
  const from = { id: userId, is_bot: false, first_name: "U", language_code: locale };
  const chat = { id: userId, type: "private" as const, first_name: "U" };
  const message = (text: string) => ({
    message: {
      message_id: 1,
      date: 1,
      chat,
      from,
      text,
      ...(text.startsWith("/") ? { entities: [{ type: "bot_command" as const, offset: 0, length: text.length }] } : {}),
    },
  });
  const press = (data: string) => ({
    callback_query: { id: "1", from, chat_instance: "1", data, message: { message_id: 1, date: 1, chat, text: "menu" } },
  });
  return [
    message("/start"),
    press(`lang:${locale}`),
    press("faq"),
    press(`faq:c:${category.id}`),
    press(`faq:q:${question.id}`),
    press(`faq:v:${question.id}:y`),
    message(QUERIES[userId % QUERIES.length]!),
    press("hot"),
    press("zone:city:moscow"),
    message("/hotline"),
  ];
}

/**
 * All users' updates, interleaved the way independent people look to the bot: the next update
 * comes from a random one of the active users; a user who is done is replaced by a new one.
 * The random choice is seeded, so every run sends the same updates in the same order.
 */
function workload(firstUserId: number): Update[] {
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const updates: Update[] = [];
  let started = 0;
  const active: Omit<Update, "update_id">[][] = [];
  const startNext = () => active.push(sessionOf(firstUserId + started++));
  while (active.length < ACTIVE_USERS && started < USERS) startNext();
  while (active.length > 0) {
    const index = Math.floor(random() * active.length);
    const session = active[index]!;
    updates.push({ update_id: updates.length + 1, ...session.shift()! } as Update);
    if (session.length === 0) {
      active.splice(index, 1);
      if (started < USERS) startNext();
    }
  }
  return updates;
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);

async function throughput(handle: (update: Update) => Promise<void>, updates: Update[]): Promise<number> {
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < updates.length) await handle(updates[next++]!);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return updates.length / ((performance.now() - started) / 1000);
}

async function latency(handle: (update: Update) => Promise<void>, updates: Update[]): Promise<{ p50: number; p99: number; max: number }> {
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  let next = 0;
  while (next < updates.length) {
    const now = performance.now();
    while (next < updates.length && started + (next * 1000) / OFFERED_RATE <= now) {
      const arrival = started + (next * 1000) / OFFERED_RATE;
      inFlight.push(handle(updates[next++]!).then(() => void latencies.push(performance.now() - arrival)));
    }
    await sleep(1);
  }
  await Promise.all(inFlight);
  latencies.sort((a, b) => a - b);
  const at = (share: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))]!;
  return { p50: at(0.5), p99: at(0.99), max: latencies.at(-1)! };
}

async function run(label: string, handle: (update: Update) => Promise<void>) {
  peakRss = process.memoryUsage().rss;
  const perSecond = await throughput(handle, workload(1_000_000));
  const { p50, p99, max } = await latency(handle, workload(2_000_000));
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  console.log(
    `${label.padEnd(12)} throughput ${perSecond.toFixed(0).padStart(6)} updates/s | at ${OFFERED_RATE}/s: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${max.toFixed(1)} ms | peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB`,
  );
  return { perSecond, p99, peakRssMb: peakRss / 2 ** 20 };
}

// BENCH_DB_DIR=/dev/shm separates the bot's own cost from the disk's stalls.
const dir = mkdtempSync(join(process.env.BENCH_DB_DIR ?? tmpdir(), "hamroh-bench-"));
const db = await openDatabase(`file:${join(dir, "bench.db")}`);
const clock = DateTime.fromISO("2026-11-23T10:00", { zone: "Asia/Dushanbe" });
const staff = { chatId: -1001000000001, language: "ru", reannounceMinutes: 30, urgentReannounceMinutes: 10 } as const;
const benchClock = { now: () => clock, monotonicMs: () => performance.now() };
const { bot: hamroh } = createApp(
  BOT_TOKEN,
  {
    ...content,
    db,
    logger: pino({ level: "silent" }),
    clock: benchClock,
    staff,
    adminIds: [],
    retentionDays: 180,
    broadcast: { ratePerSecond: 25, concurrency: 3, progressEveryMs: 3000 },
  },
  { botInfo, client: { fetch: new FakeTelegram({ record: false }).fetch } },
);
const bare = new Bot(BOT_TOKEN, { botInfo, client: { fetch: new FakeTelegram({ record: false }).fetch } });
bare.on("message", (ctx) => ctx.reply("ok"));
bare.on("callback_query", (ctx) => ctx.answerCallbackQuery());

console.log(
  `Hamroh benchmark: ${USERS} new users × ${sessionOf(0).length} updates per phase, Node ${process.version}, ${process.execArgv.join(" ") || "no flags"}`,
);
const baseline = await run("bare grammY", (update) => bare.handleUpdate(update));
const full = await run("Hamroh", (update) => hamroh.handleUpdate(update));
console.log(
  `overhead: Hamroh's throughput is ${((full.perSecond / baseline.perSecond) * 100).toFixed(1)}% of the bare bot's (${(baseline.perSecond / full.perSecond).toFixed(1)}× the work per update)`,
);
const targets: [string, boolean][] = [
  ["≥ 1,000 updates/s", full.perSecond >= 1000],
  ["p99 ≤ 25 ms", full.p99 <= 25],
  ["peak RSS ≤ 200 MB", full.peakRssMb <= 200],
];
console.log(`targets: ${targets.map(([name, met]) => `${name} ${met ? "met" : "MISSED"}`).join(", ")}`);
clearInterval(sampler);
await closeDatabase(db);
rmSync(dir, { recursive: true, force: true });
