import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { run } from "@grammyjs/runner";
import { webhookCallback, type Bot } from "grammy";
import { createApp } from "./app.js";
import type { HamrohContext } from "./bot/context.js";
import { ConfigError, loadConfig } from "./config.js";
import { loadContent } from "./content.js";
import { closeDatabase, openDatabase } from "./db/client.js";
import { createLogger } from "./logger.js";
import { systemClock } from "./shared/clock.js";
import { registerCommands } from "./telegram/commands.js";

/** Start-up: config → content → database (migrated) → bot → long polling; stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const content = loadContent();
  const db = await openDatabase(config.databaseUrl);
  const { bot, services, jobs } = createApp(
    config.botToken,
    {
      ...content,
      db,
      logger,
      staff: config.staff,
      adminIds: config.adminIds,
      broadcast: { ratePerSecond: config.broadcastRate, concurrency: 3, progressEveryMs: 3000 },
      retentionDays: config.retentionDays,
      clock: systemClock,
    },
    { client: config.telegramApiRoot ? { apiRoot: config.telegramApiRoot } : undefined },
  );

  await bot.init();
  await registerCommands(bot.api, content.i18n);
  const updates = config.mode === "webhook" && config.webhook ? await receiveByWebhook(bot, config.webhook, config.port) : receiveByPolling(bot);
  logger.info({ bot: bot.botInfo.username, apiRoot: config.telegramApiRoot ?? "telegram", mode: config.mode }, "Hamroh is running");
  if (config.staff.chatId === undefined) logger.warn("STAFF_CHAT_ID is not set: requests are saved and will be posted once it is set");
  else await services.requests.store.recordStaffChat(config.staff.chatId);
  // Outside update handling: the staff group's outbox and re-announcements, relays that wait, FAQ view counts, retention, notices.
  await jobs.start();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: finishing updates in progress");
    await updates.stop();
    await jobs.stop();
    await closeDatabase(db);
    logger.info("stopped");
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
  await updates.done;
}

const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

interface UpdateSource {
  /** Takes no new updates and waits for those being handled. */
  stop(): Promise<void>;
  done: Promise<void>;
}

function receiveByPolling(bot: Bot<HamrohContext>): UpdateSource {
  const runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
  return {
    stop: async () => {
      if (runner.isRunning()) await runner.stop();
    },
    done: runner.task() ?? Promise.resolve(),
  };
}

/**
 * Webhook mode: Telegram posts updates to WEBHOOK_URL, which must reach this HTTP server.
 * Requests without the secret token are refused; a slow update is answered after 9 s (before
 * Telegram's timeout) and goes on being handled, so none is handled twice.
 */
async function receiveByWebhook(bot: Bot<HamrohContext>, webhook: { url: string; secret: string }, port: number): Promise<UpdateSource> {
  const handle = webhookCallback(bot, "http", { secretToken: webhook.secret, timeoutMilliseconds: 9_000, onTimeout: "return" });
  const path = new URL(webhook.url).pathname;
  const server = createServer((request, response) => {
    if (request.method === "POST" && request.url === path) return void handle(request, response);
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, resolve));
  await bot.api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
  let closed: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (closed = resolve));
  return {
    stop: async () => {
      const closing = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      await closing;
      closed();
    },
    done,
  };
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(`Hamroh stopped: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
