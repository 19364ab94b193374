import { autoRetry } from "@grammyjs/auto-retry";
import { Api, type Bot, type BotConfig } from "grammy";
import type { Logger } from "pino";
import type { HamrohContext } from "./bot/context.js";
import { createBot, type Services } from "./bot/index.js";
import { BroadcastSender, type SenderOptions } from "./broadcast/sender.js";
import { BroadcastStore } from "./broadcast/store.js";
import type { StaffConfig } from "./config.js";
import type { Content } from "./content.js";
import { type Database, databaseFile, onDatabaseClose } from "./db/client.js";
import { sqliteDialogStorage } from "./db/dialog-storage.js";
import { DirectoryCounts } from "./directory/counts.js";
import { UnmatchedQueryLog } from "./faq/unmatched.js";
import { FaqViewCounter } from "./faq/views.js";
import { FaqVotes } from "./faq/votes.js";
import { ClosureStore } from "./hotline/closures.js";
import { type BackgroundJobs, createBackgroundJobs, type JobServices } from "./jobs.js";
import { collectMyData } from "./privacy/my-data.js";
import { RetentionJob } from "./privacy/retention.js";
import { WeeklyReport, type WeeklyReportSchedule } from "./reports/weekly.js";
import { AdminAlerts } from "./requests/admin-alerts.js";
import { RequestLifecycle } from "./requests/lifecycle.js";
import { staffViewOf } from "./requests/staff/card.js";
import { StaffCleaner } from "./requests/staff/cleanup.js";
import { LawyerCheck } from "./requests/staff/lawyers.js";
import { LostMessageSearch } from "./requests/staff/lost-messages.js";
import { StaffOutbox } from "./requests/staff/outbox.js";
import { Reannouncer } from "./requests/staff/reannouncer.js";
import { Relays } from "./requests/staff/relays.js";
import { StaffChatWatermark } from "./requests/staff/watermark.js";
import { StatsReport } from "./requests/stats.js";
import type { Clock } from "./shared/clock.js";
import { protectGroupContent } from "./telegram/protect.js";
import { AUTO_RETRY, UPDATE_CALL_TRANSFORMERS } from "./telegram/retry.js";
import { UserStore } from "./users/store.js";

/** Everything Hamroh needs from outside; tests pass their own (clock, database file, logger). */
export interface AppDeps extends Content {
  db: Database;
  logger: Logger;
  staff: StaffConfig;
  adminIds: number[];
  broadcast: SenderOptions;
  /** Personal data of requests closed longer ago than this is erased. */
  retentionDays: number;
  /** Updates one person may send in 10 seconds before the flood guard drops them (default 20). */
  floodLimit?: number;
  /** When admins get the weekly report (WEEKLY_REPORT); undefined: never. */
  weeklyReport?: WeeklyReportSchedule;
  clock: Clock;
}

export type AppOptions = Pick<BotConfig<HamrohContext>, "botInfo" | "client">;

export interface App {
  bot: Bot<HamrohContext>;
  services: Services;
  /** The services that work outside update handling (tests drive them one by one). */
  workers: JobServices;
  /** The work outside update handling: main.ts starts it, tests run it step by step. */
  jobs: BackgroundJobs;
}

/**
 * Builds Hamroh in one place: the services (stores, the request lifecycle, the staff group's
 * outbox and relays, the notice sender), the bot with every feature, and the background jobs.
 * Nothing starts here: `main.ts` starts polling and the jobs; tests feed updates to `bot`.
 */
