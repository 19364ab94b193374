import { existsSync } from "node:fs";
import { Api } from "grammy";
import type { Logger } from "pino";
import { createApp } from "./app.js";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { type Content, loadContent } from "./content.js";
import { closeDatabase, type Database, openDatabase } from "./db/client.js";
import { createLogger } from "./logger.js";
import { type Checklist, logChecklist, runChecklist } from "./ops/doctor.js";
import { answerHealth, Health, startHealthServer } from "./ops/health.js";
import { staffRightsAlert } from "./ops/staff-rights.js";
import type { AdminAlerts } from "./requests/admin-alerts.js";
import { systemClock } from "./shared/clock.js";
import { ContentError } from "./shared/data-file.js";
import { BotApiMonitor } from "./telegram/bot-api-monitor.js";
import { registerCommands } from "./telegram/commands.js";
import { CONNECT_TIMEOUT_SECONDS, connectToBotApi, explainTelegramRefusal, StartupError } from "./telegram/startup.js";
import { receiveByPolling, receiveByWebhook, type UpdateSource } from "./telegram/updates.js";

/** Where the logs and the fatal messages say the Bot API is. */
let apiRoot = "https://api.telegram.org";

/**
 * Start-up: config → content → database (migrated) → the Bot API answers (getMe; a refused token
 * stops with the fix, no route is logged and tried again) → commands → polling or webhook → jobs →
 * the checklist in the log (admins told of a missing right); stops cleanly on SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const config = loadConfig();
  apiRoot = config.telegramApiRoot ?? apiRoot;
  const logger = createLogger(config.logLevel, undefined, config.logFormat);
  // Nothing that escapes a handler stops the bot: it is logged (redacted) and the bot goes on.
  process.on("unhandledRejection", (error) => logger.error({ err: error }, "unhandled rejection"));
  const content = loadContent();
  const db = await openDatabase(config.databaseUrl);
  // Every HTTP call to the Bot API goes through the monitor: the health check and the "no route" log lines.
  const monitor = new BotApiMonitor({ apiRoot, logger, clock: systemClock });
  const client = { ...(config.telegramApiRoot ? { apiRoot: config.telegramApiRoot } : {}), fetch: monitor.fetch };
  const { bot, services, jobs } = createApp(
    config.botToken,
    {
      ...content,
      db,
      logger,
      staff: config.staff,
      adminIds: config.adminIds,
      broadcast: { ratePerSecond: config.broadcastRate, concurrency: 3, progressEveryMs: 3000 },
      weeklyReport: config.weeklyReport,
      retentionDays: config.retentionDays,
      clock: systemClock,
    },
    { client },
  );
  // No auto-retry and a short timeout: getMe at start, the checks and the monitor's probe answer soon or say why.
  const quickApi = new Api(config.botToken, { ...client, timeoutSeconds: CONNECT_TIMEOUT_SECONDS });
  const health = new Health({ pingDatabase: () => db.$queryRawUnsafe("SELECT 1"), monitor });

  let updates: UpdateSource | undefined;
  let healthServer: { close(): Promise<void> } | undefined;
  let jobsStarted = false;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: finishing updates in progress");
    monitor.stop();
    await updates?.stop();
    await healthServer?.close();
    if (jobsStarted) await jobs.stop();
    await closeDatabase(db);
    logger.info("stopped");
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));

  logger.info({ apiRoot }, "asking the Bot API who the bot is");
  bot.botInfo = await connectToBotApi(quickApi, monitor, { apiRoot, stopped: () => stopping });
  monitor.start(() => quickApi.getMe());
  // The users' menus; the admins' own in their chats and the staff group's own.
  const menus = { adminIds: config.adminIds, staffChatId: config.staff.chatId, staffLanguage: config.staff.language, logger };
  await registerCommands(bot.api, content.i18n, menus);
  if (config.mode === "webhook" && config.webhook) {
    updates = await receiveByWebhook(bot, config.webhook, config.port, logger, (request, response) =>
      answerHealth(health, request, response),
    );
  } else {
    await removeWebhook(bot.api, logger);
    updates = receiveByPolling(bot);
  }
  // A refusal while running (a revoked token, another instance polling) stops the bot at once, saying why.
  const running = updates.done.catch(fail);
  if (config.healthPort !== undefined) healthServer = await listenForHealth(health, config.healthPort, logger);
  logger.info({ bot: bot.botInfo.username, apiRoot, mode: config.mode }, "Hamroh is running");
  if (config.staff.chatId !== undefined) await services.requests.store.recordStaffChat(config.staff.chatId);
  // Outside update handling: the staff group's outbox and re-announcements, relays that wait, FAQ view counts, retention, notices.
  await jobs.start();
  jobsStarted = true;
  await startupChecks({ api: quickApi, config, content, db, logger, alerts: services.alerts, me: bot.botInfo });
  await running;
}

/**
 * The doctor's checks, once at start, in the log; the admins are told (once) when the bot lacks
 * something in the staff group or the holiday data ends soon.
 */
async function startupChecks(deps: {
  api: Api;
  config: Config;
  content: Content;
  db: Database;
  logger: Logger;
  alerts: AdminAlerts;
  me: Checklist["me"];
}): Promise<void> {
  const { config, logger, alerts } = deps;
  let checklist: Checklist;
  try {
    checklist = await runChecklist({
      api: deps.api,
      apiRoot,
      config,
      schedule: deps.content.hotline.schedule,
      now: systemClock.now(),
      me: deps.me,
    });
  } catch (error) {
    logger.error({ err: error }, "the start-up checks failed");
    return;
  }
  logChecklist(logger, checklist.checks);
  const problem = checklist.staffProblem;
  if (problem?.kind === "not-in-group") await alerts.raise("staff-removed");
  if (problem?.kind === "rights") {
    const alert = staffRightsAlert(problem.missing);
    if (alert) await alerts.raise(alert.alert, alert.values);
  }
  if (checklist.checks.some((check) => check.id === "holidays" && !check.ok)) {
    await alerts.raise("holidays-ending", { date: deps.content.hotline.schedule.holidaysKnownUntil });
  }
}

/** In polling mode no webhook may be set (Telegram answers getUpdates with 409 then): one is removed, and said. */
async function removeWebhook(api: Api, logger: Logger): Promise<void> {
  const info = await api.getWebhookInfo();
  if (typeof info !== "object" || !info.url) return;
  logger.warn({ url: info.url }, "a webhook was set for this bot: removed, since BOT_MODE=polling (set BOT_MODE=webhook to use it)");
  await api.deleteWebhook();
}

async function listenForHealth(health: Health, port: number, logger: Logger): Promise<{ close(): Promise<void> }> {
  try {
    return await startHealthServer(health, port, logger);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new StartupError(
      code === "EADDRINUSE"
        ? `Hamroh cannot start: HEALTH_PORT ${port} is used by another program. Choose a free port in .env.`
        : `Hamroh cannot start: HEALTH_PORT ${port} cannot be opened (${code ?? String(error)}).`,
    );
  }
}

/** Says what stopped the bot and how to fix it, without a stack trace, and exits with 1. */
function fail(error: unknown): never {
  const refusal = explainTelegramRefusal(error, apiRoot);
  if (error instanceof ConfigError || error instanceof ContentError || error instanceof StartupError) {
    console.error(error.message);
  } else if (refusal) {
    // A refusal while running (the token revoked, another instance polling): what to do.
    console.error(refusal.replace(/^Hamroh cannot start:/, "Hamroh stopped:"));
  } else {
    console.error(`Hamroh stopped: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
}

main().catch(fail);
