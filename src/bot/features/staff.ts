import { Composer, InlineKeyboard, type Context } from "grammy";
import { DateTime } from "luxon";
import type { ConsultationRequest } from "../../generated/prisma/client.js";
import { isOutcome, referenceOf } from "../../requests/domain.js";
import type { BotDeps, RuntimeDeps } from "../context.js";
import { setBannedByReference } from "../ban.js";
import { callback } from "../callbacks.js";
import { outcomeKeyboard, requestCard, requestCardKeyboard, type StaffView } from "../staff-card.js";

type StaffContext = Context & { deps: RuntimeDeps };

/**
 * The lawyers' staff group: Take and Close on the cards, replies relayed to the user, /queue.
 * Nothing here works from any other chat: a forged button or command elsewhere only says so.
 */
export function staffFeature(view: StaffView): Composer<StaffContext> {
  const feature = new Composer<StaffContext>();
  const inStaffChat = (ctx: StaffContext) => ctx.deps.staff.chatId !== undefined && ctx.chat?.id === ctx.deps.staff.chatId;

  feature.callbackQuery(/^req:/, async (ctx, next) => {
    if (inStaffChat(ctx)) return next();
    await ctx.answerCallbackQuery({ text: view.t("staff.onlyStaff"), show_alert: true });
  });
  feature.command("queue", async (ctx, next) => {
    if (inStaffChat(ctx)) return next();
    if (ctx.chat.type === "private") await ctx.reply(view.t("staff.onlyStaff"));
  });

  const staffChat = feature.filter(inStaffChat);
  // Every message in the group raises the mark above which a card sent but never recorded is looked for.
  staffChat.use((ctx, next) => {
    if (ctx.msg) ctx.deps.watermark.see(ctx.msg.message_id);
    return next();
  });

  staffChat.callbackQuery(/^req:take:(\d+)$/, async (ctx) => {
    const id = Number(ctx.match[1]);
    const now = ctx.deps.now().toJSDate();
    // Atomic: of two lawyers tapping at once, only one update finds the request still open.
    const taken = await ctx.deps.db.consultationRequest.updateMany({
      where: { id, status: "open" },
      data: { status: "taken", lawyerId: BigInt(ctx.from.id), lawyerName: ctx.from.first_name, takenAt: now },
    });
    const request = await ctx.deps.db.consultationRequest.findUnique({ where: { id } });
    if (!request) return ctx.answerCallbackQuery({ text: view.t("staff.unknownRequest"), show_alert: true });
    if (taken.count === 0) {
      const text = request.status === "closed" ? view.t("staff.alreadyClosed") : view.t("staff.alreadyTaken", { lawyer: request.lawyerName ?? "?" });
      return ctx.answerCallbackQuery({ text, show_alert: true });
    }
    await ctx.answerCallbackQuery({ text: view.t("staff.youTookIt", { reference: referenceOf(id) }) });
    await refreshCard(ctx, view, request);
  });

  staffChat.callbackQuery(/^req:close:(\d+)$/, async (ctx) => {
    const request = await ctx.deps.db.consultationRequest.findUnique({ where: { id: Number(ctx.match[1]) } });
    if (!request || request.status === "closed") return ctx.answerCallbackQuery({ text: view.t("staff.alreadyClosed"), show_alert: true });
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: outcomeKeyboard(view, request) });
  });

  staffChat.callbackQuery(/^req:back:(\d+)$/, async (ctx) => {
    const request = await ctx.deps.db.consultationRequest.findUnique({ where: { id: Number(ctx.match[1]) } });
    await ctx.answerCallbackQuery();
    if (request) await refreshCard(ctx, view, request);
  });

  staffChat.callbackQuery(/^req:outcome:(\d+):([a-z-]+)$/, async (ctx) => {
    const id = Number(ctx.match[1]);
    const outcome = ctx.match[2]!;
    if (!isOutcome(outcome)) return ctx.answerCallbackQuery({ text: view.t("staff.unknownRequest"), show_alert: true });
    const closed = await ctx.deps.db.consultationRequest.updateMany({
      where: { id, status: { not: "closed" } },
      data: { status: "closed", outcome, closedAt: ctx.deps.now().toJSDate() },
    });
    const request = await ctx.deps.db.consultationRequest.findUnique({ where: { id }, include: { user: true } });
    if (!request || closed.count === 0) return ctx.answerCallbackQuery({ text: view.t("staff.alreadyClosed"), show_alert: true });
    if (request.userId !== null) await ctx.deps.openRequests.closed(request.userId);
    await ctx.answerCallbackQuery();
    await refreshCard(ctx, view, request);
    if (!request.user) return;
    const t = ctx.deps.translate[request.user.language as keyof BotDeps["translate"]] ?? view.t;
    const stars = new InlineKeyboard();
    for (let rating = 1; rating <= 5; rating++) stars.text("⭐".repeat(rating), callback.rate(id, rating)).row();
    await ctx.api
      .sendMessage(request.user.telegramId.toString(), t("requests.closed", { reference: referenceOf(id) }), { reply_markup: stars })
      .catch((error: unknown) => ctx.deps.logger.warn({ request: id, err: describe(error) }, "could not tell the user the request is closed"));
  });

  staffChat.command(["ban", "unban"], async (ctx) => {
    const text = await setBannedByReference(ctx.deps, view.t, ctx.match, ctx.message?.text?.startsWith("/ban") === true);
    await ctx.reply(text, { message_thread_id: ctx.message?.message_thread_id });
  });

  staffChat.command("queue", async (ctx) => {
    const requests = await ctx.deps.db.consultationRequest.findMany({ where: { status: { not: "closed" } }, orderBy: { id: "asc" }, take: 50 });
    const now = ctx.deps.now();
    const lines = requests.map((request) => {
      const age = now.diff(DateTime.fromJSDate(request.createdAt), ["hours", "minutes"]);
      const state = request.status === "taken" ? view.t("staff.queueTaken", { lawyer: request.lawyerName ?? "?" }) : view.t("staff.queueOpen");
      return `${request.urgent ? "🚨" : "•"} <b>${referenceOf(request.id)}</b> · ${view.t(`topic.${request.topic}`)} · ${state} · ${view.t("staff.age", { hours: Math.floor(age.hours), minutes: Math.floor(age.minutes) })}`;
    });
    await ctx.reply(lines.length > 0 ? `<b>${view.t("staff.queueTitle")}</b>\n${lines.join("\n")}` : view.t("staff.queueEmpty"), {
      parse_mode: "HTML",
      message_thread_id: ctx.message?.message_thread_id,
    });
  });

  /** A lawyer's reply to a card or to a relayed message, or a message in a request's topic. */
  staffChat.on("message", async (ctx) => {
    const request = await requestOfStaffMessage(ctx);
    if (!request || ctx.from.is_bot) return;
    const reference = referenceOf(request.id);
    const answerLawyer = (text: string) => ctx.reply(text, { message_thread_id: ctx.message.message_thread_id, reply_parameters: { message_id: ctx.message.message_id } });
    if (request.status === "closed") return void (await answerLawyer(view.t("staff.replyToClosed", { reference })));
    if (!request.user) return void (await answerLawyer(view.t("staff.userErased", { reference })));
    // Saved, then delivered by the relay outbox, which also tells the lawyer how it went.
    await ctx.deps.relays.fromLawyer(request.id, ctx.message.message_id, { text: ctx.message.text, caption: ctx.message.caption });
  });
  return feature;
}

