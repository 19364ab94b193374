import { Composer, InlineKeyboard } from "grammy";
import type { i18n } from "i18next";
import { GENERATED_LOCALES, LOCALES, type Locale, type Translate } from "../../i18n.js";
import type { Clock } from "../../shared/clock.js";
import type { UserStore } from "../../users/store.js";
import { callback, dialogButton } from "../callbacks.js";
import type { HamrohContext, RegisteredContext } from "../context.js";
import { showMainMenu } from "../views/menu.js";
import { showScreen } from "../views/screen.js";

export interface StartDeps {
  i18n: i18n;
  translate: Record<Locale, Translate>;
  users: UserStore;
  clock: Clock;
  firstMessages: FirstMessages;
  /** Answers a typed question (the FAQ search). */
  answerTyped: (ctx: RegisteredContext, text: string) => Promise<void>;
}

/** /start, the main menu and the language picker; works before a language is chosen. */
export function startFeature({ i18n, translate, users, clock, firstMessages, answerTyped }: StartDeps): Composer<HamrohContext> {
  const feature = new Composer<HamrohContext>();
  const showLanguagePicker = (ctx: HamrohContext) => showLanguages(ctx, i18n);

  feature.command("start", async (ctx) => {
    if (!ctx.user) return showLanguagePicker(ctx);
    if (hasDraft(ctx)) return askAboutDraft(ctx);
    await showMainMenu(ctx, ctx.t("welcome"));
  });

  feature.callbackQuery(callback.menu.trigger, async (ctx) => {
    if (hasDraft(ctx)) return askAboutDraft(ctx);
    await showMainMenu(ctx);
  });

  // "Continue" goes on to the dialog itself, which shows its question again; "Discard" drops the draft.
  feature.callbackQuery(dialogButton.discard.trigger, async (ctx) => {
    if (hasDraft(ctx)) await ctx.conversation.exitAll();
    await showMainMenu(ctx, ctx.t("dialog.discarded"));
  });

  feature.command("language", showLanguagePicker);
  feature.callbackQuery(callback.languagePicker.trigger, showLanguagePicker);

  feature.callbackQuery(callback.setLanguage.trigger, async (ctx) => {
    const { locale } = callback.setLanguage.unpack(ctx.callbackQuery.data)!;
    const firstChoice = !ctx.user;
    ctx.user = await users.chooseLanguage(BigInt(ctx.from.id), locale, clock.now().toJSDate());
    ctx.locale = locale;
    ctx.t = translate[locale];
    const saved = ctx.t("language.saved");
    await showMainMenu(ctx, firstChoice ? `${saved}\n\n${ctx.t("welcome")}` : saved);
    // What a newcomer wrote before choosing a language is not lost: it is answered now.
    const first = firstMessages.take(ctx.from.id);
    if (first !== undefined) await answerTyped(ctx as RegisteredContext, first);
  });
  return feature;
}

/** How many newcomers' first messages are kept (in memory) until they choose a language. */
const MAX_FIRST_MESSAGES = 5000;

/** The first message of someone who has not chosen a language yet, answered once they have. */
export class FirstMessages {
  private readonly texts = new Map<number, string>();

  keep(userId: number, text: string): void {
    this.texts.delete(userId);
    this.texts.set(userId, text);
    if (this.texts.size > MAX_FIRST_MESSAGES) this.texts.delete(this.texts.keys().next().value!);
  }

  take(userId: number): string | undefined {
    const text = this.texts.get(userId);
    this.texts.delete(userId);
    return text;
  }
}

const hasDraft = (ctx: HamrohContext) => Object.keys(ctx.conversation.active()).length > 0;

/** /start or the menu in the middle of a dialog: the draft (voice notes included) is never dropped without asking. */
async function askAboutDraft(ctx: HamrohContext): Promise<void> {
  const keyboard = new InlineKeyboard()
    .text(ctx.t("dialog.continue"), dialogButton.continue.pack())
    .row()
    .text(ctx.t("dialog.discard"), dialogButton.discard.pack());
  await showScreen(ctx, ctx.t("dialog.unfinished"), keyboard);
}

/**
 * First contact: until someone has chosen a language, whatever else they send or press shows
 * the picker (installed after the features that need a profile).
 */
export function askLanguageFirst(i18n: i18n, firstMessages: FirstMessages) {
  return (ctx: HamrohContext) => {
    const text = ctx.message?.text;
    if (ctx.from && text && !text.startsWith("/")) firstMessages.keep(ctx.from.id, text);
    return showLanguages(ctx, i18n);
  };
}

/**
 * Each prompt in its own language (the user may not read the suggested one); the suggestion is
 * marked. Uzbek in Cyrillic and in Latin script share a line and a row: "Ўзбекча" · "Oʻzbekcha".
 */
async function showLanguages(ctx: HamrohContext, i18n: i18n): Promise<void> {
  const rows: Locale[][] = [];
  for (const locale of LOCALES) {
    const source = GENERATED_LOCALES[locale];
    const row = source ? rows.find((candidate) => candidate.includes(source)) : undefined;
    if (row) row.push(locale);
    else rows.push([locale]);
  }
  const text = rows.map((row) => row.map((locale) => i18n.t("language.prompt", { lng: locale })).join(" · ")).join("\n");
  const keyboard = new InlineKeyboard();
  for (const row of rows) {
    for (const locale of row) {
      const name = i18n.t("language.name", { lng: locale });
      keyboard.text(locale === ctx.locale ? `✅ ${name}` : name, callback.setLanguage.pack({ locale }));
    }
    keyboard.row();
  }
  await showScreen(ctx, `🌐 ${text}`, keyboard);
}
