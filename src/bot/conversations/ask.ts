import type { Conversation } from "@grammyjs/conversations";
import { InlineKeyboard, Keyboard, type Context } from "grammy";
import type { Locale, Translate } from "../../i18n.js";
import {
  CITY_MAX_LENGTH,
  COUNTRIES,
  DRAFT_LIFETIME_MS,
  MAX_ATTACHMENTS,
  QUESTION_LENGTH,
  TOPICS,
  checkQuestion,
  normalizePhone,
  type Topic,
} from "../../requests/domain.js";
import type { Attachment, RequestDraft } from "../../requests/store.js";
import type { HamrohContext } from "../context.js";
import { escapeHtml } from "../respond.js";

export const ASK_CONVERSATION = "ask";

/** What entering the dialog passes in (stored with the dialog's state, so plain data only). */
export interface AskArgs {
  topic?: Topic;
}

type AskConversation = Conversation<HamrohContext, Context>;
type Field = "topic" | "place" | "question" | "reply";

/** What the dialog hands back to the bot when the user presses Send. */
export type SubmitDraft = (outside: HamrohContext, draft: RequestDraft) => Promise<string>;

const CANCEL = "ask:cancel";

/**
 * "Ask a lawyer": topic → where the user is → question (+ attachments) → how to answer →
 * consent → summary with Send / Edit / Cancel. Every step can be cancelled (button or /cancel);
 * a wrong kind of answer gets a hint and the same question again.
 */
