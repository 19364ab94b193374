import { existsSync } from "node:fs";
import { run } from "@grammyjs/runner";
import { DateTime } from "luxon";
import { createBot } from "./bot/index.js";
import { registerCommands } from "./bot/commands.js";
import { ConfigError, loadConfig } from "./config.js";
import { loadContent } from "./content.js";
import { closeDatabase, openDatabase } from "./db/client.js";
import { createLogger } from "./logger.js";
import { RetentionJob } from "./privacy/retention.js";

const BACKGROUND_JOBS_INTERVAL_MS = 5_000;

/** Start-up: config → content → database (migrated) → bot → long polling; stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const content = loadContent();
  const db = await openDatabase(config.databaseUrl);
  const { bot, staffJobs, faqViews, broadcastSender } = createBot(config.botToken, { ...content, db, logger, staff: config.staff, adminIds: config.adminIds, broadcast: { ratePerSecond: config.broadcastRate, concurrency: 3, progressEveryMs: 3000 }, retentionDays: config.retentionDays, now: () => DateTime.now() }, {
    client: config.telegramApiRoot ? { apiRoot: config.telegramApiRoot } : undefined,
  });

  await bot.init();
  await registerCommands(bot.api, content.i18n);
  const runner = run(bot, { runner: { fetch: { allowed_updates: ["message", "edited_message", "callback_query", "my_chat_member"] } } });
  logger.info({ bot: bot.botInfo.username, apiRoot: config.telegramApiRoot ?? "telegram" }, "Hamroh is running (long polling)");
  if (config.staff.chatId === undefined) logger.warn("STAFF_CHAT_ID is not set: requests are saved and will be posted once it is set");

  const retention = new RetentionJob(db, config.retentionDays, logger);
  // Outside update handling: the staff group's outbox and re-announcements, FAQ view counts.
  const runBackgroundJobs = () =>
    Promise.all([staffJobs.runOutbox(), staffJobs.announceWaiting(), faqViews.flush(), retention.runIfDue()]).catch((error: unknown) =>
      logger.error({ err: error }, "background jobs failed"),
    );
  const jobsTimer = setInterval(() => void runBackgroundJobs(), BACKGROUND_JOBS_INTERVAL_MS);
  void runBackgroundJobs();
  // Notices interrupted by a stop or a crash go on.
  const resent = await broadcastSender.recoverInFlight();
  if (resent > 0) logger.warn({ resent }, "notices that were in flight at the last stop are sent again");
  void broadcastSender.kick();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: finishing updates in progress");
    // The runner stops fetching and waits for the updates it is handling.
    clearInterval(jobsTimer);
    if (runner.isRunning()) await runner.stop();
    await broadcastSender.stop();
    await runBackgroundJobs();
    await closeDatabase(db);
    logger.info("stopped");
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
  await runner.task();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(`Hamroh stopped: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
