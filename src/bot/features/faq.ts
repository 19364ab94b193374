import { Composer, InlineKeyboard } from "grammy";
import { DateTime } from "luxon";
import type { Content } from "../../content.js";
import { directoryLinkButton, needOfQuestion } from "../../directory/buttons.js";
import { answerFor, type FaqQuestion, renderAnswer } from "../../faq/catalog.js";
import { isSearchable, searchFaq } from "../../faq/search.js";
import type { UnmatchedQueryLog } from "../../faq/unmatched.js";
import type { FaqViewCounter } from "../../faq/views.js";
import type { FaqVotes } from "../../faq/votes.js";
import { INTL_LOCALE } from "../../i18n.js";
import type { Clock } from "../../shared/clock.js";
import { escapeHtml } from "../../shared/html.js";
import { citizenshipGroupOf, isCitizenship } from "../../users/citizenship.js";
import type { UserStore } from "../../users/store.js";
import { callback } from "../callbacks.js";
import type { RegisteredContext } from "../context.js";
import { citizenshipButtons, citizenshipSaved } from "../views/citizenship.js";
import { weeklyHours } from "../views/hotline.js";
import { homeButton, showExpired, showMainMenu } from "../views/menu.js";
import { showScreen } from "../views/screen.js";

/** Only the beginning of a very long message is searched (and it is said so). */
const MAX_QUERY_LENGTH = 300;

export interface FaqDeps {
  faq: Content["faq"];
  /** Typed questions that found nothing, counted for the NGO's writers (issue 13, point 7). */
  unmatchedQueries?: UnmatchedQueryLog;
  hotline: Content["hotline"];
  users: UserStore;
  views: FaqViewCounter;
  votes: FaqVotes;
  clock: Clock;
}

/** The rights FAQ: categories → questions → answer, votes, and typed questions. */
export function faqFeature(deps: FaqDeps): Composer<RegisteredContext> {
  const { faq, hotline, users, views, votes, clock } = deps;
  const feature = new Composer<RegisteredContext>();
  const catalogOf = (ctx: RegisteredContext) => faq[ctx.locale].catalog;

  feature.command("faq", (ctx) => showCategories(ctx, catalogOf(ctx)));
  feature.callbackQuery(callback.faqCategories.trigger, (ctx) => showCategories(ctx, catalogOf(ctx)));

  feature.callbackQuery(callback.faqCategory.trigger, async (ctx) => {
    const { categoryId } = callback.faqCategory.unpack(ctx.callbackQuery.data)!;
    const category = catalogOf(ctx).categories.find((candidate) => candidate.id === categoryId);
    if (!category) return showExpired(ctx);
    const keyboard = new InlineKeyboard();
    // Short labels fit a small phone; the full question heads the answer.
    for (const question of category.questions) keyboard.text(question.short, callback.faqQuestion.pack({ questionId: question.id })).row();
    keyboard.text(ctx.t("menu.back"), callback.faqCategories.pack()).text(ctx.t("menu.home"), callback.menu.pack());
    await showScreen(ctx, ctx.t("faq.questions", { category: category.title }), keyboard);
  });

  feature.callbackQuery(callback.faqQuestion.trigger, async (ctx) => {
    const { questionId } = callback.faqQuestion.unpack(ctx.callbackQuery.data)!;
    const question = catalogOf(ctx).questions.get(questionId);
    if (!question) return showExpired(ctx);
    views.count(question.id);
    await showAnswer(ctx, question);
  });

  // The citizenship, chosen under an answer that depends on it: saved, and the answer shown for it.
  feature.callbackQuery(callback.setCitizenshipFor.trigger, async (ctx) => {
    const { citizenship, questionId } = callback.setCitizenshipFor.unpack(ctx.callbackQuery.data)!;
    const question = catalogOf(ctx).questions.get(questionId);
    if (!question) return showExpired(ctx);
    ctx.user = await users.update(ctx.user, { citizenship });
    await showAnswer(ctx, question, citizenshipSaved(ctx, citizenship));
  });

  /**
   * An answer: the variant for the user's citizenship where the rules differ (until they say
   * which, the general answer with the citizenship buttons above the others), hours from the
   * hotline's configuration, and how fresh and how reliable it is.
   */
  const showAnswer = async (ctx: RegisteredContext, question: FaqQuestion, intro?: string) => {
    const citizenship = isCitizenship(ctx.user.citizenship) ? ctx.user.citizenship : undefined;
    const group = citizenshipGroupOf(citizenship);
    const dependsOnCitizenship = question.variants !== undefined;
    const answer = renderAnswer(answerFor(question, group), { hotlineHours: weeklyHours(ctx, hotline.schedule).replace(/\n/g, "; ") });
    const reviewed = DateTime.fromISO(question.reviewed).setLocale(INTL_LOCALE[ctx.locale]).toLocaleString(DateTime.DATE_MED);
    const text = [
      intro,
      `<b>${escapeHtml(question.question)}</b>`,
      dependsOnCitizenship && group && citizenship
        ? `<i>${ctx.t("citizenship.shownFor", { country: ctx.t(`citizenship.name.${citizenship}`) })}</i>`
        : undefined,
      escapeHtml(answer),
      question.volatile ? ctx.t("faq.volatile") : undefined,
      // The phone once per screen: an answer that names it already gets the footer without it.
      answer.includes(hotline.phoneDisplay) ? ctx.t("faq.generalNoPhone") : ctx.t("faq.general", { phone: hotline.phoneDisplay }),
      `<i>${ctx.t("faq.reviewed", { date: reviewed })}</i>`,
      dependsOnCitizenship && !citizenship ? ctx.t("citizenship.ask") : ctx.t("faq.helpfulAsk"),
    ]
      .filter(Boolean)
      .join("\n\n");
    const keyboard =
      dependsOnCitizenship && !citizenship
        ? citizenshipButtons(ctx, (value) => callback.setCitizenshipFor.pack({ citizenship: value, questionId: question.id })).row()
        : new InlineKeyboard();
    keyboard
      .text(ctx.t("faq.helpfulYes"), callback.faqVote.pack({ questionId: question.id, helpful: true }))
      .text(ctx.t("faq.helpfulNo"), callback.faqVote.pack({ questionId: question.id, helpful: false }))
      .row()
      .text(ctx.t("faq.askAbout"), callback.askAbout.pack({ questionId: question.id }))
      .row();
    // Detention or a lost passport leads to a consulate, trafficking to shelters and IOM, near the user.
    const need = needOfQuestion(question);
    if (need) keyboard.add(directoryLinkButton(ctx.t, need)).row();
    keyboard
      .text(ctx.t("menu.back"), callback.faqCategory.pack({ categoryId: question.categoryId }))
      .text(ctx.t("menu.home"), callback.menu.pack());
    await showScreen(ctx, text, keyboard);
  };

  feature.callbackQuery(callback.faqVote.trigger, async (ctx) => {
    const { questionId, helpful } = callback.faqVote.unpack(ctx.callbackQuery.data)!;
    const question = catalogOf(ctx).questions.get(questionId);
    if (!question) return showExpired(ctx);
    await votes.vote(ctx.user.id, question.id, helpful, clock.now().toJSDate());
    await ctx.answerCallbackQuery({ text: ctx.t("faq.thanks") });
  });

  /** A typed message is a question: search the FAQ in the user's language. */
  const answer = searchReply(deps);
  feature.on("message:text").filter(
    (ctx) => !ctx.message.text.startsWith("/"),
    (ctx) => answer(ctx, ctx.message.text),
  );
  return feature;
}

