import type { Conversation } from "@grammyjs/conversations";
import { type Context, InlineKeyboard, Keyboard } from "grammy";
import type { Translate } from "../../i18n.js";
import { classifyTelegramError, isTelegramRefusal } from "../../telegram/errors.js";
import { dialogButton } from "../callbacks.js";
import type { HamrohContext } from "../context.js";

export type Dialog = Conversation<HamrohContext, Context>;

/** Wrong answers one step accepts before the dialog ends politely (nothing unconfirmed is kept). */
export const MAX_WRONG_ANSWERS = 5;

export interface PromptOptions {
  t: Translate;
  /** The Cancel button's data; "/cancel" and the Cancel key of a reply keyboard also cancel. */
  cancelData: string;
  /** Other commands that cancel this dialog (e.g. "broadcast_cancel"). */
  cancelCommands?: string[];
  /** What the user reads when they cancel. */
  cancelledKey: string;
  /** The clock, read through the dialog (so a replay sees the same instants). */
  now: () => Promise<number>;
  /** A draft older than this is dropped when the user comes back (with `expiredKey`). */
  lifetime?: { ms: number; startedAt: number; expiredKey: string };
}

/**
 * What a step makes of one answer: a value, or a hint to show before asking again. An answer
 * that was useful but does not end the step (an attachment) is not `wrong`.
 */
export type Reading<T> = { value: T } | { hint: string; wrong?: boolean };

/**
 * The one way both dialogs ask: each question carries a Cancel button (or key), a draft past its
 * lifetime ends, and a step that gets more than MAX_WRONG_ANSWERS wrong answers ends the dialog
 * politely — so no one can grow a dialog's stored state without limit.
 */
export class Prompt {
  constructor(
    private readonly dialog: Dialog,
    private readonly ctx: Context,
    private readonly options: PromptOptions,
  ) {}

  /** The last question's message, while the user's answer was a button on it: the next question replaces it. */
  private editable: number | undefined;

  /**
   * Sends a question and waits for any answer, handling cancel and an expired draft. After a
   * button press the question message is edited into the next one, so that a dialog takes few
   * messages on a small screen; after a typed answer the next question comes below it.
   */
  async ask(text: string, keyboard?: InlineKeyboard | Keyboard): Promise<Context> {
    const { t, lifetime } = this.options;
    let promptId = await this.show(text, this.withCancel(keyboard));
    let answer = await this.dialog.wait();
    // "Continue" after /start or the menu: the same question again, as a new message below.
    while (answer.callbackQuery?.data === dialogButton.continue.pack()) {
      await answer.answerCallbackQuery().catch(() => undefined);
      this.editable = undefined;
      promptId = await this.show(text, this.withCancel(keyboard));
      answer = await this.dialog.wait();
    }
    this.editable = answer.callbackQuery?.message?.message_id === promptId ? promptId : undefined;
    if (lifetime && (await this.options.now()) - lifetime.startedAt > lifetime.ms) return this.end(answer, lifetime.expiredKey);
    // An old button ("query is too old") must not end the dialog.
    if (answer.callbackQuery) await answer.answerCallbackQuery().catch(() => undefined);
    const command = answer.message?.text?.match(/^\/(\w+)/)?.[1];
    const cancelled =
      answer.callbackQuery?.data === this.options.cancelData ||
      command === "cancel" ||
      (command !== undefined && this.options.cancelCommands?.includes(command)) ||
      answer.message?.text === t("ask.cancel");
    if (cancelled) return this.end(answer, this.options.cancelledKey);
    return answer;
  }

  /** Asks until `read` accepts an answer; each refused answer shows its hint above the question. */
  async askUntil<T>(
    text: string,
    keyboard: InlineKeyboard | Keyboard | undefined,
    read: (answer: Context) => Reading<T> | Promise<Reading<T>>,
  ): Promise<T> {
    let hint = "";
    let wrong = 0;
    for (;;) {
      const answer = await this.ask(hint + text, keyboard);
      const reading = await read(answer);
      if ("value" in reading) return reading.value;
      if (reading.wrong !== false && ++wrong >= MAX_WRONG_ANSWERS) return this.end(answer, "dialog.tooManyWrong");
      hint = reading.hint ? `${reading.hint}\n\n` : "";
    }
  }

  /** Offers buttons (two per row) and waits until one of them is pressed. */
  choose<T extends string>(
    text: string,
    options: { value: T; label: string; data: string }[],
    hint = this.options.t("ask.useButtons"),
  ): Promise<T> {
    const buttons = options.map((option) => InlineKeyboard.text(option.label, option.data));
    const keyboard = InlineKeyboard.from(
      Array.from({ length: Math.ceil(buttons.length / 2) }, (_, row) => buttons.slice(row * 2, row * 2 + 2)),
    );
    return this.askUntil<T>(text, keyboard, (answer) => {
      const chosen = options.find((option) => option.data === answer.callbackQuery?.data);
      return chosen ? { value: chosen.value } : { hint };
    });
  }

  /**
   * Tells the user something between two questions (a note, a preview): the next question then
   * comes below it as a new message, never above in an edited older one.
   */
  async say(text: string, options: Parameters<Context["reply"]>[1] = {}): Promise<void> {
    this.editable = undefined;
    await this.ctx.reply(text, options);
  }

  /** Something else was sent into the chat (a preview through the API): the next question comes below it. */
  below(): void {
    this.editable = undefined;
  }

  /** Shows a question: in place of the last one where it can, else as a new message; resolves to its message id. */
  private async show(text: string, markup: InlineKeyboard | Keyboard): Promise<number> {
    const chatId = this.ctx.chat?.id;
    if (this.editable !== undefined && chatId !== undefined && markup instanceof InlineKeyboard) {
      try {
        await this.ctx.api.editMessageText(chatId, this.editable, text, { parse_mode: "HTML", reply_markup: markup });
        return this.editable;
      } catch (error) {
        if (classifyTelegramError(error) === "not-modified") return this.editable;
        if (!isTelegramRefusal(error)) throw error;
        // Too old or deleted: the question comes as a new message.
      }
    }
    return (await this.ctx.reply(text, { parse_mode: "HTML", reply_markup: markup })).message_id;
  }

  /** Ends the dialog with a message (and takes away a reply keyboard). */
  private async end(answer: Context, key: string): Promise<never> {
    if (answer.callbackQuery) await answer.answerCallbackQuery().catch(() => undefined);
    await answer.reply(this.options.t(key), { reply_markup: { remove_keyboard: true } });
    return this.dialog.halt();
  }

  /** The step's buttons with Cancel below them; a reply keyboard (phone step) gets a Cancel key. */
  private withCancel(keyboard?: InlineKeyboard | Keyboard): InlineKeyboard | Keyboard {
    const cancel = this.options.t("ask.cancel");
    if (keyboard instanceof Keyboard)
      return Keyboard.from([...keyboard.keyboard.filter((row) => row.length > 0), [Keyboard.text(cancel)]])
        .resized()
        .oneTime();
    return InlineKeyboard.from([
      ...(keyboard?.inline_keyboard ?? []).filter((row) => row.length > 0),
      [InlineKeyboard.text(cancel, this.options.cancelData)],
    ]);
  }
}
