import { Composer, InlineKeyboard } from "grammy";
import type { UserStore } from "../../users/store.js";
import { callback } from "../callbacks.js";
import type { RegisteredContext } from "../context.js";
import { showScreen } from "../views/screen.js";

/** Notices (the NGO's broadcasts) on or off, from the menu and /notices. */
export function noticesFeature(users: UserStore): Composer<RegisteredContext> {
  const feature = new Composer<RegisteredContext>();
  feature.command("notices", showNotices);
  feature.callbackQuery(callback.notices.trigger, showNotices);
  feature.callbackQuery(callback.toggleNotices.trigger, async (ctx) => {
    ctx.user = await users.update(ctx.user, { noticesOff: !ctx.user.noticesOff });
    await showNotices(ctx);
  });
  return feature;
}

async function showNotices(ctx: RegisteredContext): Promise<void> {
  const off = ctx.user.noticesOff;
  const keyboard = new InlineKeyboard()
    .text(ctx.t(off ? "notices.turnOn" : "notices.turnOff"), callback.toggleNotices.pack())
    .row()
    .text(ctx.t("menu.home"), callback.menu.pack());
  await showScreen(ctx, ctx.t(off ? "notices.areOff" : "notices.areOn"), keyboard);
}
