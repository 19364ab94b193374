import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import pino from "pino";
import { type App, createApp } from "../app.js";
import type { StaffConfig } from "../config.js";
import { type Content, loadContent } from "../content.js";
import { closeDatabase, type Database, openDatabase } from "../db/client.js";
import { systemClock } from "../shared/clock.js";
import { registerCommands } from "../telegram/commands.js";
import { receiveByPolling, type UpdateSource } from "../telegram/updates.js";
import { SandboxBotApi } from "./bot-api.js";
import { SANDBOX_ADMIN, SANDBOX_GROUP, SANDBOX_TOKEN } from "./cast.js";

export interface DemoOptions {
  /** The page's port on 127.0.0.1 (0: any free one). */
  port?: number;
  /** Where the sandbox's SQLite file is made afresh (data/demo/ for npm run demo). */
  dataDir: string;
  /** Whether the staff group starts with topics. */
  forum?: boolean;
  /** The language of the staff group's cards (STAFF_LANGUAGE). */
  staffLanguage?: StaffConfig["language"];
  logger?: Logger;
  content?: Content;
  /** Notices per second (the real default is 25). */
  broadcastRate?: number;
}

export interface Demo {
  /** The page, e.g. http://127.0.0.1:8383/. */
  url: string;
  server: SandboxBotApi;
  /** The bot as it runs now (a reset or a change of topics starts a new one). */
  app(): App;
  stop(): Promise<void>;
}

/**
 * The real bot — createApp with every feature, dialog, the outbox, relays and the notice sender,
 * long polling and the background jobs — against the sandbox's Bot API server, on a fresh SQLite
 * file in `dataDir`. The staff group is the sandbox's group and the admin the sandbox's admin.
 * Reset empties the sandbox and starts the bot on a new file; turning topics on or off restarts
 * the bot on the same file (it reads whether the group has topics once, as after a deploy).
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const logger = options.logger ?? pino({ level: "silent" });
  const content = options.content ?? loadContent();
  // Named after the page's port, so that two sandboxes side by side never share (or delete) a file.
  let databaseFile = "";
  let running: { app: App; db: Database; updates: UpdateSource } | undefined;

  const removeDatabase = () => {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${databaseFile}${suffix}`, { force: true });
  };
  const startBot = async () => {
    mkdirSync(options.dataDir, { recursive: true });
    const db = await openDatabase(`file:${databaseFile}`);
    const app = createApp(
      SANDBOX_TOKEN,
      {
        ...content,
        db,
        logger,
        staff: { chatId: SANDBOX_GROUP.id, language: options.staffLanguage ?? "ru", reannounceMinutes: 30, urgentReannounceMinutes: 10 },
        adminIds: [SANDBOX_ADMIN.id],
        broadcast: { ratePerSecond: options.broadcastRate ?? 25, concurrency: 3, progressEveryMs: 1000 },
        retentionDays: 180,
        clock: systemClock,
      },
      { client: { apiRoot: server.url } },
    );
    // As main.ts: who the bot is, its command menus, polling, the staff group recorded, the jobs.
    app.bot.botInfo = await app.bot.api.getMe();
    await registerCommands(app.bot.api, content.i18n);
    const updates = receiveByPolling(app.bot);
    updates.done.catch((error: unknown) => logger.error({ err: error }, "sandbox polling stopped"));
    await app.services.requests.store.recordStaffChat(SANDBOX_GROUP.id);
    await app.jobs.start();
    running = { app, db, updates };
  };
  const stopBot = async () => {
    if (!running) return;
    const { app, db, updates } = running;
    running = undefined;
    await updates.stop();
    await app.jobs.stop();
    await closeDatabase(db);
  };

  const server = new SandboxBotApi({
    forum: options.forum,
    around: async (kind, change) => {
      await stopBot();
      change();
      if (kind === "reset") removeDatabase();
      await startBot();
    },
  });
  const url = await server.listen(options.port ?? 0);
  databaseFile = join(options.dataDir, `hamroh-sandbox-${new URL(url).port}.db`);
  removeDatabase();
  try {
    await startBot();
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    url: `${url}/`,
    server,
    app: () => {
      if (!running) throw new Error("the sandbox's bot is restarting");
      return running.app;
    },
    stop: async () => {
      await stopBot();
      await server.close();
    },
  };
}
