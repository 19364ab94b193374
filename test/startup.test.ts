import { createServer, type Server } from "node:http";
import { afterAll, describe, it } from "vitest";
import { LoopbackBotApi } from "./helpers/bot-api-server.js";
import { freePort, removeBotFolders, startBuiltBot, until } from "./helpers/entry-point.js";
import { BOT_TOKEN, FakeTelegram } from "./helpers/fake-telegram.js";
import { GroupTelegram, NO_RIGHTS } from "./helpers/group-telegram.js";

afterAll(removeBotFolders);

/** The built bot with a token and a database, and `env`. */
const startHamroh = (env: Record<string, string>) => startBuiltBot({ BOT_TOKEN, DATABASE_URL: "file:./data/hamroh.db", ...env });

/** A Bot API on `port` that answers like FakeTelegram, and getUpdates as `updates` says. */
async function serveBotApi(port: number, telegram: FakeTelegram, updates: () => { status: number; body: unknown }): Promise<Server> {
  const server = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk) => (raw += chunk));
    request.on("end", () => {
      const method = (request.url ?? "").split("/").pop()!;
      const result = method === "getUpdates" ? updates() : telegram.answer(method, raw ? JSON.parse(raw) : {});
      // An empty long poll is answered after a moment, as Telegram's would be after its timeout.
      setTimeout(
        () => response.writeHead(result.status, { "content-type": "application/json" }).end(JSON.stringify(result.body)),
        method === "getUpdates" ? 100 : 0,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return server;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

describe("start-up messages that say how to fix", () => {
  it.concurrent("a token Telegram refuses (401) names BOT_TOKEN, says revoked or mistyped and how to get it from @BotFather, and stops", async ({
    expect,
  }) => {
    const api = new LoopbackBotApi();
    const apiRoot = await api.start();
    api.telegram.failNext("getMe", { error_code: 401, description: "Unauthorized" });
    try {
      const run = startHamroh({ TELEGRAM_API_ROOT: apiRoot });
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(
        "Hamroh cannot start: Telegram refuses BOT_TOKEN (401 Unauthorized). The token was revoked or mistyped.",
      );
      expect(run.output()).toMatch(/Open @BotFather in Telegram, send \/mybots/);
      expect(run.output()).toContain("put it in .env as BOT_TOKEN=");
      expect(run.output()).not.toMatch(/^\s+at /m); // no stack trace
      expect(run.output()).not.toContain(BOT_TOKEN);
      expect(api.telegram.callsOf("getUpdates")).toEqual([]);
    } finally {
      await api.stop();
    }
  });

  it.concurrent("no route to the Bot API: says which address and that it keeps trying, goes on, and starts once the Bot API answers; then the checks are logged", async ({
    expect,
  }) => {
    const port = await freePort();
    const apiRoot = `http://127.0.0.1:${port}`;
    const run = startHamroh({ TELEGRAM_API_ROOT: apiRoot, STAFF_CHAT_ID: "-1001000000001" });
    let server: Server | undefined;
    try {
      await until(() => run.output().includes("no route to the Bot API"), "the no-route message", run.output);
      const line = run
        .output()
        .split("\n")
        .find((entry) => entry.includes("no route to the Bot API"))!;
      expect(JSON.parse(line)).toMatchObject({ level: 40, apiRoot, problem: "ECONNREFUSED" });
      expect(line).toContain(`no route to the Bot API at ${apiRoot} (ECONNREFUSED): Hamroh keeps trying`);
      expect(run.output()).not.toContain(BOT_TOKEN);
      expect(run.running()).toBe(true);

      // The Bot API comes up (with a webhook left from webhook mode, and the bot without rights in the staff group).
      const telegram = Object.assign(new GroupTelegram(), {
        botMembership: NO_RIGHTS,
        webhook: { url: "https://old.example.org/hook", pending_update_count: 0 },
      });
      server = await serveBotApi(port, telegram, () => ({ status: 200, body: { ok: true, result: [] } }));
      await until(() => run.output().includes("✔ The holiday data runs until"), "start-up and its checks", run.output);
      expect(run.output()).toContain(`the Bot API at ${apiRoot} answers again`);
      expect(run.output()).toContain("Hamroh is running");

      // In polling mode the leftover webhook is removed, and said.
      expect(telegram.callsOf("deleteWebhook")).toHaveLength(1);
      expect(run.output()).toContain("a webhook was set for this bot: removed, since BOT_MODE=polling");
      // The doctor's checks are in the log; a missing right is a warning with its fix.
      const logged = run
        .output()
        .split("\n")
        .filter((entry) => entry.includes('"check"'))
        .map((entry) => JSON.parse(entry) as { check: string; msg: string; level: number; fix?: string });
      expect(logged.map((entry) => entry.check)).toEqual([
        "token",
        "staff-group",
        "staff-rights",
        "lawyers",
        "admins",
        "updates",
        "database",
        "holidays",
      ]);
      expect(logged.find((entry) => entry.check === "staff-rights")).toMatchObject({
        level: 40,
        msg: expect.stringContaining("without the right to Delete messages"),
        fix: expect.stringContaining("Administrators"),
      });
      run.child.kill("SIGTERM");
      expect(await run.exited).toBe(0);
    } finally {
      run.child.kill("SIGKILL");
      if (server) await close(server);
    }
  });

  it.concurrent("another instance receiving the updates (409) is said, and the bot stops", async ({ expect }) => {
    const port = await freePort();
    const telegram = new FakeTelegram();
    const conflict = {
      ok: false,
      error_code: 409,
      description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    };
    const server = await serveBotApi(port, telegram, () => ({ status: 409, body: conflict }));
    try {
      const run = startHamroh({ TELEGRAM_API_ROOT: `http://127.0.0.1:${port}` });
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(
        "Hamroh stopped: another instance is receiving this bot's updates (409 Conflict: terminated by other getUpdates request",
      );
      expect(run.output()).toContain("Only one program may receive a bot's updates. Stop the other one");
    } finally {
      await close(server);
    }
  });
});
