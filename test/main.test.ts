import { afterAll, describe, expect, it } from "vitest";
import { LoopbackBotApi } from "./helpers/bot-api-server.js";
import { freePort, removeBotFolders, startBuiltBot, until } from "./helpers/entry-point.js";
import { BOT_TOKEN, startMessage } from "./helpers/fake-telegram.js";

// At the end: some runs go on at the same time.
afterAll(removeBotFolders);

describe("configuration errors stop the start with a clear message", () => {
  // Each case is a process of its own: they run at the same time.
  it.concurrent.for([
    [{}, /BOT_TOKEN is missing\. Create a bot with @BotFather/],
    [{ BOT_TOKEN: "not-a-token" }, /BOT_TOKEN does not look like a bot token/],
    [{ BOT_TOKEN, TELEGRAM_API_ROOT: "localhost:8081" }, /TELEGRAM_API_ROOT must be an http\(s\) URL/],
    [{ BOT_TOKEN, DATABASE_URL: "postgres://x" }, /DATABASE_URL must be a SQLite file URL/],
    [{ BOT_TOKEN, LOG_LEVEL: "loud" }, /LOG_LEVEL must be one of/],
  ] as const)("%j", async ([env, message], { expect }) => {
    const run = startBuiltBot(env as Record<string, string>);
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(message);
    expect(run.output()).not.toMatch(/^\s+at /m); // no stack trace
  });
});

describe("the real entry point against a Bot-API-compatible server (TELEGRAM_API_ROOT)", () => {
  it("migrates the database, registers commands per language, answers over long polling, stops cleanly on SIGTERM", async () => {
    const api = new LoopbackBotApi();
    const apiRoot = await api.start();
    const run = startBuiltBot({ BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot, DATABASE_URL: "file:./data/hamroh.db", LOG_LEVEL: "info" });
    try {
      await until(() => api.telegram.callsOf("getMe").length > 0 && run.output().includes("Hamroh is running"), "start-up");
      const commands = api.telegram.callsOf("setMyCommands");
      expect(commands.map((call) => call.payload.language_code)).toEqual(["tg", "ru", "uz", "ky", "en", undefined]);
      expect(commands[1]!.payload.commands.map((c: { command: string }) => c.command)).toEqual([
        "start",
        "faq",
        "ask",
        "myrequests",
        "hotline",
        "help",
        "language",
        "notices",
        "privacy",
      ]);

      api.push(startMessage(77, "ru"));
      await until(() => api.telegram.callsOf("sendMessage").length > 0, "the answer to /start");
      expect(
        api.telegram
          .callsOf("sendMessage")[0]!
          .payload.reply_markup.inline_keyboard.flat()
          .map((b: { callback_data: string }) => b.callback_data),
      ).toContain("lang:ru");

      run.child.kill("SIGTERM");
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('"msg":"stopped"');
      expect(run.output()).not.toContain("/start"); // logs carry no message text
    } finally {
      run.child.kill("SIGKILL");
      await api.stop();
    }
  });
});

describe("webhook mode (BOT_MODE=webhook)", () => {
  it("needs WEBHOOK_URL and WEBHOOK_SECRET", async () => {
    const run = startBuiltBot({ BOT_TOKEN, BOT_MODE: "webhook" });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/WEBHOOK_URL is needed with BOT_MODE=webhook/);
    expect(run.output()).toMatch(/WEBHOOK_SECRET is needed with BOT_MODE=webhook/);
  });

  it("sets the webhook, refuses requests without the right secret token, answers real updates, stops cleanly", async () => {
    const port = await freePort();
    const api = new LoopbackBotApi();
    const apiRoot = await api.start();
    const secret = "a-very-secret-token-123";
    const run = startBuiltBot({
      BOT_TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      DATABASE_URL: "file:./data/hamroh.db",
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://bot.example.org/telegram",
      WEBHOOK_SECRET: secret,
      PORT: String(port),
    });
    try {
      await until(() => run.output().includes("Hamroh is running"), "start-up");
      expect(api.telegram.callsOf("setWebhook")[0]!.payload).toMatchObject({
        url: "https://bot.example.org/telegram",
        secret_token: secret,
      });
      expect(api.telegram.callsOf("getUpdates")).toEqual([]);
      const update = { update_id: 1, ...startMessage(88, "ky") };
      const post = (headers: Record<string, string>) =>
        fetch(`http://127.0.0.1:${port}/telegram`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify(update),
        });
      expect((await post({})).status).toBe(401);
      expect((await post({ "X-Telegram-Bot-Api-Secret-Token": "wrong-secret-token-0000" })).status).toBe(401);
      expect(api.telegram.callsOf("sendMessage")).toEqual([]);
      expect((await post({ "X-Telegram-Bot-Api-Secret-Token": secret })).status).toBe(200);
      await until(() => api.telegram.callsOf("sendMessage").length > 0, "the answer to /start");
      expect(api.telegram.callsOf("sendMessage")[0]!.payload.chat_id).toBe(88);
      run.child.kill("SIGTERM");
      expect(await run.exited).toBe(0);
    } finally {
      run.child.kill("SIGKILL");
      await api.stop();
    }
  });
});
