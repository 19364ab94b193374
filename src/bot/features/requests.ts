import { conversations, createConversation } from "@grammyjs/conversations";
import { Composer, type Context, InlineKeyboard } from "grammy";
import { DateTime } from "luxon";
import type { Logger } from "pino";
import type { Content } from "../../content.js";
import type { DialogStorage } from "../../db/dialog-storage.js";
import { hotlineStatus } from "../../hotline/schedule.js";
import { INTL_LOCALE } from "../../i18n.js";
import { isUrgent, referenceOf, TOPIC_OF_FAQ_CATEGORY, type Topic } from "../../requests/domain.js";
import type { RequestLifecycle } from "../../requests/lifecycle.js";
import type { Relays } from "../../requests/staff/relays.js";
import type { Attachment, RequestDraft } from "../../requests/store.js";
import type { Clock } from "../../shared/clock.js";
import { retryBelowDialogLog } from "../../telegram/retry.js";
import { callback, requestDialogButton } from "../callbacks.js";
import type { HamrohContext, RegisteredContext } from "../context.js";
import { createRequestDialog, REQUEST_DIALOG, type RequestDialogArgs } from "../dialogs/request.js";
import { whenItOpens } from "../views/hotline.js";
import { homeButton, showExpired } from "../views/menu.js";
import { showScreen } from "../views/screen.js";

const RELAYED_KINDS = ["text", "photo", "document", "voice", "video", "audio"] as const;

/** How long the offer to send a voice note to a lawyer holds, and how many offers are kept at once. */
const VOICE_OFFER_MS = 60 * 60 * 1000;
const MAX_VOICE_OFFERS = 1000;

/** Raise when a dialog's steps change, so that dialogs saved by an older version start afresh. */
const DIALOG_VERSION = 1;

/**
 * The dialogs' engine, with their state in SQLite. Installed before every private-chat feature,
 * so that /start and the main menu can leave a dialog.
 */
export function dialogs(storage: DialogStorage) {
  return conversations<HamrohContext, Context>({
    storage: { type: "key", version: DIALOG_VERSION, adapter: storage },
    // Inside dialogs the bot's API transformers are not inherited: the dialog's context gets its own.
    plugins: [
      (ctx, next) => {
        retryBelowDialogLog(ctx);
        return next();
      },
    ],
  });
}

export interface RequestsDeps {
  translate: Content["translate"];
  faq: Content["faq"];
  hotline: Content["hotline"];
  requests: RequestLifecycle;
  relays: Relays;
  logger: Logger;
  clock: Clock;
  /** Called after a request is saved, so that the outbox posts it at once. */
  onSaved: () => void;
  /** Answers a typed question from the FAQ (when the user chooses a search over the lawyer). */
  answerTyped: (ctx: RegisteredContext, text: string) => Promise<void>;
}

/** How long "to the lawyer" or "search" holds for the next messages, and how many are kept at once. */
const CHOICE_HOLDS_MS = 30 * 60 * 1000;
const MAX_KEPT = 2000;

/**
 * What a user with an open request chose for their typed messages, held a while so that a
 * conversation with the lawyer is not interrupted at every line; and the text of a message that
 * waits for that choice. In memory only: after a restart the user is asked again.
 */
class TypingChoices {
  private readonly modes = new Map<number, { mode: TypingMode; at: number }>();
  private readonly texts = new Map<string, string>();

  constructor(private readonly clock: Clock) {}

  current(userId: number): TypingMode | undefined {
    const held = this.modes.get(userId);
    return held && this.clock.monotonicMs() - held.at < CHOICE_HOLDS_MS ? held.mode : undefined;
  }

  choose(userId: number, mode: TypingMode): void {
    this.modes.delete(userId);
    this.modes.set(userId, { mode, at: this.clock.monotonicMs() });
    if (this.modes.size > MAX_KEPT) this.modes.delete(this.modes.keys().next().value!);
  }

  keepText(userId: number, messageId: number, text: string): void {
    this.texts.set(`${userId}:${messageId}`, text);
    if (this.texts.size > MAX_KEPT) this.texts.delete(this.texts.keys().next().value!);
  }

  takeText(userId: number, messageId: number): string | undefined {
    const key = `${userId}:${messageId}`;
    const text = this.texts.get(key);
    this.texts.delete(key);
    return text;
  }
}

type TypingMode = { kind: "lawyer"; requestId: number } | { kind: "search" };

/**
 * "Ask a lawyer" for users: the request dialog (state in SQLite), "My requests", the rating
 * after a close, and the user's follow-up messages to the lawyer of an open request.
 */
