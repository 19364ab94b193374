import { conversations, createConversation } from "@grammyjs/conversations";
import { Composer, InlineKeyboard, type Context } from "grammy";
import { DateTime } from "luxon";
import { INTL_LOCALE } from "../../i18n.js";
import { hotlineStatus } from "../../hotline/schedule.js";
import { TOPIC_OF_FAQ_CATEGORY, referenceOf, type Topic } from "../../requests/domain.js";
import { requestLimitReached, saveRequest, type RequestDraft } from "../../requests/store.js";
import { callback } from "../callbacks.js";
import { retryBelowDialogLog } from "../retry.js";
import type { HamrohContext, RegisteredContext } from "../context.js";
import { ASK_CONVERSATION, createAskConversation, type AskArgs } from "../conversations/ask.js";
import { sqliteConversationStorage } from "../conversations/storage.js";
import { homeButton } from "../menu.js";
import { showScreen } from "../respond.js";
import { showExpired } from "./fallback.js";
import { whenItOpens } from "./hotline.js";

type Deps = HamrohContext["deps"];

const RELAYED_KINDS = ["text", "photo", "document", "voice", "video", "audio"] as const;

/**
 * The dialogs' engine, with their state in SQLite. Installed before every private-chat feature,
 * so that /start and the main menu can leave a dialog.
 */
export function dialogs(deps: Deps) {
  return conversations<HamrohContext, Context>({
    // Raise when a dialog's steps change, so that dialogs saved by an older version start afresh.
    storage: { type: "key", version: DIALOG_VERSION, adapter: sqliteConversationStorage(deps.db) },
    // Inside dialogs the bot's API transformers are not inherited: the dialog's context gets its own.
    plugins: [
      (ctx, next) => {
        retryBelowDialogLog(ctx);
        return next();
      },
    ],
  });
}

const DIALOG_VERSION = 1;

/**
 * "Ask a lawyer" for users: the request dialog (state in SQLite), "My requests", the rating
 * after a close, and the user's follow-up messages to the lawyer of an open request.
 */
export function consultationFeature(deps: Deps, onSaved: () => void): Composer<RegisteredContext> {
  const feature = new Composer<RegisteredContext>();
  feature.use(createConversation(createAskConversation(deps.translate, (outside, draft) => submit(outside as RegisteredContext, draft, onSaved)), ASK_CONVERSATION));

  feature.command("ask", (ctx) => startAsking(ctx));
  feature.callbackQuery(callback.ask, (ctx) => startAsking(ctx));
  feature.callbackQuery(/^ask:faq:([a-z0-9-]+)$/, async (ctx) => {
    const question = ctx.deps.faq[ctx.locale].catalog.questions.get(ctx.match[1]!);
    if (!question) return showExpired(ctx);
    await startAsking(ctx, TOPIC_OF_FAQ_CATEGORY[question.categoryId] ?? "other");
  });
  // A button of a finished dialog pressed later.
  feature.callbackQuery(/^ask:/, (ctx) => showExpired(ctx));

  feature.command("myrequests", (ctx) => showMyRequests(ctx));
  feature.callbackQuery(callback.myRequests, (ctx) => showMyRequests(ctx));

  feature.callbackQuery(/^rate:(\d+):([1-5])$/, async (ctx) => {
    const rated = await ctx.deps.db.consultationRequest.updateMany({
      where: { id: Number(ctx.match[1]), userId: ctx.user.id, status: "closed", rating: null },
      data: { rating: Number(ctx.match[2]) },
    });
    await ctx.answerCallbackQuery({ text: ctx.t(rated.count === 1 ? "requests.thanksForRating" : "requests.alreadyRated") });
    if (rated.count === 1) await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  });

  feature.callbackQuery(/^fu:(\d+):(\d+)$/, async (ctx) => {
    const request = await ctx.deps.db.consultationRequest.findFirst({ where: { id: Number(ctx.match[1]), userId: ctx.user.id, status: { not: "closed" } } });
    if (!request) return showExpired(ctx);
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    const messageId = Number(ctx.match[2]);
    // A second tap on the same button does not send the message twice.
    if (await ctx.deps.db.requestMessage.findFirst({ where: { requestId: request.id, userChatMessageId: messageId } })) return;
    await ctx.deps.relays.fromUser(request.id, messageId);
  });

  /** While a request is open, what the user writes goes to its lawyer instead of the FAQ search. */
  feature.on("message").filter(
    (ctx) => !ctx.message.text?.startsWith("/"),
    async (ctx, next) => {
      if (!(await ctx.deps.openRequests.has(ctx.user.id))) return next();
      // Only these are copied: a contact card or a location would show more than the user means to.
      if (!RELAYED_KINDS.some((kind) => ctx.message[kind] !== undefined)) {
        await ctx.reply(ctx.t("requests.relayKinds"));
        return;
      }
      const open = await ctx.deps.db.consultationRequest.findMany({ where: { userId: ctx.user.id, status: { not: "closed" } }, orderBy: { id: "asc" } });
      if (open.length === 0) return next();
      const repliedTo = ctx.message.reply_to_message?.message_id;
      const byReply = repliedTo
        ? await ctx.deps.db.requestMessage.findFirst({ where: { userChatMessageId: repliedTo, request: { userId: ctx.user.id, status: { not: "closed" } } } })
        : null;
      const requestId = byReply?.requestId ?? (open.length === 1 ? open[0]!.id : undefined);
      // Saved, then delivered by the relay outbox, which also tells the user how it went.
      if (requestId !== undefined) return ctx.deps.relays.fromUser(requestId, ctx.message.message_id);
      const keyboard = new InlineKeyboard();
      for (const request of open) keyboard.text(referenceOf(request.id), callback.followUp(request.id, ctx.message.message_id)).row();
      await ctx.reply(ctx.t("requests.whichRequest"), { reply_markup: keyboard });
    },
  );
  return feature;
}

