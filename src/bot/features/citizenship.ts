import { Composer } from "grammy";
import type { UserStore } from "../../users/store.js";
import { callback } from "../callbacks.js";
import type { RegisteredContext } from "../context.js";
import { citizenshipButtons, citizenshipSaved } from "../views/citizenship.js";
import { showMainMenu } from "../views/menu.js";
import { showScreen } from "../views/screen.js";

/**
 * Whose citizen the user is (asked once, the first time an answer depends on it, and changeable
 * from the menu): answers show the rules for their group, and lawyers see it on the card.
 */
export function citizenshipFeature(users: UserStore): Composer<RegisteredContext> {
  const feature = new Composer<RegisteredContext>();
  feature.callbackQuery(callback.citizenshipPicker.trigger, (ctx) =>
    showScreen(
      ctx,
      ctx.t("citizenship.ask"),
      citizenshipButtons(ctx, (citizenship) => callback.setCitizenship.pack({ citizenship }))
        .row()
        .text(ctx.t("menu.home"), callback.menu.pack()),
    ),
  );
  feature.callbackQuery(callback.setCitizenship.trigger, async (ctx) => {
    const { citizenship } = callback.setCitizenship.unpack(ctx.callbackQuery.data)!;
    ctx.user = await users.update(ctx.user, { citizenship });
    await showMainMenu(ctx, citizenshipSaved(ctx, citizenship));
  });
  return feature;
}
