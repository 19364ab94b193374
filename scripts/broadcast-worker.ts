/**
 * The notice sender as its own process, for `npm run bench:broadcast` (which kills it midway
 * to see a crash): `node dist/scripts/broadcast-worker.js <database url> <Bot API root> <rate>`.
 */
import { Api } from "grammy";
import pino from "pino";
import { BroadcastSender } from "../src/broadcast/sender.js";
import { loadContent } from "../src/content.js";
import { closeDatabase, openDatabase } from "../src/db/client.js";
import { systemClock } from "../src/shared/clock.js";

const [databaseUrl, apiRoot, rate] = process.argv.slice(2);
const db = await openDatabase(databaseUrl!);
const sender = new BroadcastSender({
  db,
  api: new Api("123456789:BENCH-token-for-the-broadcast-bench-abc", { apiRoot }),
  logger: pino({ level: "warn" }),
  translate: loadContent().translate,
  options: { ratePerSecond: Number(rate), concurrency: 3, progressEveryMs: 3000 },
  clock: systemClock,
});
const resent = await sender.recoverInFlight();
process.stdout.write(`${JSON.stringify({ started: true, resent })}\n`);
await sender.kick();
await closeDatabase(db);
process.stdout.write(`${JSON.stringify({ finished: true })}\n`);
