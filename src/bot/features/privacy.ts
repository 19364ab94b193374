import { Composer, InlineKeyboard, InputFile } from "grammy";
import { DateTime } from "luxon";
import { INTL_LOCALE } from "../../i18n.js";
import { eraseUser } from "../../privacy/erase.js";
import { referenceOf } from "../../requests/domain.js";
import { callback } from "../callbacks.js";
import type { RegisteredContext } from "../context.js";
import { escapeHtml, showScreen } from "../respond.js";
import { requestCard, type StaffView } from "../staff-card.js";

/** Telegram's limit for one message; a longer /mydata comes as a file. */
const MESSAGE_LIMIT = 4000;

/** What is stored and why (/privacy), all of it (/mydata), and erasing it (/forget). */
export function privacyFeature(staffView: StaffView): Composer<RegisteredContext> {
  const feature = new Composer<RegisteredContext>();

  feature.command("privacy", (ctx) => showPrivacy(ctx));
  feature.callbackQuery(callback.privacy, (ctx) => showPrivacy(ctx));
  feature.command("mydata", (ctx) => sendMyData(ctx));
  feature.callbackQuery(callback.myData, async (ctx) => {
    await ctx.answerCallbackQuery();
    await sendMyData(ctx);
  });
  feature.command("forget", (ctx) => askToForget(ctx));
  feature.callbackQuery(callback.forget, (ctx) => askToForget(ctx));
  feature.callbackQuery(callback.forgetConfirmed, async (ctx) => {
    await ctx.answerCallbackQuery();
    if (Object.keys(ctx.conversation.active()).length > 0) await ctx.conversation.exitAll();
    const closed = await eraseUser(ctx.deps.db, ctx.user.id, ctx.deps.now().toJSDate());
    ctx.deps.users.forget(ctx.user.telegramId);
    for (let i = 0; i < closed.length; i++) await ctx.deps.openRequests.closed(ctx.user.id);
    await ctx.editMessageText(ctx.t("privacy.erased")).catch(() => ctx.reply(ctx.t("privacy.erased")));
    // The lawyers' cards say so; the request keeps only anonymous figures.
    const staffChat = ctx.deps.staff.chatId;
    for (const request of closed) {
      if (staffChat === undefined || request.staffMessageId === null) continue;
      const row = await ctx.deps.db.consultationRequest.findUniqueOrThrow({ where: { id: request.id } });
      await ctx.api
        .editMessageText(staffChat, request.staffMessageId, requestCard(staffView, row), { parse_mode: "HTML" })
        .catch((error: unknown) => ctx.deps.logger.warn({ request: request.id, err: error }, "card not updated after erasure"));
    }
  });
  return feature;
}

async function showPrivacy(ctx: RegisteredContext): Promise<void> {
  const keyboard = new InlineKeyboard()
    .text(ctx.t("privacy.myDataButton"), callback.myData)
    .row()
    .text(ctx.t("privacy.forgetButton"), callback.forget)
    .row()
    .text(ctx.t("menu.home"), callback.menu);
  await showScreen(ctx, ctx.t("privacy.text", { days: ctx.deps.retentionDays }), keyboard);
}

async function askToForget(ctx: RegisteredContext): Promise<void> {
  const keyboard = new InlineKeyboard().text(ctx.t("privacy.forgetYes"), callback.forgetConfirmed).row().text(ctx.t("privacy.forgetNo"), callback.menu);
  await showScreen(ctx, ctx.t("privacy.forgetConfirm"), keyboard);
}

/** Everything stored about the user, readable. */
async function sendMyData(ctx: RegisteredContext): Promise<void> {
  const { db } = ctx.deps;
  const user = ctx.user;
  const date = (value: Date | null) => (value ? DateTime.fromJSDate(value).setLocale(INTL_LOCALE[ctx.locale]).toLocaleString(DateTime.DATETIME_MED) : "—");
  const [requests, votes, notices] = await Promise.all([
    db.consultationRequest.findMany({ where: { userId: user.id }, include: { attachments: true, messages: true }, orderBy: { id: "asc" } }),
    db.faqVote.count({ where: { userId: user.id } }),
    db.broadcastDelivery.count({ where: { userId: user.id } }),
  ]);
  const lines = [
    ctx.t("privacy.dataTitle"),
    "",
    ctx.t("privacy.dataProfile", {
      id: user.telegramId.toString(),
      language: ctx.deps.i18n.t("language.name", { lng: user.language }),
      zone: user.timeZone ?? "—",
      city: user.city ? ctx.t(`zone.city.${user.city}`) : "—",
      notices: ctx.t(user.noticesOff ? "privacy.off" : "privacy.on"),
      since: date(user.createdAt),
      votes,
      noticesReceived: notices,
      interpolation: { escapeValue: false },
    }),
    ...requests.map((request) =>
      [
        "",
        `${referenceOf(request.id)} · ${date(request.createdAt)} · ${ctx.t(`topic.${request.topic}`)} · ${ctx.t(`requests.status.${request.status}`)}`,
        `${ctx.t("ask.summaryPlace")}: ${ctx.t(`country.${request.country}`)}${request.city ? `, ${request.city}` : ""}`,
        request.phone ? `${ctx.t("ask.summaryReply")}: ${request.phone}` : undefined,
        `${ctx.t("ask.summaryQuestion")}: ${request.question}`,
        request.attachments.length > 0 ? `${ctx.t("ask.summaryAttachments")}: ${request.attachments.length}` : undefined,
        request.messages.length > 0 ? ctx.t("privacy.dataMessages", { count: request.messages.length }) : undefined,
        request.rating ? `★ ${request.rating}` : undefined,
      ]
        .filter((line) => line !== undefined)
        .join("\n"),
    ),
  ];
  const text = lines.join("\n");
  if (text.length <= MESSAGE_LIMIT) {
    await ctx.reply(escapeHtml(text), { parse_mode: "HTML", protect_content: true });
  } else {
    await ctx.replyWithDocument(new InputFile(Buffer.from(text, "utf8"), "hamroh-my-data.txt"), { protect_content: true });
  }
}
