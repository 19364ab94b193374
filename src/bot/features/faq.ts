import { Composer, InlineKeyboard } from "grammy";
import { DateTime } from "luxon";
import { INTL_LOCALE } from "../../i18n.js";
import { isSearchable, searchFaq } from "../../faq/search.js";
import { callback } from "../callbacks.js";
import type { RegisteredContext } from "../context.js";
import { homeButton } from "../menu.js";
import { escapeHtml, showScreen } from "../respond.js";
import { showExpired } from "./fallback.js";

/** Only the beginning of a very long message is searched (and it is said so). */
const MAX_QUERY_LENGTH = 300;
/** Button labels longer than this are cut; Telegram shows about this much on a small phone. */
const MAX_LABEL_LENGTH = 60;

/** The rights FAQ: categories → questions → answer, votes, and typed questions. */
export const faqFeature = new Composer<RegisteredContext>();

const catalogOf = (ctx: RegisteredContext) => ctx.deps.faq[ctx.locale].catalog;

faqFeature.command("faq", (ctx) => showCategories(ctx));
faqFeature.callbackQuery(callback.faqCategories, (ctx) => showCategories(ctx));

faqFeature.callbackQuery(/^faq:c:([a-z0-9-]+)$/, async (ctx) => {
  const category = catalogOf(ctx).categories.find((candidate) => candidate.id === ctx.match[1]);
  if (!category) return showExpired(ctx);
  const keyboard = new InlineKeyboard();
  for (const question of category.questions) keyboard.text(label(question.question), callback.faqQuestion(question.id)).row();
  keyboard.text(ctx.t("menu.back"), callback.faqCategories).text(ctx.t("menu.home"), callback.menu);
  await showScreen(ctx, ctx.t("faq.questions", { category: category.title }), keyboard);
});

faqFeature.callbackQuery(/^faq:q:([a-z0-9-]+)$/, async (ctx) => {
  const question = catalogOf(ctx).questions.get(ctx.match[1]!);
  if (!question) return showExpired(ctx);
  ctx.deps.faqViews.count(question.id);
  const reviewed = DateTime.fromISO(question.reviewed).setLocale(INTL_LOCALE[ctx.locale]).toLocaleString(DateTime.DATE_MED);
  const text = [
    `<b>${escapeHtml(question.question)}</b>`,
    escapeHtml(question.answer),
    question.volatile ? ctx.t("faq.volatile") : undefined,
    ctx.t("faq.general", { phone: ctx.deps.hotline.phoneDisplay }),
    `<i>${ctx.t("faq.reviewed", { date: reviewed })}</i>`,
    ctx.t("faq.helpfulAsk"),
  ]
    .filter(Boolean)
    .join("\n\n");
  const keyboard = new InlineKeyboard()
    .text(ctx.t("faq.helpfulYes"), callback.faqVote(question.id, true))
    .text(ctx.t("faq.helpfulNo"), callback.faqVote(question.id, false))
    .row()
    .text(ctx.t("faq.askAbout"), callback.askAbout(question.id))
    .row()
    .text(ctx.t("menu.back"), callback.faqCategory(question.categoryId))
    .text(ctx.t("menu.home"), callback.menu);
  await showScreen(ctx, text, keyboard);
});

faqFeature.callbackQuery(/^faq:v:([a-z0-9-]+):([yn])$/, async (ctx) => {
  const question = catalogOf(ctx).questions.get(ctx.match[1]!);
  if (!question) return showExpired(ctx);
  const helpful = ctx.match[2] === "y";
  // One vote per person and question: tapping again replaces the earlier vote.
  await ctx.deps.db.$executeRaw`INSERT INTO FaqVote (userId, questionId, helpful, votedAt) VALUES (${ctx.user.id}, ${question.id}, ${helpful}, ${new Date()})
    ON CONFLICT (userId, questionId) DO UPDATE SET helpful = excluded.helpful, votedAt = excluded.votedAt`;
  await ctx.answerCallbackQuery({ text: ctx.t("faq.thanks") });
});

/** A typed message is a question: search the FAQ in the user's language. */
faqFeature.on("message:text").filter(
  (ctx) => !ctx.message.text.startsWith("/"),
  async (ctx) => {
    const text = ctx.message.text;
    const tooLong = text.length > MAX_QUERY_LENGTH;
    const query = text.slice(0, MAX_QUERY_LENGTH);
    if (!isSearchable(query)) {
      await ctx.reply(ctx.t("faq.searchTooShort"), { reply_markup: homeButton(ctx.t) });
      return;
    }
    const catalog = catalogOf(ctx);
    const matches = searchFaq(ctx.deps.faq[ctx.locale].index, query);
    const note = tooLong ? `${ctx.t("faq.searchTooLong")}\n\n` : "";
    if (matches.length === 0) {
      const keyboard = new InlineKeyboard()
        .text(ctx.t("menu.ask"), callback.ask)
        .row()
        .text(ctx.t("menu.hotline"), callback.hotline)
        .text(ctx.t("menu.faq"), callback.faqCategories)
        .row()
        .text(ctx.t("menu.home"), callback.menu);
      await ctx.reply(note + ctx.t("faq.searchNone", { phone: ctx.deps.hotline.phoneDisplay }), { reply_markup: keyboard });
      return;
    }
    const keyboard = new InlineKeyboard();
    for (const id of matches) keyboard.text(label(catalog.questions.get(id)!.question), callback.faqQuestion(id)).row();
    keyboard.text(ctx.t("menu.faq"), callback.faqCategories).text(ctx.t("menu.home"), callback.menu);
    await ctx.reply(note + ctx.t("faq.searchResults"), { reply_markup: keyboard });
  },
);

async function showCategories(ctx: RegisteredContext): Promise<void> {
  const keyboard = new InlineKeyboard();
  for (const category of catalogOf(ctx).categories) keyboard.text(category.title, callback.faqCategory(category.id)).row();
  keyboard.text(ctx.t("menu.home"), callback.menu);
  await showScreen(ctx, ctx.t("faq.categories"), keyboard);
}

function label(text: string): string {
  return text.length > MAX_LABEL_LENGTH ? `${text.slice(0, MAX_LABEL_LENGTH - 1)}…` : text;
}
