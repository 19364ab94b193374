import { Composer, type Context, InlineKeyboard } from "grammy";
import { DateTime } from "luxon";
import type { Logger } from "pino";
import type { StaffConfig } from "../../config.js";
import type { Content } from "../../content.js";
import { answerFor, renderAnswer } from "../../faq/catalog.js";
import { searchFaq } from "../../faq/search.js";
import { isLocale, type Locale, type Translate } from "../../i18n.js";
import type { AdminAlerts } from "../../requests/admin-alerts.js";
import { setBannedByReference } from "../../requests/ban.js";
import { referenceOf } from "../../requests/domain.js";
import type { RequestLifecycle } from "../../requests/lifecycle.js";
import {
  outcomeKeyboard,
  requestCard,
  requestCardKeyboard,
  type StaffView,
  staffButton,
  takeOverKeyboard,
} from "../../requests/staff/card.js";
import type { LawyerCheck } from "../../requests/staff/lawyers.js";
import type { Relays } from "../../requests/staff/relays.js";
import type { StaffChatWatermark } from "../../requests/staff/watermark.js";
import type { Clock } from "../../shared/clock.js";
import { escapeHtml } from "../../shared/html.js";
import { citizenshipGroupOf, isCitizenship } from "../../users/citizenship.js";
import type { UserStore } from "../../users/store.js";
import { callback } from "../callbacks.js";
import { weeklyHours } from "../views/hotline.js";

export interface StaffDeps {
  /** The FAQ of every locale: a lawyer sends a reviewed answer in the client's language. */
  faq: Content["faq"];
  hotline: Content["hotline"];
  staff: StaffConfig;
  view: StaffView;
  requests: RequestLifecycle;
  relays: Relays;
  lawyers: LawyerCheck;
  alerts: AdminAlerts;
  watermark: StaffChatWatermark;
  users: UserStore;
  translate: Record<Locale, Translate>;
  logger: Logger;
  clock: Clock;
}

const STAFF_BUTTONS = /^req:/;

/** What a lawyer's message may hold to be passed on to a client: what users may send too. */
const RELAYED_KINDS = ["text", "photo", "document", "voice", "video", "audio"] as const;
/** Anything a person can post; a message with none of these is a service message (pins, topics, members). */
const CONTENT_KINDS = [
  ...RELAYED_KINDS,
  "sticker",
  "animation",
  "video_note",
  "contact",
  "location",
  "venue",
  "poll",
  "dice",
  "story",
  "game",
] as const;

/**
 * The lawyers' staff group: Take and Close on the cards, replies relayed to the user, /queue,
 * /ban. Nothing here works from any other chat: a forged button or command elsewhere only says so.
 */
