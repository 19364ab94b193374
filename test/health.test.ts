import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";
import { Health, startHealthServer } from "../src/ops/health.js";
import type { BotApiStatus } from "../src/telegram/bot-api-monitor.js";
import { LoopbackBotApi } from "./helpers/bot-api-server.js";
import { BOT_TOKEN } from "./helpers/fake-telegram.js";

const root = join(import.meta.dirname, "..");
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const fine: BotApiStatus = { ok: true, lastCallAt: "2026-11-23T05:00:00.000Z", failingSince: undefined, problem: undefined };

async function serve(health: Health) {
  const server = await startHealthServer(health, 0, createLogger("silent"));
  closers.push(() => server.close());
  return (path = "/healthz", method = "GET") => fetch(`http://127.0.0.1:${server.port}${path}`, { method });
}

describe("GET /healthz", () => {
  it("200 when the database answers and the last Bot API call was fine; the report holds no personal data", async () => {
    const get = await serve(new Health({ pingDatabase: async () => [{ 1: 1 }], monitor: { status: () => fine } }));
    const response = await get();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const report = await response.json();
    expect(report).toEqual({
      ok: true,
      database: { ok: true },
      botApi: { ok: true, lastCallAt: "2026-11-23T05:00:00.000Z" },
      uptimeSeconds: expect.any(Number),
    });
    expect((await get("/healthz", "HEAD")).status).toBe(200);
    expect((await get("/other")).status).toBe(404);
    expect((await get("/healthz", "POST")).status).toBe(404);
  });

  it("503 when the last Bot API call failed, saying what and since when", async () => {
    const failing: BotApiStatus = {
      ok: false,
      lastCallAt: "2026-11-23T05:03:00.000Z",
      failingSince: "2026-11-23T05:01:00.000Z",
      problem: "ECONNREFUSED",
    };
    const get = await serve(new Health({ pingDatabase: async () => [], monitor: { status: () => failing } }));
    const response = await get();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      ok: false,
      database: { ok: true },
      botApi: { ok: false, failingSince: "2026-11-23T05:01:00.000Z", problem: "ECONNREFUSED" },
    });
  });

  it("503 when the database fails, with the error's kind only", async () => {
    const get = await serve(
      new Health({
        pingDatabase: async () => Promise.reject(new TypeError("SQLITE_BUSY: user 5001 row …")),
        monitor: { status: () => fine },
      }),
    );
    const response = await get();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ ok: false, database: { ok: false, problem: "TypeError" }, botApi: { ok: true } });
  });

  it("503 before any Bot API call ended", async () => {
    const get = await serve(
      new Health({
        pingDatabase: async () => [],
        monitor: { status: () => ({ ok: undefined, lastCallAt: undefined, failingSince: undefined, problem: undefined }) },
      }),
    );
    expect((await get()).status).toBe(503);
  });

  it("the running bot answers on HEALTH_PORT in polling mode: 200, then 503 once the Bot API is gone", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const api = new LoopbackBotApi();
    const apiRoot = await api.start();
    const cwd = mkdtempSync(join(tmpdir(), "hamroh-health-"));
    const [, ...args] = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))
      .scripts.start.split("&&")
      .at(-1)
      .trim()
      .split(/\s+/) as string[];
    const child = spawn(
      process.execPath,
      args.map((arg) => (arg.startsWith("dist/") ? join(root, arg) : arg)),
      {
        cwd,
        env: {
          PATH: process.env.PATH!,
          BOT_TOKEN,
          TELEGRAM_API_ROOT: apiRoot,
          DATABASE_URL: "file:./data/hamroh.db",
          HEALTH_PORT: String(port),
        },
      },
    );
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise((resolve) => child.on("exit", resolve));
    let apiStopped = false;
    closers.push(async () => {
      child.kill("SIGKILL");
      await exited;
      if (!apiStopped) await api.stop();
      rmSync(cwd, { recursive: true, force: true });
    });
    const health = () =>
      fetch(`http://127.0.0.1:${port}/healthz`).then(
        async (response) => ({ status: response.status, body: await response.json() }),
        () => undefined,
      );
    const until = async (condition: (answer: Awaited<ReturnType<typeof health>>) => boolean, what: string) => {
      const deadline = Date.now() + 20_000;
      for (let answer = await health(); !condition(answer); answer = await health()) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; output:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await until((answer) => answer?.status === 200, "a healthy bot");
    expect((await health())!.body).toMatchObject({ ok: true, database: { ok: true }, botApi: { ok: true } });

    await api.stop();
    apiStopped = true;
    await until((answer) => answer?.status === 503, "the Bot API's failure in /healthz");
    // The long poll in flight is cut (ECONNRESET), then the next attempt is refused (ECONNREFUSED).
    expect((await health())!.body).toMatchObject({
      ok: false,
      database: { ok: true },
      botApi: { ok: false, problem: expect.stringMatching(/^ECONN/) },
    });
  });
  it("in webhook mode the webhook server answers GET /healthz on PORT", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const api = new LoopbackBotApi();
    const apiRoot = await api.start();
    const cwd = mkdtempSync(join(tmpdir(), "hamroh-health-"));
    const [, ...args] = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))
      .scripts.start.split("&&")
      .at(-1)
      .trim()
      .split(/\s+/) as string[];
    const child = spawn(
      process.execPath,
      args.map((arg) => (arg.startsWith("dist/") ? join(root, arg) : arg)),
      {
        cwd,
        env: {
          PATH: process.env.PATH!,
          BOT_TOKEN,
          TELEGRAM_API_ROOT: apiRoot,
          DATABASE_URL: "file:./data/hamroh.db",
          BOT_MODE: "webhook",
          WEBHOOK_URL: "https://bot.example.org/telegram",
          WEBHOOK_SECRET: "a-very-secret-token-123",
          PORT: String(port),
        },
      },
    );
    const exited = new Promise((resolve) => child.on("exit", resolve));
    closers.push(async () => {
      child.kill("SIGKILL");
      await exited;
      await api.stop();
      rmSync(cwd, { recursive: true, force: true });
    });
    const deadline = Date.now() + 20_000;
    let response: Response | undefined;
    while (response?.status !== 200) {
      if (Date.now() > deadline) throw new Error("no healthy webhook server");
      response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      if (response?.status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await response.json()).toMatchObject({ ok: true, database: { ok: true }, botApi: { ok: true } });
    expect((await fetch(`http://127.0.0.1:${port}/telegram`, { method: "POST", body: "{}" })).status).toBe(401);
  });
});
