import { Composer, InlineKeyboard } from "grammy";
import { LOCALES, isLocale } from "../../i18n.js";
import { callback } from "../callbacks.js";
import type { HamrohContext } from "../context.js";
import { showMainMenu } from "../menu.js";
import { showScreen } from "../respond.js";
import { showExpired } from "./fallback.js";

/** /start, the main menu and the language picker. */
export const startFeature = new Composer<HamrohContext>();

startFeature.command("start", async (ctx) => {
  if (!ctx.user.language) return showLanguagePicker(ctx);
  await showMainMenu(ctx, ctx.t("welcome"));
});

startFeature.callbackQuery(callback.menu, (ctx) => showMainMenu(ctx));
startFeature.command("language", (ctx) => showLanguagePicker(ctx));
startFeature.callbackQuery(callback.languagePicker, (ctx) => showLanguagePicker(ctx));

startFeature.callbackQuery(/^lang:(.+)$/, async (ctx) => {
  const locale = ctx.match[1];
  if (!isLocale(locale)) return showExpired(ctx);
  const firstChoice = !ctx.user.language;
  ctx.user = await ctx.deps.db.user.update({ where: { id: ctx.user.id }, data: { language: locale } });
  ctx.locale = locale;
  ctx.t = ctx.deps.i18n.getFixedT(locale);
  const saved = ctx.t("language.saved");
  await showMainMenu(ctx, firstChoice ? `${saved}\n\n${ctx.t("welcome")}` : saved);
});

/** Until someone has chosen a language, whatever they send first shows the picker. */
startFeature.on("message", async (ctx, next) => {
  if (ctx.user.language) return next();
  await showLanguagePicker(ctx);
});

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