export function staffFeature(deps: StaffDeps): Composer<Context> {
  const { staff, view } = deps;
  const feature = new Composer<Context>();
  const inStaffChat = (ctx: Context) => staff.chatId !== undefined && ctx.chat?.id === staff.chatId;

  feature.callbackQuery(STAFF_BUTTONS, async (ctx, next) => {
    if (inStaffChat(ctx)) return next();
    await ctx.answerCallbackQuery({ text: view.t("staff.onlyStaff"), show_alert: true });
  });
  feature.command("queue", async (ctx, next) => {
    if (inStaffChat(ctx)) return next();
    // In a private chat the refusal comes from the private features, in the user's language.
    if (ctx.chat.type === "private") return next();
  });

  const staffChat = feature.filter(inStaffChat);
  // The bot's own membership: removed, or no longer an administrator, the admins hear it once.
  staffChat.on("my_chat_member", async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (status === "administrator" || status === "creator") return deps.alerts.clearStaffProblems();
    await deps.alerts.raise(status === "left" || status === "kicked" ? "staff-removed" : "staff-not-admin");
  });
  // Every message in the group raises the mark above which a card sent but never recorded is looked for.
  staffChat.use((ctx, next) => {
    if (ctx.msg) deps.watermark.see(ctx.msg.message_id);
    return next();
  });
  // Only lawyers (the group's administrators) act: a plain member's button or command only hears so.
  const isLawyer = (ctx: Context) => ctx.from !== undefined && !ctx.from.is_bot && deps.lawyers.isLawyer(staff.chatId!, ctx.from.id);
  staffChat.callbackQuery(STAFF_BUTTONS, async (ctx, next) => {
    if (await isLawyer(ctx)) return next();
    await ctx.answerCallbackQuery({ text: view.t("staff.onlyLawyers"), show_alert: true });
  });
  staffChat.command(["queue", "ban", "unban", "faq"], async (ctx, next) => {
    if (await isLawyer(ctx)) return next();
    await ctx.reply(view.t("staff.onlyLawyers"), {
      message_thread_id: ctx.message?.message_thread_id,
      reply_parameters: { message_id: ctx.message!.message_id },
    });
  });
  staffChat.callbackQuery(staffButton.take.trigger, (ctx) => take(ctx, deps, staffButton.take.unpack(ctx.callbackQuery.data)!.requestId));
  staffChat.callbackQuery(staffButton.close.trigger, (ctx) =>
    askOutcome(ctx, deps, staffButton.close.unpack(ctx.callbackQuery.data)!.requestId),
  );
  staffChat.callbackQuery(staffButton.takeOver.trigger, (ctx) =>
    takeOver(ctx, deps, staffButton.takeOver.unpack(ctx.callbackQuery.data)!.requestId),
  );
  staffChat.callbackQuery(staffButton.back.trigger, async (ctx) => {
    await ctx.answerCallbackQuery();
    await refreshCard(ctx, deps, staffButton.back.unpack(ctx.callbackQuery.data)!.requestId);
  });
  staffChat.callbackQuery(staffButton.outcome.trigger, (ctx) => close(ctx, deps, staffButton.outcome.unpack(ctx.callbackQuery.data)!));
  staffChat.callbackQuery(staffButton.readyAnswer.trigger, (ctx) =>
    sendReadyAnswer(ctx, deps, staffButton.readyAnswer.unpack(ctx.callbackQuery.data)!),
  );
  // Any other staff button (old or forged data).
  staffChat.callbackQuery(STAFF_BUTTONS, (ctx) => ctx.answerCallbackQuery({ text: view.t("staff.unknownRequest"), show_alert: true }));

  staffChat.command(["ban", "unban"], async (ctx) => {
    const text = await setBannedByReference(
      deps.requests.store,
      deps.users,
      view.t,
      ctx.match,
      ctx.message?.text?.startsWith("/ban") === true,
    );
    await ctx.reply(text, { message_thread_id: ctx.message?.message_thread_id });
  });
  staffChat.command("queue", (ctx) => showQueue(ctx, deps));
  staffChat.command("faq", (ctx) => offerReadyAnswers(ctx, deps));
  // How lawyers work here, in two short paragraphs (users' /help is the emergency screen).
  staffChat.command("help", (ctx) =>
    ctx.reply(view.t("staff.help"), { parse_mode: "HTML", message_thread_id: ctx.message?.message_thread_id }),
  );

  /**
   * Sending to a client is explicit: a lawyer's reply to the card, to a message copied from the
   * client, or to an earlier answer. Anything else in a request's topic is an internal note,
   * marked ✍ and never delivered; service messages (topic renamed, pins, members) are ignored.
   */
  staffChat.on("message", async (ctx) => {
    const message = ctx.message;
    if (ctx.from.is_bot || !CONTENT_KINDS.some((kind) => message[kind] !== undefined)) return;
    const threadId = message.is_topic_message ? message.message_thread_id : undefined;
    // In a forum topic every message "replies" to the topic's first message: that is no reply.
    const repliedToId =
      message.reply_to_message && message.reply_to_message.message_id !== threadId ? message.reply_to_message.message_id : undefined;
    const found = await deps.requests.store.ofStaffMessage(staff.chatId!, { threadId, repliedToId });
    if (!found) return;
    if (!found.toClient)
      return void (await ctx.react("✍").catch((error: unknown) => deps.logger.warn({ err: error }, "internal note not marked")));
    const { request } = found;
    const reference = referenceOf(request.id);
    const answerLawyer = (text: string) =>
      ctx.reply(text, { message_thread_id: message.message_thread_id, reply_parameters: { message_id: message.message_id } });
    if (!(await isLawyer(ctx))) return void (await answerLawyer(view.t("staff.onlyLawyers")));
    if (!RELAYED_KINDS.some((kind) => message[kind] !== undefined))
      return void (await answerLawyer(view.t("staff.kindNotRelayed", { reference })));
    if (request.status === "closed") return void (await answerLawyer(view.t("staff.replyToClosed", { reference })));
    if (!request.user) return void (await answerLawyer(view.t("staff.userErased", { reference })));
    // Answering takes an untaken request, and the card says who answered.
    await deps.requests.answered(request.id, { id: ctx.from.id, name: ctx.from.first_name }, deps.clock.now().toJSDate());
    await refreshCard(ctx, deps, request.id);
    // Saved, then delivered by the relay outbox, which also tells the lawyer how it went.
    await deps.relays.fromLawyer(request.id, message.chat.id, message.message_id, { text: message.text, caption: message.caption });
  });
  return feature;
}

type ButtonContext = Context & { callbackQuery: NonNullable<Context["callbackQuery"]>; from: NonNullable<Context["from"]> };