async function requestOfStaffMessage(ctx: StaffContext & { message: NonNullable<Context["message"]> }) {
  const { db } = ctx.deps;
  const include = { user: true } as const;
  const thread = ctx.message.is_topic_message ? ctx.message.message_thread_id : undefined;
  if (thread !== undefined) {
    const inTopic = await db.consultationRequest.findFirst({ where: { staffThreadId: thread }, include });
    if (inTopic) return inTopic;
  }
  const repliedTo = ctx.message.reply_to_message?.message_id;
  if (repliedTo === undefined) return undefined;
  const card = await db.consultationRequest.findFirst({ where: { staffMessageId: repliedTo }, include });
  if (card) return card;
  const relayed = await db.requestMessage.findFirst({ where: { staffChatMessageId: repliedTo }, include: { request: { include } } });
  if (relayed) return relayed.request;
  const attachment = await db.requestAttachment.findFirst({ where: { staffMessageId: repliedTo }, include: { request: { include } } });
  return attachment?.request;
}

async function refreshCard(ctx: StaffContext, view: StaffView, request: ConsultationRequest): Promise<void> {
  await ctx
    .editMessageText(requestCard(view, request), { parse_mode: "HTML", reply_markup: requestCardKeyboard(view, request) })
    .catch((error: unknown) => ctx.deps.logger.warn({ request: request.id, err: describe(error) }, "could not update the card"));
}

/** How the staff group sees requests: its language, the hotline's zone. */
export function staffViewOf(deps: BotDeps): StaffView {
  return {
    t: deps.translate[deps.staff.language],
    locale: deps.staff.language,
    zone: deps.hotline.schedule.zone,
    languageName: (locale) => deps.i18n.t("language.name", { lng: locale }),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
