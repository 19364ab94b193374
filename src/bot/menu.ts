import { InlineKeyboard } from "grammy";
import { callback } from "./callbacks.js";
import type { HamrohContext } from "./context.js";
import { showScreen } from "./respond.js";
import type { Translate } from "../i18n.js";

export function mainMenuKeyboard(t: Translate): InlineKeyboard {
  return new InlineKeyboard()
    .text(t("menu.faq"), callback.faqCategories)
    .text(t("menu.hotline"), callback.hotline)
    .row()
    .text(t("menu.ask"), callback.ask)
    .text(t("menu.myRequests"), callback.myRequests)
    .row()
    .text(t("menu.emergency"), callback.emergency)
    .row()
    .text(t("menu.language"), callback.languagePicker)
    .text(t("menu.zone"), callback.zonePicker)
    .row()
    .text(t("menu.notices"), callback.notices)
    .text(t("menu.privacy"), callback.privacy);
}

/** The way back from every screen. */
export function homeButton(t: Translate): InlineKeyboard {
  return new InlineKeyboard().text(t("menu.home"), callback.menu);
}

/** The main menu, optionally under a line that says what just happened. */
export async function showMainMenu(ctx: HamrohContext, intro?: string): Promise<void> {
  const text = [intro, `<b>${ctx.t("menu.title")}</b>`, ctx.t("menu.searchHint")].filter(Boolean).join("\n\n");
  await showScreen(ctx, text, mainMenuKeyboard(ctx.t));
}