export function requestsFeature(deps: RequestsDeps): Composer<RegisteredContext> {
  const { requests, relays, clock } = deps;
  const feature = new Composer<RegisteredContext>();
  const choices = new TypingChoices(clock);
  const save = (outside: HamrohContext, draft: RequestDraft) =>
    submit(outside as RegisteredContext, draft, deps).catch((error: unknown) => {
      deps.logger.error({ err: error }, "request not saved; the user can press Send again");
      return undefined;
    });
  const urgentAdvice = async (outside: HamrohContext) => {
    const ctx = outside as RegisteredContext;
    const open = hotlineStatus(clock.now(), deps.hotline.schedule).open;
    return [ctx.t("ask.urgentFirst"), open ? ctx.t("ask.urgentHotlineOpen", { phone: deps.hotline.phoneDisplay }) : undefined]
      .filter(Boolean)
      .join("\n\n");
  };
  feature.use(createConversation(createRequestDialog(deps.translate, clock, save, { urgentAdvice }), REQUEST_DIALOG));

  const startAsking = async (ctx: RegisteredContext, topic?: Topic, attachment?: Attachment) => {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    const limit = await requests.limitReached(ctx.user, clock.now().toJSDate());
    if (limit) {
      await ctx.reply(ctx.t(limit === "too-many-open" ? "requests.tooManyOpen" : "requests.tooManyToday"), {
        reply_markup: homeButton(ctx.t),
      });
      return;
    }
    const args: RequestDialogArgs = { ...(topic ? { topic } : {}), ...(attachment ? { attachment } : {}) };
    await ctx.conversation.enter(REQUEST_DIALOG, args);
  };

  /** Voice notes sent outside a dialog, kept a while so that one tap makes them a question. */
  const voiceNotes = new Map<number, { fileId: string; at: number }>();
  feature.callbackQuery(callback.askByVoice.trigger, async (ctx) => {
    const voice = voiceNotes.get(ctx.user.id);
    if (!voice || clock.monotonicMs() - voice.at > VOICE_OFFER_MS) return showExpired(ctx);
    voiceNotes.delete(ctx.user.id);
    await startAsking(ctx, undefined, { kind: "voice", fileId: voice.fileId });
  });

  feature.command("ask", (ctx) => startAsking(ctx));
  feature.callbackQuery(callback.ask.trigger, (ctx) => startAsking(ctx));
  feature.callbackQuery(callback.askAbout.trigger, async (ctx) => {
    const { questionId } = callback.askAbout.unpack(ctx.callbackQuery.data)!;
    const question = deps.faq[ctx.locale].catalog.questions.get(questionId);
    if (!question) return showExpired(ctx);
    await startAsking(ctx, TOPIC_OF_FAQ_CATEGORY[question.categoryId] ?? "other");
  });
  // A button of a finished dialog pressed later.
  feature.callbackQuery(requestDialogButton.any, (ctx) => showExpired(ctx));

  feature.command("myrequests", (ctx) => showMyRequests(ctx, requests));
  feature.callbackQuery(callback.myRequests.trigger, (ctx) => showMyRequests(ctx, requests));

  feature.callbackQuery(callback.rate.trigger, async (ctx) => {
    const { requestId, stars } = callback.rate.unpack(ctx.callbackQuery.data)!;
    const rated = await requests.store.rate(requestId, ctx.user.id, Number(stars));
    await ctx.answerCallbackQuery({ text: ctx.t(rated ? "requests.thanksForRating" : "requests.alreadyRated") });
    if (rated) await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  });

  feature.callbackQuery(callback.followUp.trigger, async (ctx) => {
    const { requestId, messageId } = callback.followUp.unpack(ctx.callbackQuery.data)!;
    const request = await requests.store.findOpenOfUser(requestId, ctx.user.id);
    if (!request) return showExpired(ctx);
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    // The choice holds for a while: the next messages go to the same lawyer without asking.
    choices.choose(ctx.user.id, { kind: "lawyer", requestId: request.id });
    choices.takeText(ctx.user.id, messageId);
    // A second tap on the same button does not send the message twice.
    if (await requests.store.hasUserMessage(request.id, messageId)) return;
    await relays.fromUser(request.id, messageId);
  });

  /** A voice note outside a dialog (and with no open request): the offer to ask a lawyer with it. */
  const offerVoice = async (ctx: RegisteredContext) => {
    const voice = ctx.message?.voice;
    if (!voice) return;
    voiceNotes.delete(ctx.user.id);
    voiceNotes.set(ctx.user.id, { fileId: voice.file_id, at: clock.monotonicMs() });
    // Bounded: the oldest offers go first.
    if (voiceNotes.size > MAX_VOICE_OFFERS) voiceNotes.delete(voiceNotes.keys().next().value!);
    const keyboard = new InlineKeyboard()
      .text(ctx.t("voice.send"), callback.askByVoice.pack())
      .row()
      .text(ctx.t("menu.home"), callback.menu.pack());
    await ctx.reply(ctx.t("voice.offer"), { reply_markup: keyboard });
  };

  /** While a request is open, what the user writes goes to its lawyer instead of the FAQ search. */
  feature.on("message").filter(
    (ctx) => !ctx.message.text?.startsWith("/"),
    async (ctx, next) => {
      if (!(await requests.hasOpen(ctx.user.id))) return ctx.message.voice ? offerVoice(ctx) : next();
      // Only these are copied: a contact card or a location would show more than the user means to.
      if (!RELAYED_KINDS.some((kind) => ctx.message[kind] !== undefined)) {
        await ctx.reply(ctx.t("requests.relayKinds"));
        return;
      }
      const open = await requests.store.openOfUser(ctx.user.id);
      if (open.length === 0) return next();
      const repliedTo = ctx.message.reply_to_message?.message_id;
      const byReply = repliedTo ? await requests.store.openOfUserReply(ctx.user.id, repliedTo) : undefined;
      // A reply to the lawyer's message goes to that lawyer; so does anything while the user's last choice holds.
      const mode = choices.current(ctx.user.id);
      const text = ctx.message.text;
      // A photo, a file or a voice note can only be for the lawyer: with one request open, it goes there.
      const onlyRequest = text === undefined && open.length === 1 ? open[0]!.id : undefined;
      const chosen =
        byReply ?? (mode?.kind === "lawyer" && open.some((request) => request.id === mode.requestId) ? mode.requestId : onlyRequest);
      // Saved, then delivered by the relay outbox, which also tells the user how it went.
      if (chosen !== undefined) return relays.fromUser(chosen, ctx.message.message_id);
      if (mode?.kind === "search" && text !== undefined) return next();
      // Asked once: for the lawyer (which request, by its topic), or a search of the answers.
      if (text !== undefined) choices.keepText(ctx.user.id, ctx.message.message_id, text);
      const keyboard = new InlineKeyboard();
      for (const request of open) {
        const label = ctx.t("requests.toLawyerAbout", { topic: ctx.t(`topic.${request.topic}`), reference: referenceOf(request.id) });
        keyboard.text(label, callback.followUp.pack({ requestId: request.id, messageId: ctx.message.message_id })).row();
      }
      if (text !== undefined)
        keyboard.text(ctx.t("requests.searchInstead"), callback.searchInstead.pack({ messageId: ctx.message.message_id }));
      await ctx.reply(ctx.t(text === undefined ? "requests.whichRequest" : "requests.lawyerOrSearch"), { reply_markup: keyboard });
    },
  );

  feature.callbackQuery(callback.searchInstead.trigger, async (ctx) => {
    const { messageId } = callback.searchInstead.unpack(ctx.callbackQuery.data)!;
    const text = choices.takeText(ctx.user.id, messageId);
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    choices.choose(ctx.user.id, { kind: "search" });
    if (text !== undefined) await deps.answerTyped(ctx, text);
  });
  return feature;
}

