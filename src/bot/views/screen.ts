import type { InlineKeyboard } from "grammy";
import { classifyTelegramError, isTelegramRefusal } from "../../telegram/errors.js";
import type { HamrohContext } from "../context.js";

/** Every screen is HTML without link previews (data is costly for many users). */
const SCREEN_OPTIONS = { parse_mode: "HTML", link_preview_options: { is_disabled: true } } as const;

/**
 * Shows a screen: edits the message whose button was pressed (no new message, less data),
 * or sends a new one for typed messages and commands, or when the old message can't be edited.
 */
export async function showScreen(ctx: HamrohContext, text: string, keyboard?: InlineKeyboard): Promise<void> {
  const options = { ...SCREEN_OPTIONS, reply_markup: keyboard };
  if (ctx.callbackQuery?.message) {
    await ctx.answerCallbackQuery();
    try {
      await ctx.editMessageText(text, options);
      return;
    } catch (error) {
      if (classifyTelegramError(error) === "not-modified") return;
      if (!isTelegramRefusal(error)) throw error;
      // Too old to edit, or deleted: fall through and send it anew.
    }
  } else if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery();
  }
  await ctx.reply(text, options);
}