/**
 * The answer to a typed question: the best-matching FAQ answers in the user's language, a
 * friendly word for a greeting or thanks, or — when nothing fits well — the offer to ask a lawyer.
 * Used for typed messages, and for a message a user wrote before choosing a language or while a
 * request was open.
 */
export function searchReply({ faq, hotline, unmatchedQueries }: FaqDeps) {
  return async (ctx: RegisteredContext, text: string): Promise<void> => {
    const tooLong = text.length > MAX_QUERY_LENGTH;
    const query = text.slice(0, MAX_QUERY_LENGTH);
    if (!isSearchable(query)) {
      await ctx.reply(ctx.t("faq.searchTooShort"), { reply_markup: homeButton(ctx.t) });
      return;
    }
    const catalog = faq[ctx.locale].catalog;
    const index = faq[ctx.locale].index;
    const result = searchFaq(index, query);
    const note = tooLong ? `${ctx.t("faq.searchTooLong")}\n\n` : "";
    // "Салом", "спасибо": a friendly answer with the menu, not a failed search.
    if (result.kind === "greeting") return showMainMenu(ctx, ctx.t("welcome"));
    if (result.kind === "thanks") return showMainMenu(ctx, escapeHtml(index.thanksReply));
    if (result.kind === "none") {
      // Nothing fits well enough: no guesses, but the offer to ask a lawyer (and, privately, a count for the writers).
      const keyboard = new InlineKeyboard()
        .text(ctx.t("menu.ask"), callback.ask.pack())
        .row()
        .text(ctx.t("menu.hotline"), callback.hotline.pack())
        .text(ctx.t("menu.faq"), callback.faqCategories.pack())
        .row()
        .text(ctx.t("menu.home"), callback.menu.pack());
      await ctx.reply(note + ctx.t("faq.searchNone", { phone: hotline.phoneDisplay }), { reply_markup: keyboard });
      if (result.meaningful) await unmatchedQueries?.record(query, ctx.user.telegramId, ctx.locale);
      return;
    }
    const matches = result.ids;
    const keyboard = new InlineKeyboard();
    for (const id of matches) keyboard.text(catalog.questions.get(id)!.short, callback.faqQuestion.pack({ questionId: id })).row();
    keyboard.text(ctx.t("menu.faq"), callback.faqCategories.pack()).text(ctx.t("menu.home"), callback.menu.pack());
    await ctx.reply(note + ctx.t("faq.searchResults"), { reply_markup: keyboard });
  };
}

async function showCategories(ctx: RegisteredContext, catalog: Content["faq"][keyof Content["faq"]]["catalog"]): Promise<void> {
  const keyboard = new InlineKeyboard();
  for (const category of catalog.categories) keyboard.text(category.title, callback.faqCategory.pack({ categoryId: category.id })).row();
  keyboard.text(ctx.t("menu.home"), callback.menu.pack());
  await showScreen(ctx, ctx.t("faq.categories"), keyboard);
}