async function take(ctx: ButtonContext, deps: StaffDeps, requestId: number): Promise<void> {
  const { view } = deps;
  const outcome = await deps.requests.take(requestId, { id: ctx.from.id, name: ctx.from.first_name }, deps.clock.now().toJSDate());
  switch (outcome.kind) {
    case "unknown":
      return void (await ctx.answerCallbackQuery({ text: view.t("staff.unknownRequest"), show_alert: true }));
    case "closed":
      return void (await ctx.answerCallbackQuery({ text: view.t("staff.alreadyClosed"), show_alert: true }));
    case "already-taken": {
      await ctx.answerCallbackQuery({
        text: view.t(outcome.byYou ? "staff.youHaveIt" : "staff.alreadyTaken", { lawyer: outcome.lawyerName ?? "?" }),
        show_alert: true,
      });
      // Another lawyer may take it over, after confirming on the card's own buttons.
      const request = outcome.byYou ? null : await deps.requests.store.find(requestId);
      if (request) await ctx.editMessageReplyMarkup({ reply_markup: takeOverKeyboard(view, request) }).catch(() => undefined);
      return;
    }
    case "taken":
      await ctx.answerCallbackQuery({ text: view.t("staff.youTookIt", { reference: referenceOf(requestId) }) });
      await refreshCard(ctx, deps, requestId);
  }
}

async function takeOver(ctx: ButtonContext, deps: StaffDeps, requestId: number): Promise<void> {
  const outcome = await deps.requests.handOver(requestId, { id: ctx.from.id, name: ctx.from.first_name }, deps.clock.now().toJSDate());
  if (outcome.kind === "closed")
    return void (await ctx.answerCallbackQuery({ text: deps.view.t("staff.alreadyClosed"), show_alert: true }));
  await ctx.answerCallbackQuery(
    outcome.kind === "handed-over" ? { text: deps.view.t("staff.youTookIt", { reference: referenceOf(requestId) }) } : {},
  );
  await refreshCard(ctx, deps, requestId);
}

/** Close first asks for the outcome, on the card's own buttons. */
async function askOutcome(ctx: ButtonContext, deps: StaffDeps, requestId: number): Promise<void> {
  const request = await deps.requests.store.find(requestId);
  if (!request || request.status === "closed")
    return void (await ctx.answerCallbackQuery({ text: deps.view.t("staff.alreadyClosed"), show_alert: true }));
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: outcomeKeyboard(deps.view, request) });
}

async function close(
  ctx: ButtonContext,
  deps: StaffDeps,
  { requestId, outcome }: { requestId: number; outcome: Parameters<RequestLifecycle["close"]>[1] },
): Promise<void> {
  const { view } = deps;
  const closed = await deps.requests.close(requestId, outcome, deps.clock.now().toJSDate());
  if (closed.kind !== "closed") return void (await ctx.answerCallbackQuery({ text: view.t("staff.alreadyClosed"), show_alert: true }));
  const { request } = closed;
  await ctx.answerCallbackQuery();
  await refreshCard(ctx, deps, requestId);
  if (!request.user) return;
  // The user rates the help, in their own language.
  const t = deps.translate[request.user.language as Locale] ?? view.t;
  const stars = new InlineKeyboard();
  for (const rating of ["1", "2", "3", "4", "5"] as const)
    stars.text("⭐".repeat(Number(rating)), callback.rate.pack({ requestId, stars: rating })).row();
  await ctx.api
    .sendMessage(request.user.telegramId.toString(), t("requests.closed", { reference: referenceOf(requestId) }), { reply_markup: stars })
    .catch((error: unknown) => deps.logger.warn({ request: requestId, err: error }, "could not tell the user the request is closed"));
}

/**
 * /faq word, in a request's topic or as a reply to its card: the FAQ answers that match, found in
 * the client's language (a Russian-speaking lawyer can answer an Uzbek speaker with the reviewed
 * Uzbek text), offered as buttons.
 */
async function offerReadyAnswers(ctx: Context, deps: StaffDeps): Promise<void> {
  const message = ctx.message!;
  const threadId = message.is_topic_message ? message.message_thread_id : undefined;
  const repliedToId =
    message.reply_to_message && message.reply_to_message.message_id !== threadId ? message.reply_to_message.message_id : undefined;
  const found = await deps.requests.store.ofStaffMessage(deps.staff.chatId!, { threadId, repliedToId });
  const answer = (text: string, keyboard?: InlineKeyboard) =>
    ctx.reply(text, {
      message_thread_id: message.message_thread_id,
      reply_parameters: { message_id: message.message_id },
      reply_markup: keyboard,
    });
  if (!found) return void (await answer(deps.view.t("staff.faqUsage")));
  const { request } = found;
  const locale = isLocale(request.language) ? request.language : deps.view.locale;
  const query = typeof ctx.match === "string" ? ctx.match.trim() : "";
  const result = query ? searchFaq(deps.faq[locale].index, query, 3) : undefined;
  if (result?.kind !== "found") return void (await answer(deps.view.t("staff.faqNone", { query })));
  const keyboard = new InlineKeyboard();
  const questions = deps.faq[locale].catalog.questions;
  for (const id of result.ids)
    keyboard.text(questions.get(id)!.short, staffButton.readyAnswer.pack({ requestId: request.id, questionId: id })).row();
  await answer(deps.view.t("staff.faqPick", { reference: referenceOf(request.id), language: deps.view.languageName(locale) }), keyboard);
}

