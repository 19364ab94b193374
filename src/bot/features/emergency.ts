import { Composer, InlineKeyboard } from "grammy";
import { DateTime } from "luxon";
import type { EmergencyContacts } from "../../emergency/contacts.js";
import { INTL_LOCALE } from "../../i18n.js";
import { callback } from "../callbacks.js";
import type { HamrohContext } from "../context.js";
import { showScreen } from "../views/screen.js";

/** What to do right now and whom to call — one tap from the menu and /help, at any hour. */
export function emergencyFeature(emergency: EmergencyContacts): Composer<HamrohContext> {
  const feature = new Composer<HamrohContext>();
  const show = (ctx: HamrohContext) => showEmergency(ctx, emergency);
  feature.command("help", show);
  feature.callbackQuery(callback.emergency.trigger, show);
  return feature;
}

async function showEmergency(ctx: HamrohContext, { contacts, reviewed }: EmergencyContacts): Promise<void> {
  const situations = ["danger", "passportTaken", "detained", "notPaid"].map((key) => ctx.t(`emergency.${key}`));
  const numbers = contacts.map(
    (contact) => `• ${ctx.t(`emergency.contact.${contact.id}`)}: ${contact.number ? `<b>${contact.number}</b>` : ctx.t("emergency.noNumber")}`,
  );
  const checked = DateTime.fromISO(reviewed).setLocale(INTL_LOCALE[ctx.locale]).toLocaleString(DateTime.DATE_MED);
  const text = [
    `<b>${ctx.t("emergency.title")}</b>`,
    ...situations,
    `<b>${ctx.t("emergency.contactsTitle")}</b>\n${numbers.join("\n")}`,
    `<i>${ctx.t("emergency.checked", { date: checked })}</i>`,
  ].join("\n\n");
  const keyboard = new InlineKeyboard()
    .text(ctx.t("menu.hotline"), callback.hotline.pack())
    .text(ctx.t("menu.faq"), callback.faqCategories.pack())
    .row()
    .text(ctx.t("menu.home"), callback.menu.pack());
  await showScreen(ctx, text, keyboard);
}
