import { sequentialize } from "@grammyjs/runner";
import { Bot, type BotConfig, Composer, type Context } from "grammy";
import type { Logger } from "pino";
import type { BroadcastSender } from "../broadcast/sender.js";
import type { BroadcastStore } from "../broadcast/store.js";
import type { StaffConfig } from "../config.js";
import type { Content } from "../content.js";
import type { DialogStorage } from "../db/dialog-storage.js";
import type { DirectoryCounts } from "../directory/counts.js";
import type { UnmatchedQueryLog } from "../faq/unmatched.js";
import type { FaqViewCounter } from "../faq/views.js";
import type { FaqVotes } from "../faq/votes.js";
import type { ClosureStore } from "../hotline/closures.js";
import type { HotlineConfig } from "../hotline/config.js";
import type { collectMyData } from "../privacy/my-data.js";
import type { AdminAlerts } from "../requests/admin-alerts.js";
import type { RequestLifecycle } from "../requests/lifecycle.js";
import type { StaffView } from "../requests/staff/card.js";
import type { StaffCleaner } from "../requests/staff/cleanup.js";
import type { LawyerCheck } from "../requests/staff/lawyers.js";
import type { Relays } from "../requests/staff/relays.js";
import type { StaffChatWatermark } from "../requests/staff/watermark.js";
import type { StatsReport } from "../requests/stats.js";
import type { Clock } from "../shared/clock.js";
import { protectGroupContent } from "../telegram/protect.js";
import { UPDATE_CALL_TRANSFORMERS } from "../telegram/retry.js";
import type { UserStore } from "../users/store.js";
import { type HamrohContext, isRegistered, type RegisteredContext } from "./context.js";
import { adminFeature, adminHelpFeature } from "./features/admin.js";
import { broadcastFeature } from "./features/broadcast.js";
import { citizenshipFeature } from "./features/citizenship.js";
import { directoryFeature } from "./features/directory.js";
import { emergencyFeature } from "./features/emergency.js";
import { fallbackFeature } from "./features/fallback.js";
import { faqFeature, searchReply } from "./features/faq.js";
import { hotlineFeature } from "./features/hotline.js";
import { noticesFeature } from "./features/notices.js";
import { privacyFeature } from "./features/privacy.js";
import { referralFeature } from "./features/referral.js";
import { dialogs, requestsFeature } from "./features/requests.js";
import { staffFeature } from "./features/staff.js";
import { staffGroupSetupFeature } from "./features/staff-group-setup.js";
import { askLanguageFirst, FirstMessages, startFeature } from "./features/start.js";
import { unansweredFeature } from "./features/unanswered.js";
import { floodGuard } from "./middleware/flood.js";
import { apologise, logUnhandled, logUpdates } from "./middleware/log.js";
import { loadUser } from "./middleware/user.js";

/** The services the bot's features use (built by createApp); each feature receives only what it needs. */
export interface Services extends Content {
  logger: Logger;
  clock: Clock;
  staff: StaffConfig;
  adminIds: number[];
  retentionDays: number;
  floodLimit?: number;
  /** The hotline with admins' closures: its schedule is replaced when they change. */
  hotline: HotlineConfig;
  staffView: StaffView;
  watermark: StaffChatWatermark;
  users: UserStore;
  requests: RequestLifecycle;
  relays: Relays;
  lawyers: LawyerCheck;
  cleaner: StaffCleaner;
  alerts: AdminAlerts;
  closures: ClosureStore;
  faqViews: FaqViewCounter;
  faqVotes: FaqVotes;
  /** What users searched for and did not find, kept anonymously for the writers. */
  unmatchedQueries: UnmatchedQueryLog;
  /** How often each service of the directory was shown and referred (anonymous). */
  directoryCounts: DirectoryCounts;
  stats: StatsReport;
  myData: (userId: number, telegramId: bigint) => ReturnType<typeof collectMyData>;
  broadcasts: BroadcastStore;
  broadcastSender: BroadcastSender;
  dialogStorage: DialogStorage;
  /** Posts newly saved requests to the staff group at once. */
  postNewRequests: () => void;
}

export type CreateBotOptions = Pick<BotConfig<HamrohContext>, "botInfo" | "client">;

/**
 * Builds the bot with every feature installed. Importing or calling this starts nothing:
 * `main.ts` runs it with long polling; tests feed it updates with `bot.handleUpdate`.
 */
export function createBot(token: string, services: Services, options: CreateBotOptions = {}): Bot<HamrohContext> {
  const { logger, clock, users, translate, i18n } = services;
  const bot = new Bot<HamrohContext>(token, options);
  bot.api.config.use(...UPDATE_CALL_TRANSFORMERS, protectGroupContent, services.watermark.transformer);
  // The last resort: an error before either boundary below still goes through the redacting logger.
  bot.catch(logUnhandled(logger));

  // The admins' closures are loaded before the first update reads the schedule.
  bot.use(async (_ctx, next) => {
    await services.closures.ready();
    return next();
  });
  // Updates from one chat are handled one after another (the runner handles chats in parallel).
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  bot.use(logUpdates(logger));
  bot.use(staffGroupSetupFeature(services));

  bot.errorBoundary(
    (error) => logger.error({ updateId: error.ctx.update.update_id, err: error.error }, "staff update failed"),
    // Before the staff feature: a /refer that replies to a card must not be relayed to the client.
    new Composer<Context>(
      referralFeature({ ...services, view: services.staffView, counts: services.directoryCounts }),
      staffFeature({ ...services, view: services.staffView }),
    ),
  );

  // Everything below is for people talking to the bot in private; other groups get silence.
  const privateChats = bot.chatType("private").errorBoundary(apologise(logger, translate));
  // Blocking and unblocking the bot: nothing to answer, but notices skip (or resume) the user.
  privateChats.on("my_chat_member", (ctx) => users.setReachable(BigInt(ctx.from.id), ctx.myChatMember.new_chat_member.status !== "kicked"));
  privateChats.use(loadUser(users, translate, clock));
  // A user banned for abuse gets no answer at all.
  privateChats.use((ctx, next) => (ctx.user?.banned ? undefined : next()));
  privateChats.use(floodGuard(clock, services.floodLimit));
  privateChats.use(dialogs(services.dialogStorage));
  const answerTyped = searchReply({ ...services, views: services.faqViews, votes: services.faqVotes });
  const firstMessages = new FirstMessages();
  // An admin's /help lists their commands; everyone else's /help is emergency help.
  privateChats.use(
    startFeature({ ...services, firstMessages, answerTyped }),
    adminHelpFeature(services.adminIds),
    emergencyFeature(services.emergency),
  );
  const registeredOnly = new Composer<RegisteredContext>(
    // Before the admin feature, whose /export would take "/export unanswered".
    unansweredFeature(services),
    adminFeature({ ...services, requests: services.requests.store }),
    broadcastFeature({ ...services, sender: services.broadcastSender }),
    noticesFeature(users),
    citizenshipFeature(users),
    privacyFeature(services),
    // Before the requests feature: a location shared while a request is open belongs to the directory.
    directoryFeature({ ...services, counts: services.directoryCounts }),
    requestsFeature({ ...services, onSaved: services.postNewRequests, answerTyped }),
    faqFeature({ ...services, views: services.faqViews, votes: services.faqVotes }),
    hotlineFeature(services),
    fallbackFeature(),
  ).middleware();
  privateChats.use((ctx, next) => (isRegistered(ctx) ? registeredOnly(ctx, next) : next()));
  privateChats.use(askLanguageFirst(i18n, firstMessages));
  return bot;
}
