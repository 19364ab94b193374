import { existsSync } from "node:fs";
import { createApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { loadContent } from "./content.js";
import { holidayDataEndsSoon } from "./hotline/schedule.js";
import { ContentError } from "./shared/data-file.js";
import { closeDatabase, openDatabase } from "./db/client.js";
import { createLogger } from "./logger.js";
import { systemClock } from "./shared/clock.js";
import { registerCommands } from "./telegram/commands.js";
import { receiveByPolling, receiveByWebhook } from "./telegram/updates.js";

/** Start-up: config → content → database (migrated) → bot → long polling; stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // Nothing that escapes a handler stops the bot: it is logged (redacted) and the bot goes on.
  process.on("unhandledRejection", (error) => logger.error({ err: error }, "unhandled rejection"));
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
  const updates = config.mode === "webhook" && config.webhook ? await receiveByWebhook(bot, config.webhook, config.port, logger) : receiveByPolling(bot);
  logger.info({ bot: bot.botInfo.username, apiRoot: config.telegramApiRoot ?? "telegram", mode: config.mode }, "Hamroh is running");
  if (config.staff.chatId === undefined) logger.warn("STAFF_CHAT_ID is not set: requests are saved and will be posted once it is set");
  else await services.requests.store.recordStaffChat(config.staff.chatId);
  // Outside update handling: the staff group's outbox and re-announcements, relays that wait, FAQ view counts, retention, notices.
  await jobs.start();
  const holidaysEnd = holidayDataEndsSoon(content.hotline.schedule, systemClock.now());
  if (holidaysEnd) {
    logger.warn({ until: holidaysEnd }, "the hotline's holiday data ends within 90 days: add the next year to config/hotline.json");
    await services.alerts.raise("holidays-ending", { date: holidaysEnd });
  }

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

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ContentError) {
    console.error(error.message);
  } else {
    console.error(`Hamroh stopped: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