/** Sends the chosen FAQ answer to the client (their variant, in their language); the card notes it. */
async function sendReadyAnswer(
  ctx: ButtonContext,
  deps: StaffDeps,
  { requestId, questionId }: { requestId: number; questionId: string },
): Promise<void> {
  const request = await deps.requests.store.find(requestId);
  if (!request?.user || request.status === "closed")
    return void (await ctx.answerCallbackQuery({ text: deps.view.t("staff.alreadyClosed"), show_alert: true }));
  const locale = isLocale(request.user.language) ? request.user.language : deps.view.locale;
  const question = deps.faq[locale].catalog.questions.get(questionId);
  if (!question) return void (await ctx.answerCallbackQuery({ text: deps.view.t("staff.unknownRequest"), show_alert: true }));
  const t = deps.translate[locale];
  const citizenship = isCitizenship(request.user.citizenship) ? request.user.citizenship : undefined;
  const hotlineHours = weeklyHours({ locale, t }, deps.hotline.schedule).replace(/\n/g, "; ");
  const text = renderAnswer(answerFor(question, citizenshipGroupOf(citizenship)), { hotlineHours });
  const header = t("requests.fromLawyer", { reference: referenceOf(requestId) });
  await ctx.api.sendMessage(
    request.user.telegramId.toString(),
    `<b>${header}</b>\n\n<b>${escapeHtml(question.question)}</b>\n${escapeHtml(text)}`,
    { parse_mode: "HTML", protect_content: true },
  );
  const lawyer = { id: ctx.from.id, name: ctx.from.first_name };
  await deps.requests.answered(requestId, lawyer, deps.clock.now().toJSDate());
  await deps.requests.faqSent(
    requestId,
    lawyer,
    deps.faq[deps.view.locale].catalog.questions.get(questionId)?.short ?? questionId,
    deps.clock.now().toJSDate(),
  );
  await ctx.answerCallbackQuery({ text: deps.view.t("staff.faqSent", { reference: referenceOf(requestId) }) });
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  // The button pressed was on the list of answers, not on the card: the card is edited by its id.
  await refreshCard(ctx, deps, requestId, "card");
}

async function showQueue(ctx: Context, { requests, view, clock }: StaffDeps): Promise<void> {
  const queue = await requests.store.queue();
  const now = clock.now();
  const lines = queue.map((request) => {
    const age = now.diff(DateTime.fromJSDate(request.createdAt), ["hours", "minutes"]);
    const state =
      request.status === "taken" ? view.t("staff.queueTaken", { lawyer: request.lawyerName ?? "?" }) : view.t("staff.queueOpen");
    const waited = view.t("staff.age", { hours: Math.floor(age.hours), minutes: Math.floor(age.minutes) });
    const who = [view.languageName(request.language), request.citizenship ? view.t(`citizenship.name.${request.citizenship}`) : undefined]
      .filter(Boolean)
      .join(", ");
    return `${request.urgent ? "🚨" : "•"} <b>${referenceOf(request.id)}</b> · ${waited} · ${view.t(`topic.${request.topic}`)} · ${who} · ${state}`;
  });
  await ctx.reply(lines.length > 0 ? `<b>${view.t("staff.queueTitle")}</b>\n${lines.join("\n")}` : view.t("staff.queueEmpty"), {
    parse_mode: "HTML",
    message_thread_id: ctx.message?.message_thread_id,
  });
}

/**
 * Shows the card as the request is now (with its history): a press on the card edits the pressed
 * message; a lawyer's message, or a press elsewhere (`where: "card"`), edits the card by its id.
 */
async function refreshCard(
  ctx: Context,
  { view, logger, requests }: StaffDeps,
  requestId: number,
  where: "pressed" | "card" = "pressed",
): Promise<void> {
  const request = await requests.store.find(requestId);
  if (!request) return;
  const options = { parse_mode: "HTML" as const, reply_markup: requestCardKeyboard(view, request) };
  const edit =
    ctx.callbackQuery && where === "pressed"
      ? ctx.editMessageText(requestCard(view, request), options)
      : request.staffChatId !== null && request.staffMessageId !== null
        ? ctx.api.editMessageText(Number(request.staffChatId), request.staffMessageId, requestCard(view, request), options)
        : Promise.resolve();
  await edit.catch((error: unknown) => logger.warn({ request: request.id, err: error }, "could not update the card"));
}
