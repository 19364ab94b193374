import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Api, Bot, Composer, type BotConfig } from "grammy";
import { suggestLocale } from "../i18n.js";
import { isRegistered, type BotDeps, type HamrohContext, type RegisteredContext, type RuntimeDeps } from "./context.js";
import { adminFeature } from "./features/admin.js";
import { broadcastFeature } from "./features/broadcast.js";
import { BroadcastSender } from "./broadcast-sender.js";
import { consultationFeature, dialogs } from "./features/consultation.js";
import { noticesFeature } from "./features/notices.js";
import { privacyFeature } from "./features/privacy.js";
import { ClosureStore } from "../hotline/closures.js";
import { emergencyFeature } from "./features/emergency.js";
import { fallbackFeature } from "./features/fallback.js";
import { faqFeature } from "./features/faq.js";
import { hotlineFeature } from "./features/hotline.js";
import { staffFeature, staffViewOf } from "./features/staff.js";
import { askLanguageFirst, startFeature } from "./features/start.js";
import { Relays } from "./relays.js";
import { AUTO_RETRY, UPDATE_CALL_TRANSFORMERS } from "./retry.js";
import { StaffJobs } from "./staff-jobs.js";
import { StaffChatWatermark } from "./staff-watermark.js";
import { floodGuard } from "./flood.js";
import { loadUser } from "./user.js";
import { FaqViewCounter } from "../faq/views.js";
import { OpenRequestOwners } from "../requests/open-owners.js";
import { UserStore } from "../users/store.js";

export type CreateBotOptions = Pick<BotConfig<HamrohContext>, "botInfo" | "client">;

export interface Hamroh {
  bot: Bot<HamrohContext>;
  /** The staff group's background work (outbox, re-announcements); main.ts runs it on a timer. */
  staffJobs: StaffJobs;
  /** Messages between users and lawyers that wait for delivery; main.ts retries them on a timer. */
  relays: Relays;
  /** FAQ view counts waiting to be written; main.ts flushes them on a timer and at shutdown. */
  faqViews: FaqViewCounter;
  /** Sends admins' notices; main.ts recovers and starts it, and stops it at shutdown. */
  broadcastSender: BroadcastSender;
}

/**
 * Builds the bot with every feature installed. Importing or calling this starts nothing:
 * `main.ts` runs it with long polling; tests feed it updates with `bot.handleUpdate`.
 */
export function createBot(token: string, deps: BotDeps, options: CreateBotOptions = {}): Hamroh {
  const bot = new Bot<HamrohContext>(token, options);
  bot.api.config.use(...UPDATE_CALL_TRANSFORMERS);

  // The bot's own copy of the hotline settings: admins' closures replace its schedule.
  const hotline = { ...deps.hotline };
  const closures = new ClosureStore(deps.db, hotline);
  const staffView = staffViewOf(deps);
  const watermark = new StaffChatWatermark(deps.db, deps.staff.chatId);
  bot.api.config.use(watermark.transformer);
  /** An Api for work outside update handling, which keeps its own retry schedule. */
  const backgroundApi = () => {
    const api = new Api(token, options.client);
    api.config.use(watermark.transformer);
    return api;
  };
  const notifyApi = backgroundApi();
  // Notes about a relay are only informative: without a network they are dropped at once
  // rather than holding the relay queue through auto-retry's long waits.
  notifyApi.config.use(autoRetry({ ...AUTO_RETRY, rethrowHttpErrors: true }));
  const staffJobs = new StaffJobs({ ...deps, api: backgroundApi(), view: staffView, watermark, schedule: () => hotline.schedule });
  const relays = new Relays({ ...deps, api: backgroundApi(), notifyApi, view: staffView });
  // A new card lets the messages that wait for it follow.
  const postNewRequests = () =>
    void staffJobs
      .runOutbox()
      .then(() => relays.deliverDue())
      .catch((error: unknown) => deps.logger.error({ err: error }, "outbox run failed"));

  const faqViews = new FaqViewCounter(deps.db);
  const broadcastSender = new BroadcastSender({ ...deps, api: new Api(token, options.client), options: deps.broadcast });
  const ctxDeps: RuntimeDeps = { ...deps, hotline, users: new UserStore(deps.db), openRequests: new OpenRequestOwners(deps.db), faqViews, closures, relays, watermark };
  bot.use(async (ctx, next) => {
    ctx.deps = ctxDeps;
    await closures.ready();
    return next();
  });
  // Updates from one chat are handled one after another (the runner handles chats in parallel).
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  bot.use(logUpdate);

  bot.errorBoundary((error) => deps.logger.error({ updateId: error.ctx.update.update_id, err: error.error }, "staff update failed"), staffFeature(staffView));

  // Everything below is for people talking to the bot in private; other groups get silence.
  const privateChats = bot.chatType("private").errorBoundary(apologise);
  // Blocking and unblocking the bot: nothing to answer, but notices skip (or resume) the user.
  privateChats.on("my_chat_member", async (ctx) => {
    const unreachable = ctx.myChatMember.new_chat_member.status === "kicked";
    await ctx.deps.db.user.updateMany({ where: { telegramId: BigInt(ctx.from.id) }, data: { unreachable } });
  });
  privateChats.use(loadUser);
  // A user banned for abuse gets no answer at all.
  privateChats.use((ctx, next) => (ctx.user?.banned ? undefined : next()));
  privateChats.use(floodGuard(deps.floodLimit));
  privateChats.use(dialogs(ctxDeps));
  privateChats.use(startFeature, emergencyFeature);
  const registeredOnly = new Composer<RegisteredContext>(
    adminFeature,
    broadcastFeature(deps.translate, broadcastSender),
    noticesFeature,
    privacyFeature(staffView),
    consultationFeature(ctxDeps, postNewRequests),
    faqFeature,
    hotlineFeature,
    fallbackFeature,
  ).middleware();
  privateChats.use((ctx, next) => (isRegistered(ctx) ? registeredOnly(ctx, next) : next()));
  privateChats.use(askLanguageFirst);
  return { bot, staffJobs, relays, faqViews, broadcastSender };
}

async function logUpdate(ctx: HamrohContext, next: () => Promise<void>): Promise<void> {
  const started = performance.now();
  await next();
  // Ids, kinds and timings only: never message text, names or phone numbers.
  ctx.deps.logger.debug(
    { updateId: ctx.update.update_id, kind: Object.keys(ctx.update).find((key) => key !== "update_id"), chat: ctx.chat?.type, ms: Math.round(performance.now() - started) },
    "update handled",
  );
}

async function apologise(error: { error: unknown; ctx: HamrohContext }): Promise<void> {
  const { ctx } = error;
  ctx.deps.logger.error({ updateId: ctx.update.update_id, err: error.error }, "update failed");
  const t = ctx.t ?? ctx.deps.translate[suggestLocale(ctx.from?.language_code)];
  await ctx.reply(t("fallback.error")).catch(() => undefined);
}
