import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";
import { Health, startHealthServer } from "../src/ops/health.js";
import type { BotApiStatus } from "../src/telegram/bot-api-monitor.js";
import { LoopbackBotApi } from "./helpers/bot-api-server.js";
import { freePort, removeBotFolders, startBuiltBot, until } from "./helpers/entry-point.js";
import { BOT_TOKEN } from "./helpers/fake-telegram.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});
afterAll(removeBotFolders);

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
    const port = await freePort();
    const api = new LoopbackBotApi();
    const apiRoot = await api.start();
    const bot = startBuiltBot({
      BOT_TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      DATABASE_URL: "file:./data/hamroh.db",
      HEALTH_PORT: String(port),
    });
    let apiStopped = false;
    closers.push(async () => {
      bot.child.kill("SIGKILL");
      await bot.exited;
      if (!apiStopped) await api.stop();
    });
    const health = () =>
      fetch(`http://127.0.0.1:${port}/healthz`).then(
        async (response) => ({ status: response.status, body: await response.json() }),
        () => undefined,
      );
    const healthIs = (status: number) => async () => (await health())?.status === status;
    await until(healthIs(200), "a healthy bot", bot.output);
    expect((await health())!.body).toMatchObject({ ok: true, database: { ok: true }, botApi: { ok: true } });

    await api.stop();
    apiStopped = true;
    await until(healthIs(503), "the Bot API's failure in /healthz", bot.output);
    // The long poll in flight is cut (ECONNRESET), then the next attempt is refused (ECONNREFUSED).
    expect((await health())!.body).toMatchObject({
      ok: false,
      database: { ok: true },
      botApi: { ok: false, problem: expect.stringMatching(/^ECONN/) },
    });
  });
  it("in webhook mode the webhook server answers GET /healthz on PORT", async () => {
    const port = await freePort();
    const api = new LoopbackBotApi();
    const apiRoot = await api.start();
    const bot = startBuiltBot({
      BOT_TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      DATABASE_URL: "file:./data/hamroh.db",
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://bot.example.org/telegram",
      WEBHOOK_SECRET: "a-very-secret-token-123",
      PORT: String(port),
    });
    closers.push(async () => {
      bot.child.kill("SIGKILL");
      await bot.exited;
      await api.stop();
    });
    let response: Response | undefined;
    await until(
      async () => (response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200,
      "a healthy webhook server",
      bot.output,
    );
    expect(await response!.json()).toMatchObject({ ok: true, database: { ok: true }, botApi: { ok: true } });
    expect((await fetch(`http://127.0.0.1:${port}/telegram`, { method: "POST", body: "{}" })).status).toBe(401);
  });
});
