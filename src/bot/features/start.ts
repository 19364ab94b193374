import { Composer, InlineKeyboard } from "grammy";
import { LOCALES, isLocale } from "../../i18n.js";
import { callback } from "../callbacks.js";
import type { HamrohContext } from "../context.js";
import { showMainMenu } from "../menu.js";
import { showScreen } from "../respond.js";
import { showExpired } from "./fallback.js";

/** /start, the main menu and the language picker; works before a language is chosen. */
export const startFeature = new Composer<HamrohContext>();

startFeature.command("start", async (ctx) => {
  if (!ctx.user) return showLanguagePicker(ctx);
  await leaveDialog(ctx);
  await showMainMenu(ctx, ctx.t("welcome"));
});

startFeature.callbackQuery(callback.menu, async (ctx) => {
  await leaveDialog(ctx);
  await showMainMenu(ctx);
});

/** Going to the main menu leaves an unfinished dialog (its draft is dropped, as the user chose). */
async function leaveDialog(ctx: HamrohContext): Promise<void> {
  if (Object.keys(ctx.conversation.active()).length > 0) await ctx.conversation.exitAll();
}
startFeature.command("language", (ctx) => showLanguagePicker(ctx));
startFeature.callbackQuery(callback.languagePicker, (ctx) => showLanguagePicker(ctx));

startFeature.callbackQuery(/^lang:(.+)$/, async (ctx) => {
  const locale = ctx.match[1];
  if (!isLocale(locale)) return showExpired(ctx);
  const firstChoice = !ctx.user;
  ctx.user = await ctx.deps.users.chooseLanguage(BigInt(ctx.from.id), locale, ctx.deps.now().toJSDate());
  ctx.locale = locale;
  ctx.t = ctx.deps.translate[locale];
  const saved = ctx.t("language.saved");
  await showMainMenu(ctx, firstChoice ? `${saved}\n\n${ctx.t("welcome")}` : saved);
});

/**
 * First contact: until someone has chosen a language, whatever else they send or press shows
 * the picker (installed after the features that need a profile).
 */
export async function askLanguageFirst(ctx: HamrohContext): Promise<void> {
  await showLanguagePicker(ctx);
}

/** Each prompt in its own language (the user may not read the suggested one); the suggestion is marked. */
async function showLanguagePicker(ctx: HamrohContext): Promise<void> {
  const { i18n } = ctx.deps;
  const text = LOCALES.map((locale) => i18n.t("language.prompt", { lng: locale })).join("\n");
  const keyboard = new InlineKeyboard();
  for (const locale of LOCALES) {
    const name = i18n.t("language.name", { lng: locale });
    keyboard.text(locale === ctx.locale ? `✅ ${name}` : name, callback.setLanguage(locale)).row();
  }
  await showScreen(ctx, `🌐 ${text}`, keyboard);
}
