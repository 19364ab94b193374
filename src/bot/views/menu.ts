import { InlineKeyboard } from "grammy";
import { directoryButton } from "../../directory/buttons.js";
import type { Translate } from "../../i18n.js";
import { callback } from "../callbacks.js";
import type { HamrohContext } from "../context.js";
import { showScreen } from "./screen.js";

export function mainMenuKeyboard(t: Translate): InlineKeyboard {
  return new InlineKeyboard()
    .text(t("menu.faq"), callback.faqCategories.pack())
    .text(t("menu.hotline"), callback.hotline.pack())
    .row()
    .text(t("menu.ask"), callback.ask.pack())
    .text(t("menu.myRequests"), callback.myRequests.pack())
    .row()
    .text(t("menu.emergency"), callback.emergency.pack())
    .text(t("menu.directory"), directoryButton.open.pack())
    .row()
    .text(t("menu.language"), callback.languagePicker.pack())
    .text(t("menu.citizenship"), callback.citizenshipPicker.pack())
    .row()
    .text(t("menu.zone"), callback.zonePicker.pack())
    .text(t("menu.notices"), callback.notices.pack())
    .row()
    .text(t("menu.privacy"), callback.privacy.pack());
}

/** The way back from every screen. */
export function homeButton(t: Translate): InlineKeyboard {
  return new InlineKeyboard().text(t("menu.home"), callback.menu.pack());
}

/** The main menu, optionally under a line that says what just happened. */
export async function showMainMenu(ctx: HamrohContext, intro?: string): Promise<void> {
  const text = [intro, `<b>${ctx.t("menu.title")}</b>`, ctx.t("menu.searchHint")].filter(Boolean).join("\n\n");
  await showScreen(ctx, text, mainMenuKeyboard(ctx.t));
}

/** For buttons whose data is unknown, out of date or forged. */
export function showExpired(ctx: HamrohContext): Promise<void> {
  return showMainMenu(ctx, ctx.t("fallback.expired"));
}
