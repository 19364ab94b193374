import { Composer, InlineKeyboard } from "grammy";
import { callback } from "../callbacks.js";
import type { RegisteredContext } from "../context.js";
import { showScreen } from "../respond.js";

/** Notices (the NGO's broadcasts) on or off, from the menu and /notices. */
export const noticesFeature = new Composer<RegisteredContext>();

noticesFeature.command("notices", (ctx) => showNotices(ctx));
noticesFeature.callbackQuery(callback.notices, (ctx) => showNotices(ctx));
noticesFeature.callbackQuery(callback.toggleNotices, async (ctx) => {
  ctx.user = await ctx.deps.users.update(ctx.user, { noticesOff: !ctx.user.noticesOff });
  await showNotices(ctx);
});

async function showNotices(ctx: RegisteredContext): Promise<void> {
  const off = ctx.user.noticesOff;
  const keyboard = new InlineKeyboard()
    .text(ctx.t(off ? "notices.turnOn" : "notices.turnOff"), callback.toggleNotices)
    .row()
    .text(ctx.t("menu.home"), callback.menu);
  await showScreen(ctx, ctx.t(off ? "notices.areOff" : "notices.areOn"), keyboard);
}
