/**
 * `npm run bench:broadcast`: a notice to 10,000 generated users through a loopback Bot API
 * server that allows 30 messages per second (more get 429 with retry_after) and answers 403
 * for 1% of the chats. The sender runs as its own process and is killed midway (a crash), then
 * started again. Prints the achieved rate as a share of the allowed one, duplicates, lost
 * messages, the in-flight count at the crash, and the sender's memory.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { migrateDatabase } from "../src/db/migrate.js";

const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const ALLOWED_PER_SECOND = 30;
// The sender is set to the allowed rate, as BROADCAST_RATE may be: it keeps below Telegram's window by itself.
const SENDER_RATE = Number(process.env.BENCH_SENDER_RATE ?? ALLOWED_PER_SECOND);
const ADMIN_CHAT = 1;
const RESPONSE_DELAY_MS = 80;
const blocked = (chatId: number) => chatId % 100 === 0; // 1% of the chats

const dir = mkdtempSync(join(tmpdir(), "hamroh-bench-broadcast-"));
const file = join(dir, "bench.db");
migrateDatabase(file);
const setup = new Database(file);
const insertUser = setup.prepare("INSERT INTO User (telegramId, language) VALUES (?, ?)");
const languages = ["tg", "ru", "uz", "ky", "en"];
setup.transaction(() => {
  for (let i = 1; i <= USERS; i++) insertUser.run(1_000_000 + i, languages[i % languages.length]);
})();
const content = {
  defaultLocale: "tg",
  versions: { tg: { text: "Хати боварӣ 31 декабр баста аст." }, ru: { text: "31 декабря горячая линия не работает." } },
};
setup
  .prepare("INSERT INTO Broadcast (createdBy, content, audience, total, progressChatId) VALUES (?, ?, ?, ?, ?)")
  .run(ADMIN_CHAT, JSON.stringify(content), '{"kind":"all"}', USERS, ADMIN_CHAT);
setup.prepare("INSERT INTO BroadcastDelivery (broadcastId, userId) SELECT 1, id FROM User").run();
setup.close();

// The loopback Bot API: a sliding one-second window of accepted messages.
const received = new Map<number, number>();
const accepted: number[] = [];
let refused429 = 0;
const server = createServer((request, response) => {
  let raw = "";
  request.on("data", (chunk) => (raw += chunk));
  request.on("end", () => {
    const method = (request.url ?? "").split("/").pop();
    const payload = raw ? JSON.parse(raw) : {};
    const chatId = Number(payload.chat_id);
    const answer = (status: number, body: unknown) =>
      response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (method !== "sendMessage" || chatId === ADMIN_CHAT)
      return answer(200, { ok: true, result: { message_id: 1, date: 0, chat: { id: chatId, type: "private" }, text: "" } });
    const now = Date.now();
    while (accepted.length > 0 && accepted[0]! <= now - 1000) accepted.shift();
    if (accepted.length >= ALLOWED_PER_SECOND) {
      refused429++;
      return answer(429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    }
    if (blocked(chatId)) return answer(403, { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" });
    accepted.push(now);
    deliveries.push(now);
    received.set(chatId, (received.get(chatId) ?? 0) + 1);
    // Answered after a network-like delay, so that a few messages are in flight at any moment.
    setTimeout(
      () => answer(200, { ok: true, result: { message_id: 2, date: 0, chat: { id: chatId, type: "private" }, text: payload.text } }),
      RESPONSE_DELAY_MS,
    );
  });
});
const deliveries: number[] = [];
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

let peakRssKb = 0;
const rssSamples: number[] = [];
function startSender(): { child: ChildProcess; done: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    [
      "--max-old-space-size=256",
      "--max-semi-space-size=4",
      join(import.meta.dirname, "broadcast-worker.js"),
      `file:${file}`,
      apiRoot,
      String(SENDER_RATE),
    ],
    {
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  const sampler = setInterval(() => {
    try {
      const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0);
      peakRssKb = Math.max(peakRssKb, rss);
      rssSamples.push(rss);
    } catch {
      // the process is gone
    }
  }, 250);
  const done = new Promise<number | null>((resolve) => child.on("exit", (code) => (clearInterval(sampler), resolve(code))));
  return { child, done };
}

console.log(
  `Broadcast benchmark: ${USERS} users, loopback Bot API allowing ${ALLOWED_PER_SECOND}/s (429 beyond), answering after ${RESPONSE_DELAY_MS} ms, 1% of chats answer 403; sender paced at ${SENDER_RATE}/s`,
);
const started = Date.now();
const first = startSender();
while (deliveries.length < USERS / 2) await new Promise((resolve) => setTimeout(resolve, 50));
first.child.kill("SIGKILL");
await first.done;
const crashAt = Date.now();
const check = new Database(file, { readonly: true });
const inFlightAtCrash = (check.prepare("SELECT COUNT(*) AS n FROM BroadcastDelivery WHERE status = 'sending'").get() as { n: number }).n;
check.close();
console.log(`crash: sender killed after ${deliveries.length} delivered, ${inFlightAtCrash} deliveries in flight`);
const restartAt = Date.now();
const second = startSender();
await second.done;
const finished = Date.now();
server.close();

const eligible = Array.from({ length: USERS }, (_, i) => 1_000_000 + i + 1).filter((chat) => !blocked(chat));
const lost = eligible.filter((chat) => !received.has(chat)).length;
const duplicates = [...received.values()].filter((count) => count > 1).length;
const sendingSeconds = (finished - started - (restartAt - crashAt)) / 1000;
const rate = deliveries.length / sendingSeconds;
const final = new Database(file, { readonly: true });
const byStatus = final.prepare("SELECT status, COUNT(*) AS n FROM BroadcastDelivery GROUP BY status").all();
const unreachable = (final.prepare("SELECT COUNT(*) AS n FROM User WHERE unreachable = 1").get() as { n: number }).n;
final.close();
const tenth = Math.floor(rssSamples.length / 10);
console.log(
  `delivered ${deliveries.length} in ${sendingSeconds.toFixed(1)} s of sending: ${rate.toFixed(2)} messages/s = ${((rate / ALLOWED_PER_SECOND) * 100).toFixed(1)}% of the allowed ${ALLOWED_PER_SECOND}/s (429 answers: ${refused429})`,
);
console.log(
  `lost: ${lost}, duplicates: ${duplicates} (in flight at the crash: ${inFlightAtCrash}), blocked users marked unreachable: ${unreachable}`,
);
console.log(`delivery rows: ${byStatus.map((row) => `${(row as { status: string }).status} ${(row as { n: number }).n}`).join(", ")}`);
console.log(
  `sender RSS: peak ${(peakRssKb / 1024).toFixed(0)} MB; at 10% / 50% / 90% of samples ${[tenth, 5 * tenth, 9 * tenth].map((i) => ((rssSamples[i] ?? 0) / 1024).toFixed(0)).join(" / ")} MB`,
);
const targets: [string, boolean][] = [
  ["≥ 97% of the allowed rate", rate >= 0.97 * ALLOWED_PER_SECOND],
  ["no 429", refused429 === 0],
  ["0 lost", lost === 0],
  ["duplicates ≤ in flight at the crash", duplicates <= inFlightAtCrash],
];
console.log(`targets: ${targets.map(([name, met]) => `${name} ${met ? "met" : "MISSED"}`).join(", ")}`);
rmSync(dir, { recursive: true, force: true });
