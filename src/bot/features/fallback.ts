import { Composer } from "grammy";
import type { RegisteredContext } from "../context.js";
import { mainMenuKeyboard, showExpired, showMainMenu } from "../views/menu.js";

/**
 * Whatever no feature handled: old or forged buttons, unknown commands, stickers, photos,
 * voice, edited messages. A short answer in the user's language that points to the menu.
 */
export function fallbackFeature(): Composer<RegisteredContext> {
  const feature = new Composer<RegisteredContext>();
  feature.on("callback_query", showExpired);
  // The lawyers' commands, tried in a private chat.
  feature.command("queue", (ctx) => ctx.reply(ctx.t("staff.onlyStaff")));
  feature.on("message::bot_command", (ctx) => showMainMenu(ctx, ctx.t("fallback.unknownCommand")));
  feature.on("edited_message", (ctx) => ctx.reply(ctx.t("fallback.edited")));
  feature.on("message", (ctx) => ctx.reply(ctx.t("fallback.unsupported"), { reply_markup: mainMenuKeyboard(ctx.t) }));
  return feature;
}