/** Saves the request (before anything is posted) and says honestly when a lawyer can answer. */
async function submit(ctx: RegisteredContext, draft: RequestDraft, { requests, hotline, clock, onSaved }: RequestsDeps): Promise<string> {
  const now = clock.now();
  const outcome = await requests.submit(ctx.user, ctx.locale, draft, now.toJSDate());
  if (outcome.kind === "limit") return ctx.t(outcome.limit === "too-many-open" ? "requests.tooManyOpen" : "requests.tooManyToday");
  onSaved();
  const status = hotlineStatus(now, hotline.schedule);
  const when = status.open ? "" : whenItOpens(ctx, hotline.schedule, status, now);
  // An honest time: urgent requests are seen first, but nobody answers while the hotline is closed.
  const urgent = isUrgent(draft.topic);
  const expectation = status.open
    ? ctx.t(urgent ? "requests.expectUrgentOpen" : "requests.expectOpen")
    : ctx.t(urgent ? "requests.expectUrgentClosed" : "requests.expectClosed", { when, interpolation: { escapeValue: false } });
  return `${ctx.t("requests.saved", { reference: referenceOf(outcome.request.id) })}\n\n${expectation}`;
}

async function showMyRequests(ctx: RegisteredContext, requests: RequestLifecycle): Promise<void> {
  const mine = await requests.store.ofUser(ctx.user.id);
  // The day in the user's own zone (a request sent late at night in Moscow is already tomorrow in Dushanbe).
  const date = (value: Date) =>
    DateTime.fromJSDate(value, { zone: ctx.user.timeZone ?? undefined })
      .setLocale(INTL_LOCALE[ctx.locale])
      .toLocaleString(DateTime.DATE_MED);
  const lines = mine.map(
    (request) =>
      `<b>${referenceOf(request.id)}</b> · ${date(request.createdAt)} · ${ctx.t(`topic.${request.topic}`)}\n${ctx.t(`requests.status.${request.status}`)}`,
  );
  const text = lines.length > 0 ? `<b>${ctx.t("requests.title")}</b>\n\n${lines.join("\n\n")}` : ctx.t("requests.none");
  await showScreen(
    ctx,
    text,
    new InlineKeyboard().text(ctx.t("menu.ask"), callback.ask.pack()).row().text(ctx.t("menu.home"), callback.menu.pack()),
  );
}
