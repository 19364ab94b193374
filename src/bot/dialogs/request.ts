import { randomUUID } from "node:crypto";
import { type Context, InlineKeyboard, Keyboard } from "grammy";
import type { Locale, Translate } from "../../i18n.js";
import {
  CITY_MAX_LENGTH,
  COUNTRIES,
  checkQuestion,
  DRAFT_LIFETIME_MS,
  isUrgent,
  MAX_ATTACHMENTS,
  normalizePhone,
  QUESTION_LENGTH,
  TOPICS,
  type Topic,
} from "../../requests/domain.js";
import type { Attachment, RequestDraft } from "../../requests/store.js";
import type { Clock } from "../../shared/clock.js";
import { escapeHtml } from "../../shared/html.js";
import { requestDialogButton as button } from "../callbacks.js";
import type { HamrohContext } from "../context.js";
import { type Dialog, Prompt } from "./prompt.js";

/** The dialog's stored id (kept from earlier versions, so that drafts in progress survive an upgrade). */
export const REQUEST_DIALOG = "ask";

/** What entering the dialog passes in (stored with the dialog's state, so plain data only). */
export interface RequestDialogArgs {
  topic?: Topic;
  /** A voice note (or file) the user sent before the dialog: it is their question already. */
  attachment?: Attachment;
}

/** What the dialog asks the bot while it runs: what to do right now on an urgent topic. */
export interface RequestDialogHelp {
  /** The "do this now" message for an urgent topic (112, the hotline if it is open), in the user's language. */
  urgentAdvice: (outside: HamrohContext) => Promise<string>;
}

/**
 * What the dialog hands back to the bot when the user presses Send: the confirmation to show,
 * or `undefined` when the request could not be saved (the user stays on the summary).
 */
export type SubmitDraft = (outside: HamrohContext, draft: RequestDraft) => Promise<string | undefined>;

const FIELDS = ["topic", "place", "question", "reply"] as const;
type Field = (typeof FIELDS)[number];

/** One run of the dialog: its prompt, the user's language, and the draft being filled in. */
interface Steps {
  prompt: Prompt;
  t: Translate;
  draft: RequestDraft;
}

/**
 * "Ask a lawyer": topic → where the user is → question (+ attachments) → how to answer →
 * consent → summary with Send / Edit / Cancel. Every step can be cancelled (button or /cancel);
 * a wrong kind of answer gets a hint and the same question again, a few times at most.
 */
export function createRequestDialog(translate: Record<Locale, Translate>, clock: Clock, submit: SubmitDraft, help: RequestDialogHelp) {
  return async function request(dialog: Dialog, ctx: Context, args: RequestDialogArgs = {}): Promise<void> {
    // Results of `external` are stored with the dialog: only plain data (the locale) crosses.
    const t = translate[await dialog.external((outside) => outside.locale)];
    // The bot's clock (not dialog.now()), so that tests and the bot agree on time.
    const now = () => dialog.external(() => clock.now().toMillis());
    const startedAt = await now();
    const prompt = new Prompt(dialog, ctx, {
      t,
      cancelData: button.cancel.pack(),
      cancelledKey: "ask.cancelled",
      now,
      lifetime: { ms: DRAFT_LIFETIME_MS, startedAt, expiredKey: "ask.expired" },
    });
    const id = await dialog.external(() => randomUUID());
    const draft: RequestDraft = {
      id,
      topic: args.topic ?? "other",
      country: "russia",
      city: null,
      question: "",
      attachments: args.attachment ? [args.attachment] : [],
      replyVia: "telegram",
      phone: null,
    };
    const steps: Steps = { prompt, t, draft };
    const askFor: Record<Field, () => Promise<void>> = {
      topic: async () => {
        await askTopic(steps);
        // Someone in danger first reads what to do right now, then goes on.
        if (isUrgent(draft.topic)) await prompt.say(await dialog.external((outside) => help.urgentAdvice(outside)), { parse_mode: "HTML" });
      },
      place: () => askPlace(steps),
      question: () => askQuestion(steps),
      reply: () => askReply(steps),
    };

    if (!args.topic) await askFor.topic();
    await askFor.place();
    // A voice note sent before the dialog is the question; more can be added.
    if (args.attachment) await askAttachments(steps);
    else await askFor.question();
    await askFor.reply();

    const consent = await prompt.choose(
      t("ask.consent"),
      options(t, ["yes", "no"] as const, "ask.consentAnswer", (answer) => button.consent.pack({ answer })),
    );
    if (consent === "no") {
      await ctx.reply(t("ask.consentDeclined"));
      return;
    }

    const keyboard = new InlineKeyboard().text(t("ask.send"), button.send.pack()).row().text(t("ask.edit"), button.edit.pack());
    for (;;) {
      const action = await prompt.askUntil(summaryOf(t, draft), keyboard, (answer) => {
        const data = answer.callbackQuery?.data;
        if (data === button.send.pack()) return { value: "send" as const };
        return data === button.edit.pack() ? { value: "edit" as const } : { hint: "" };
      });
      if (action === "send") {
        const confirmation = await dialog.external((outside) => submit(outside, draft));
        if (confirmation === undefined) {
          // Not saved (the database failed): the draft stays, and Send can be pressed again.
          await prompt.say(t("ask.saveFailed"));
          continue;
        }
        // The request is saved: if Telegram refuses this message, "My requests" still shows it.
        await ctx.reply(confirmation, { parse_mode: "HTML" }).catch(() => undefined);
        return;
      }
      const field = await prompt.choose(
        t("ask.editWhich"),
        options(t, FIELDS, "ask.field", (value) => button.field.pack({ field: value })),
      );
      await askFor[field]();
    }
  };
}