export function createAskConversation(translate: Record<Locale, Translate>, submit: SubmitDraft) {
  return async function ask(conversation: AskConversation, ctx: Context, args: AskArgs = {}): Promise<void> {
    // Results of `external` are stored with the dialog: only plain data (the locale) crosses.
    const t = translate[await conversation.external((outside) => outside.locale)];
    // The bot's clock (not conversation.now()), so that tests and the bot agree on time.
    const now = () => conversation.external((outside) => outside.deps.now().toMillis());
    const startedAt = await now();
    /** The step's buttons with Cancel below them; a reply keyboard (phone step) gets a Cancel key. */
    const withCancel = (keyboard?: InlineKeyboard | Keyboard) =>
      keyboard instanceof Keyboard
        ? Keyboard.from([...keyboard.keyboard.filter((row) => row.length > 0), [Keyboard.text(t("ask.cancel"))]]).resized().oneTime()
        : InlineKeyboard.from([...(keyboard?.inline_keyboard ?? []).filter((row) => row.length > 0), [InlineKeyboard.text(t("ask.cancel"), CANCEL)]]);

    /** Sends a step's question and waits for the answer, handling cancel and an expired draft. */
    const askStep = async (text: string, keyboard?: InlineKeyboard | Keyboard): Promise<Context> => {
      await ctx.reply(text, { parse_mode: "HTML", reply_markup: withCancel(keyboard) });
      const answer = await conversation.wait();
      if ((await now()) - startedAt > DRAFT_LIFETIME_MS) {
        await answer.reply(t("ask.expired"), { reply_markup: { remove_keyboard: true } });
        return conversation.halt();
      }
      const command = answer.message?.text?.match(/^\/(\w+)/)?.[1];
      if (answer.callbackQuery?.data === CANCEL || command === "cancel" || answer.message?.text === t("ask.cancel")) {
        if (answer.callbackQuery) await answer.answerCallbackQuery().catch(() => undefined);
        await answer.reply(t("ask.cancelled"), { reply_markup: { remove_keyboard: true } });
        return conversation.halt();
      }
      // An old button ("query is too old") must not end the dialog.
      if (answer.callbackQuery) await answer.answerCallbackQuery().catch(() => undefined);
      return answer;
    };

    const chooseFrom = async <T extends string>(text: string, options: readonly T[], labelKey: string, prefix: string): Promise<T> => {
      const buttons = options.map((option) => InlineKeyboard.text(t(`${labelKey}.${option}`), `${prefix}:${option}`));
      const keyboard = InlineKeyboard.from(Array.from({ length: Math.ceil(buttons.length / 2) }, (_, row) => buttons.slice(row * 2, row * 2 + 2)));
      let hint = "";
      for (;;) {
        const answer = await askStep(hint + text, keyboard);
        const data = answer.callbackQuery?.data ?? "";
        const chosen = options.find((option) => data === `${prefix}:${option}`);
        if (chosen) return chosen;
        hint = `${t("ask.useButtons")}\n\n`;
      }
    };

    const draft: RequestDraft = { topic: args.topic ?? "other", country: "russia", city: null, question: "", attachments: [], replyVia: "telegram", phone: null };

    const askTopic = async () => {
      draft.topic = await chooseFrom(t("ask.topic"), TOPICS, "topic", "ask:topic");
    };

    const askPlace = async () => {
      draft.country = await chooseFrom(t("ask.country"), COUNTRIES, "country", "ask:country");
      let hint = "";
      for (;;) {
        const answer = await askStep(hint + t("ask.city"), new InlineKeyboard().text(t("ask.skip"), "ask:skip"));
        if (answer.callbackQuery?.data === "ask:skip") {
          draft.city = null;
          return;
        }
        const city = answer.message?.text?.trim();
        if (city && !city.startsWith("/") && city.length <= CITY_MAX_LENGTH) {
          draft.city = city;
          return;
        }
        hint = `${t("ask.cityHint", { max: CITY_MAX_LENGTH })}\n\n`;
      }
    };

    const askQuestion = async () => {
      draft.attachments = [];
      let hint = "";
      for (;;) {
        const answer = await askStep(hint + t("ask.question", { min: QUESTION_LENGTH.min, max: QUESTION_LENGTH.max }));
        const attachment = attachmentOf(answer);
        if (attachment) addAttachment(attachment);
        const text = answer.message?.text ?? answer.message?.caption;
        if (text !== undefined && !text.startsWith("/")) {
          const check = checkQuestion(text);
          if (check === "ok") {
            draft.question = text.trim();
            break;
          }
          hint = `${t(check === "too-short" ? "ask.questionTooShort" : "ask.questionTooLong", { min: QUESTION_LENGTH.min, max: QUESTION_LENGTH.max, length: text.trim().length })}\n\n`;
        } else {
          hint = attachment ? `${t("ask.attachmentSaved", { count: draft.attachments.length })}\n\n` : `${t("ask.questionHint")}\n\n`;
        }
      }
      for (;;) {
        const answer = await askStep(t("ask.attachments", { count: draft.attachments.length, max: MAX_ATTACHMENTS }), new InlineKeyboard().text(t("ask.continue"), "ask:continue"));
        if (answer.callbackQuery?.data === "ask:continue") return;
        const attachment = attachmentOf(answer);
        if (!attachment) await answer.reply(t("ask.attachmentsHint"));
        else if (!addAttachment(attachment)) await answer.reply(t("ask.tooManyAttachments", { max: MAX_ATTACHMENTS }));
      }
    };

    const addAttachment = (attachment: Attachment): boolean => {
      if (draft.attachments.length >= MAX_ATTACHMENTS) return false;
      draft.attachments.push(attachment);
      return true;
    };

    const askReply = async () => {
      draft.replyVia = await chooseFrom(t("ask.replyVia"), ["telegram", "call"] as const, "ask.via", "ask:via");
      draft.phone = null;
      if (draft.replyVia === "telegram") return;
      const keyboard = new Keyboard().requestContact(t("ask.shareContact")).resized().oneTime();
      let hint = "";
      for (;;) {
        const answer = await askStep(hint + t("ask.phone"), keyboard);
        const contact = answer.message?.contact;
        if (contact) {
          if (contact.user_id === answer.from?.id) {
            draft.phone = normalizePhone(contact.phone_number) ?? contact.phone_number;
            break;
          }
          hint = `${t("ask.notYourContact")}\n\n`;
          continue;
        }
        const phone = answer.message?.text ? normalizePhone(answer.message.text) : undefined;
        if (phone) {
          draft.phone = phone;
          break;
        }
        hint = `${t("ask.phoneHint")}\n\n`;
      }
      await ctx.reply(t("ask.phoneSaved", { phone: draft.phone }), { reply_markup: { remove_keyboard: true } });
    };

    const steps: Record<Field, () => Promise<void>> = { topic: askTopic, place: askPlace, question: askQuestion, reply: askReply };

    if (!args.topic) await askTopic();
    await askPlace();
    await askQuestion();
    await askReply();

    const consent = await chooseFrom(t("ask.consent"), ["yes", "no"] as const, "ask.consentAnswer", "ask:consent");
    if (consent === "no") {
      await ctx.reply(t("ask.consentDeclined"));
      return;
    }

    for (;;) {
      const summary = summaryOf(t, draft);
      const keyboard = new InlineKeyboard().text(t("ask.send"), "ask:send").row().text(t("ask.edit"), "ask:edit");
      const answer = await askStep(summary, keyboard);
      const data = answer.callbackQuery?.data;
      if (data === "ask:send") {
        const confirmation = await conversation.external((outside) => submit(outside, draft));
        // The request is saved: if Telegram refuses this message, "My requests" still shows it.
        await answer.reply(confirmation, { parse_mode: "HTML" }).catch(() => undefined);
        return;
      }
      if (data === "ask:edit") {
        const field = await chooseFrom(t("ask.editWhich"), ["topic", "place", "question", "reply"] as const, "ask.field", "ask:field");
        await steps[field]();
      }
    }
  };
}

function attachmentOf(ctx: Context): Attachment | undefined {
  const message = ctx.message;
  if (message?.photo) return { kind: "photo", fileId: message.photo.at(-1)!.file_id };
  if (message?.document) return { kind: "document", fileId: message.document.file_id };
  if (message?.voice) return { kind: "voice", fileId: message.voice.file_id };
  return undefined;
}

function summaryOf(t: Translate, draft: RequestDraft): string {
  const place = [t(`country.${draft.country}`), draft.city ? escapeHtml(draft.city) : undefined].filter(Boolean).join(", ");
  const reply = draft.replyVia === "call" ? t("ask.summaryCall", { phone: draft.phone }) : t("ask.via.telegram");
  return [
    `<b>${t("ask.summaryTitle")}</b>`,
    `${t("ask.summaryTopic")}: ${t(`topic.${draft.topic}`)}`,
    `${t("ask.summaryPlace")}: ${place}`,
    `${t("ask.summaryReply")}: ${reply}`,
    draft.attachments.length > 0 ? `${t("ask.summaryAttachments")}: ${draft.attachments.length}` : undefined,
    `${t("ask.summaryQuestion")}:\n${escapeHtml(draft.question)}`,
  ]
    .filter(Boolean)
    .join("\n");
}