export function createApp(token: string, deps: AppDeps, options: AppOptions = {}): App {
  const { db, logger, clock, staff } = deps;
  // The app's own copy of the hotline settings: admins' closures replace its schedule.
  const hotline = { ...deps.hotline };
  const watermark = new StaffChatWatermark(db, staff.chatId);
  /** An Api for work outside update handling, which keeps its own retry schedule. */
  const backgroundApi = () => {
    const api = new Api(token, options.client);
    api.config.use(protectGroupContent, watermark.transformer);
    return api;
  };
  // Notes about a relay are only informative: without a network they are dropped at once
  // rather than holding the relay queue through auto-retry's long waits.
  const notifyApi = backgroundApi();
  notifyApi.config.use(autoRetry({ ...AUTO_RETRY, rethrowHttpErrors: true }));
  const staffView = staffViewOf(deps.translate, staff.language, hotline.schedule.zone);
  const users = new UserStore(db);
  const alerts = new AdminAlerts({
    api: notifyApi,
    adminIds: deps.adminIds,
    users,
    translate: deps.translate,
    fallback: staff.language,
    logger,
  });
  const requests = new RequestLifecycle(db);
  // Asked while handling an update: it retries like the bot's own calls (a short outage waits, it does not refuse a lawyer).
  const lawyerApi = new Api(token, options.client);
  lawyerApi.config.use(...UPDATE_CALL_TRANSFORMERS);
  const lawyers = new LawyerCheck(lawyerApi, clock, logger);
  const cleaner = new StaffCleaner({ db, api: backgroundApi(), view: staffView, logger, clock });
  const relays = new Relays({ db, api: backgroundApi(), notifyApi, staff, view: staffView, translate: deps.translate, logger, clock });
  const outbox = new StaffOutbox({
    db,
    api: backgroundApi(),
    staff,
    view: staffView,
    lostMessages: new LostMessageSearch(db, watermark, logger),
    logger,
    clock,
  });
  const reannouncer = new Reannouncer({
    db,
    requests: requests.store,
    api: backgroundApi(),
    staff,
    view: staffView,
    schedule: () => hotline.schedule,
    alerts,
    logger,
    clock,
  });
  const dialogStorage = sqliteDialogStorage(databaseFile(db), clock);
  onDatabaseClose(db, dialogStorage.close);
  const broadcastSender = new BroadcastSender({
    db,
    api: new Api(token, options.client),
    logger,
    translate: deps.translate,
    options: deps.broadcast,
    clock,
  });
  const stats = new StatsReport(db, deps.adminIds);
  const weeklyReport = new WeeklyReport({
    db,
    stats,
    api: notifyApi,
    adminIds: deps.adminIds,
    translate: deps.translate,
    fallbackLocale: staff.language,
    zone: hotline.schedule.zone,
    schedule: deps.weeklyReport,
    clock,
    logger,
  });

  const services: Services = {
    i18n: deps.i18n,
    translate: deps.translate,
    faq: deps.faq,
    emergency: deps.emergency,
    directory: deps.directory,
    directoryCounts: new DirectoryCounts(db),
    logger,
    clock,
    staff,
    adminIds: deps.adminIds,
    retentionDays: deps.retentionDays,
    floodLimit: deps.floodLimit,
    hotline,
    staffView,
    watermark,
    requests,
    relays,
    lawyers,
    cleaner,
    users,
    alerts,
    closures: new ClosureStore(db, hotline),
    faqViews: new FaqViewCounter(db),
    faqVotes: new FaqVotes(db),
    unmatchedQueries: new UnmatchedQueryLog(db, clock, logger),
    stats,
    myData: (userId, telegramId) => collectMyData(db, userId, telegramId),
    broadcasts: new BroadcastStore(db),
    broadcastSender,
    dialogStorage,
    // A new card lets the messages that wait for it follow.
    postNewRequests: () => void jobs.deliverToStaff().catch((error: unknown) => logger.error({ err: error }, "outbox run failed")),
  };
  const workers: JobServices = {
    outbox,
    relays,
    reannouncer,
    cleaner,
    faqViews: services.faqViews,
    retention: new RetentionJob(db, deps.retentionDays, requests.quotas, clock, logger),
    broadcastSender,
    weeklyReport,
    logger,
  };
  const jobs = createBackgroundJobs(workers);
  return { bot: createBot(token, services, options), services, workers, jobs };
}
