/**
 * `npm run bench:start`: how long `npm start` takes from spawn to the bot's first answer.
 *
 * A loopback HTTP server plays the Bot API (getMe, setMyCommands, deleteWebhook; getUpdates
 * hands out one /start message from a private chat, then holds the long poll; sendMessage is
 * recorded). `npm start` is spawned against it with a fresh SQLite file, and the time from the
 * spawn to the first sendMessage is measured, over RUNS runs after one first (build) run.
 * Each child is stopped with SIGTERM, as Ctrl+C or systemd stop its process group, and must
 * exit by itself (code 0, "stopped" logged).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BOT_TOKEN, botInfo } from "../test/helpers/fake-telegram.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ANSWER_TIMEOUT_MS = 60_000;
const root = join(import.meta.dirname, "..");
const botUser = botInfo;

/** One run's state: whether /start was handed out, the first sendMessage, the held polls. */
interface Run {
  startHandedOut: boolean;
  answered?: (at: number) => void;
  held: ServerResponse[];
  calls: string[];
}
let current: Run = { startHandedOut: false, held: [], calls: [] };
let messageId = 1;

const server = createServer((request, response) => {
  let raw = "";
  request.on("data", (chunk) => (raw += chunk));
  request.on("end", () => {
    const at = performance.now();
    const method = (request.url ?? "").split("/").pop() ?? "";
    const payload = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const run = current;
    run.calls.push(method);
    const answer = (result: unknown) =>
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, result }));
    switch (method) {
      case "getMe":
        return answer(botUser);
      case "getUpdates": {
        if (!run.startHandedOut) {
          run.startHandedOut = true;
          const chat = { id: 77, type: "private", first_name: "A" };
          const from = { id: 77, is_bot: false, first_name: "A", language_code: "ru" };
          const message = {
            message_id: 1,
            date: Math.floor(Date.now() / 1000),
            chat,
            from,
            text: "/start",
            entities: [{ type: "bot_command", offset: 0, length: 6 }],
          };
          return answer([{ update_id: 1, message }]);
        }
        // Hold the long poll as Telegram does: answer [] after the asked timeout (or at shutdown).
        run.held.push(response);
        const timeout = setTimeout(
          () => {
            run.held.splice(run.held.indexOf(response), 1);
            answer([]);
          },
          Number(payload.timeout ?? 30) * 1000,
        );
        response.on("close", () => clearTimeout(timeout));
        return;
      }
      case "sendMessage": {
        run.answered?.(at);
        run.answered = undefined;
        return answer({
          message_id: messageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(payload.chat_id), type: "private" },
          text: String(payload.text ?? ""),
        });
      }
      default:
        // setMyCommands, deleteWebhook and any other action.
        return answer(true);
    }
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** Resolves when npm has exited and its output pipes are closed, i.e. the bot (which holds them) has exited too. */
function waitForExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("close", (code) => resolve(code)));
}

/** Spawns `npm start` and resolves with the ms from spawn to the first sendMessage. */
async function measureOnce(label: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "hamroh-bench-start-"));
  const run: Run = { startHandedOut: false, held: [], calls: [] };
  current = run;
  const answered = new Promise<number>((resolve) => (run.answered = resolve));
  const env = { ...process.env, BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot, DATABASE_URL: `file:${join(dir, "bench.db")}`, LOG_LEVEL: "info" };
  const spawnedAt = performance.now();
  // Its own process group (npm → sh → node), so that the stop reaches the bot itself.
  const child = spawn("npm", ["start", "--silent"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = waitForExit(child);
  try {
    const result = await Promise.race([
      answered.then((at) => at - spawnedAt),
      exited.then((code) => Promise.reject(new Error(`npm start exited (${code}) before answering:\n${output}`))),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms:\n${output}`)), ANSWER_TIMEOUT_MS).unref(),
      ),
    ]);
    console.log(`${label}: ${result.toFixed(0)} ms (calls before the answer: ${run.calls.join(", ")})`);
    return result;
  } finally {
    await stop(child, exited, () => output);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Stops the child cleanly: SIGTERM to its process group (npm, the shell and the bot, as Ctrl+C
 * or a service manager do; npm alone would not pass it on through the shell), and the held long
 * polls are answered. The bot must log "stopped" and exit; SIGKILL only if it has not in 10 s.
 */
async function stop(child: ChildProcess, exited: Promise<number | null>, output: () => string): Promise<void> {
  const group = -child.pid!;
  try {
    process.kill(group, "SIGTERM");
  } catch {
    return; // already gone
  }
  for (const response of current.held.splice(0))
    response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true,"result":[]}');
  const timer = setTimeout(() => {
    console.error(`npm start did not stop within 10 s after SIGTERM; killing it\n${output()}`);
    try {
      process.kill(group, "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
  if (!output().includes('"msg":"stopped"')) {
    process.exitCode = 1;
    console.error(`the bot did not stop cleanly after SIGTERM:\n${output()}`);
  }
}

try {
  await measureOnce("first run (builds if dist/ is stale)");
  const times: number[] = [];
  for (let i = 1; i <= RUNS; i++) times.push(await measureOnce(`run ${i}`));
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(
    `start to first answer over ${RUNS} runs: min ${times[0]!.toFixed(0)} ms, median ${median.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms`,
  );
} finally {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
