import { Composer, InlineKeyboard } from "grammy";
import { DateTime } from "luxon";
import { emergencyDirectoryLinks } from "../../directory/buttons.js";
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

/**
 * 112 first (it works at any hour, the hotline does not), then what to do in each case in one
 * short line, then the other numbers, tappable. Kept short for a small screen.
 */
async function showEmergency(ctx: HamrohContext, { contacts, reviewed }: EmergencyContacts): Promise<void> {
  const situations = ["danger", "passportTaken", "detained", "notPaid"].map((key) => ctx.t(`emergency.${key}`));
  // One line per country ("Russia: 102 police · 103 ambulance · 101 fire"); other contacts on their own line.
  const byCountry = new Map<string, string[]>();
  const others: string[] = [];
  for (const contact of contacts.filter((entry) => entry.number !== "112")) {
    const country = /^(ru|tj)-\d+$/.exec(contact.id)?.[1];
    if (!country) others.push(`• ${ctx.t(`emergency.contact.${contact.id}`)}: <b>${contact.number}</b>`);
    else
      byCountry.set(country, [...(byCountry.get(country) ?? []), `<b>${contact.number}</b> ${ctx.t(`emergency.service.${contact.id}`)}`]);
  }
  for (const [country, numbers] of byCountry) others.push(`• ${ctx.t(`emergency.country.${country}`)}: ${numbers.join(" · ")}`);
  const checked = DateTime.fromISO(reviewed).setLocale(INTL_LOCALE[ctx.locale]).toLocaleString(DateTime.DATE_MED);
  const text = [
    `<b>${ctx.t("emergency.title")}</b>`,
    ctx.t("emergency.call112"),
    situations.join("\n"),
    `<b>${ctx.t("emergency.contactsTitle")}</b>\n${others.join("\n")}`,
    `<i>${ctx.t("emergency.checked", { date: checked })}</i>`,
  ].join("\n\n");
  const keyboard = new InlineKeyboard()
    .add(...emergencyDirectoryLinks(ctx.t))
    .row()
    .text(ctx.t("menu.hotline"), callback.hotline.pack())
    .text(ctx.t("menu.faq"), callback.faqCategories.pack())
    .row()
    .text(ctx.t("menu.home"), callback.menu.pack());
  await showScreen(ctx, text, keyboard);
}
