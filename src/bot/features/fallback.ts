import { Composer } from "grammy";
import type { HamrohContext, RegisteredContext } from "../context.js";
import { mainMenuKeyboard, showMainMenu } from "../menu.js";

/**
 * Whatever no feature handled: old or forged buttons, unknown commands, stickers, photos,
 * voice, edited messages. A short answer in the user's language that points to the menu.
 */
export const fallbackFeature = new Composer<RegisteredContext>();

fallbackFeature.on("callback_query", (ctx) => showExpired(ctx));

fallbackFeature.on("message::bot_command", (ctx) => showMainMenu(ctx, ctx.t("fallback.unknownCommand")));

fallbackFeature.on("edited_message", (ctx) => ctx.reply(ctx.t("fallback.edited")));

fallbackFeature.on("message", (ctx) => ctx.reply(ctx.t("fallback.unsupported"), { reply_markup: mainMenuKeyboard(ctx.t) }));

/** For buttons whose data is unknown, out of date or forged. */
export function showExpired(ctx: HamrohContext): Promise<void> {
  return showMainMenu(ctx, ctx.t("fallback.expired"));
}