/** Buttons for a fixed list of values, labelled from the locale keys `${labelKey}.${value}`. */
function options<T extends string>(t: Translate, values: readonly T[], labelKey: string, data: (value: T) => string) {
  return values.map((value) => ({ value, label: t(`${labelKey}.${value}`), data: data(value) }));
}

async function askTopic({ prompt, t, draft }: Steps): Promise<void> {
  draft.topic = await prompt.choose(
    t("ask.topic"),
    options(t, TOPICS, "topic", (topic) => button.topic.pack({ topic })),
  );
}

async function askPlace({ prompt, t, draft }: Steps): Promise<void> {
  draft.country = await prompt.choose(
    t("ask.country"),
    options(t, COUNTRIES, "country", (country) => button.country.pack({ country })),
  );
  const skip = new InlineKeyboard().text(t("ask.skip"), button.skip.pack());
  draft.city = await prompt.askUntil<string | null>(t("ask.city"), skip, (answer) => {
    if (answer.callbackQuery?.data === button.skip.pack()) return { value: null };
    const city = answer.message?.text?.trim();
    if (city && !city.startsWith("/") && city.length <= CITY_MAX_LENGTH) return { value: city };
    return { hint: t("ask.cityHint", { max: CITY_MAX_LENGTH }) };
  });
}

/**
 * The question: typed text, or a voice note, photo or document on its own (many users speak
 * rather than write) — then more files, and more text, which is added to the question.
 */
async function askQuestion(steps: Steps): Promise<void> {
  const { prompt, t, draft } = steps;
  draft.attachments = [];
  const limits = { min: QUESTION_LENGTH.min, max: QUESTION_LENGTH.max };
  draft.question = await prompt.askUntil<string>(t("ask.question", limits), undefined, (answer) => {
    const attachment = attachmentOf(answer);
    if (attachment) addAttachment(draft, attachment);
    const text = answer.message?.text ?? answer.message?.caption;
    // A voice note, photo or document without words is a question too.
    if (text === undefined && attachment) return { value: "" };
    if (text === undefined || text.startsWith("/")) return { hint: t("ask.questionHint") };
    const check = checkQuestion(text);
    if (check === "ok") return { value: text.trim() };
    return { hint: t(check === "too-short" ? "ask.questionTooShort" : "ask.questionTooLong", { ...limits, length: text.trim().length }) };
  });
  await askAttachments(steps);
}

async function askAttachments({ prompt, t, draft }: Steps): Promise<void> {
  const next = new InlineKeyboard().text(t("ask.continue"), button.continue.pack());
  await prompt.askUntil(t("ask.attachments", { count: draft.attachments.length, max: MAX_ATTACHMENTS }), next, async (answer) => {
    if (answer.callbackQuery?.data === button.continue.pack()) return { value: true };
    const text = answer.message?.text;
    if (text !== undefined && !text.startsWith("/")) {
      // Words typed here belong to the question: they are added to it, not thrown away.
      const question = [draft.question, text.trim()].filter(Boolean).join("\n");
      if (question.length > QUESTION_LENGTH.max)
        return { hint: t("ask.questionTooLong", { min: QUESTION_LENGTH.min, max: QUESTION_LENGTH.max, length: question.length }) };
      draft.question = question;
      await prompt.say(t("ask.textAdded"));
      return { hint: "", wrong: false };
    }
    const attachment = attachmentOf(answer);
    if (!attachment) await prompt.say(t("ask.attachmentsHint"));
    else if (!addAttachment(draft, attachment)) await prompt.say(t("ask.tooManyAttachments", { max: MAX_ATTACHMENTS }));
    // An attachment that was added is a right answer: only the others count as wrong.
    return { hint: "", wrong: !attachment || draft.attachments.at(-1) !== attachment };
  });
}

function addAttachment(draft: RequestDraft, attachment: Attachment): boolean {
  if (draft.attachments.length >= MAX_ATTACHMENTS) return false;
  draft.attachments.push(attachment);
  return true;
}

async function askReply({ prompt, t, draft }: Steps): Promise<void> {
  draft.replyVia = await prompt.choose(
    t("ask.replyVia"),
    options(t, ["telegram", "call"] as const, "ask.via", (via) => button.replyVia.pack({ via })),
  );
  draft.phone = null;
  if (draft.replyVia === "telegram") return;
  const keyboard = new Keyboard().requestContact(t("ask.shareContact")).resized().oneTime();
  draft.phone = await prompt.askUntil<string>(t("ask.phone"), keyboard, (answer) => {
    const contact = answer.message?.contact;
    if (contact) {
      if (contact.user_id !== answer.from?.id) return { hint: t("ask.notYourContact") };
      return { value: normalizePhone(contact.phone_number) ?? contact.phone_number };
    }
    const phone = answer.message?.text ? normalizePhone(answer.message.text) : undefined;
    return phone ? { value: phone } : { hint: t("ask.phoneHint") };
  });
  await prompt.say(t("ask.phoneSaved", { phone: draft.phone }), { reply_markup: { remove_keyboard: true } });
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
    `${t("ask.summaryQuestion")}:\n${draft.question ? escapeHtml(draft.question) : t(`ask.questionIs.${draft.attachments[0]?.kind ?? "voice"}`)}`,
  ]
    .filter(Boolean)
    .join("\n");
}