async function startAsking(ctx: RegisteredContext, topic?: Topic): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  const limit = await requestLimitReached(ctx.deps.db, ctx.user.id, ctx.deps.now().toJSDate());
  if (limit) {
    await ctx.reply(ctx.t(limit === "too-many-open" ? "requests.tooManyOpen" : "requests.tooManyToday"), { reply_markup: homeButton(ctx.t) });
    return;
  }
  const args: AskArgs = topic ? { topic } : {};
  await ctx.conversation.enter(ASK_CONVERSATION, args);
}

/** Saves the request (before anything is posted) and says honestly when a lawyer can answer. */
async function submit(ctx: RegisteredContext, draft: RequestDraft, onSaved: () => void): Promise<string> {
  const now = ctx.deps.now();
  const limit = await requestLimitReached(ctx.deps.db, ctx.user.id, now.toJSDate());
  if (limit) return ctx.t(limit === "too-many-open" ? "requests.tooManyOpen" : "requests.tooManyToday");
  const request = await saveRequest(ctx.deps.db, ctx.user.id, ctx.locale, draft, now.toJSDate());
  await ctx.deps.openRequests.opened(ctx.user.id);
  onSaved();
  const status = hotlineStatus(now, ctx.deps.hotline.schedule);
  const expectation = status.open ? ctx.t("requests.expectOpen") : ctx.t("requests.expectClosed", { when: whenItOpens(ctx, status, now), interpolation: { escapeValue: false } });
  return `${ctx.t("requests.saved", { reference: referenceOf(request.id) })}\n\n${expectation}`;
}

async function showMyRequests(ctx: RegisteredContext): Promise<void> {
  const requests = await ctx.deps.db.consultationRequest.findMany({ where: { userId: ctx.user.id }, orderBy: { id: "desc" }, take: 10 });
  const date = (value: Date) => DateTime.fromJSDate(value).setLocale(INTL_LOCALE[ctx.locale]).toLocaleString(DateTime.DATE_MED);
  const lines = requests.map(
    (request) => `<b>${referenceOf(request.id)}</b> · ${date(request.createdAt)} · ${ctx.t(`topic.${request.topic}`)}\n${ctx.t(`requests.status.${request.status}`)}`,
  );
  const text = lines.length > 0 ? `<b>${ctx.t("requests.title")}</b>\n\n${lines.join("\n\n")}` : ctx.t("requests.none");
  await showScreen(ctx, text, new InlineKeyboard().text(ctx.t("menu.ask"), callback.ask).row().text(ctx.t("menu.home"), callback.menu));
}
