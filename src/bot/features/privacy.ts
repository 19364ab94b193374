import { Composer, InlineKeyboard, InputFile, type Api } from "grammy";
import { DateTime } from "luxon";
import type { Logger } from "pino";
import type { StaffConfig } from "../../config.js";
import type { i18n } from "i18next";
import { INTL_LOCALE } from "../../i18n.js";
import { collectMyData } from "../../privacy/my-data.js";
import { referenceOf } from "../../requests/domain.js";
import type { RequestLifecycle } from "../../requests/lifecycle.js";
import { requestCard, type StaffView } from "../../requests/staff/card.js";
import type { Clock } from "../../shared/clock.js";
import { escapeHtml } from "../../shared/html.js";
import type { UserStore } from "../../users/store.js";
import { callback } from "../callbacks.js";
import type { RegisteredContext } from "../context.js";
import { showScreen } from "../views/screen.js";

/** Telegram's limit for one message; a longer /mydata comes as a file. */
const MESSAGE_LIMIT = 4000;

export interface PrivacyDeps {
  i18n: i18n;
  users: UserStore;
  requests: RequestLifecycle;
  /** Reads everything stored about a user for /mydata. */
  myData: (userId: number) => ReturnType<typeof collectMyData>;
  retentionDays: number;
  staff: StaffConfig;
  staffView: StaffView;
  logger: Logger;
  clock: Clock;
}

/** What is stored and why (/privacy), all of it (/mydata), and erasing it (/forget). */
export function privacyFeature(deps: PrivacyDeps): Composer<RegisteredContext> {
  const feature = new Composer<RegisteredContext>();
  const showPrivacy = (ctx: RegisteredContext) => showPrivacyScreen(ctx, deps.retentionDays);

  feature.command("privacy", showPrivacy);
  feature.callbackQuery(callback.privacy.trigger, showPrivacy);
  feature.command("mydata", (ctx) => sendMyData(ctx, deps));
  feature.callbackQuery(callback.myData.trigger, async (ctx) => {
    await ctx.answerCallbackQuery();
    await sendMyData(ctx, deps);
  });
  feature.command("forget", askToForget);
  feature.callbackQuery(callback.forget.trigger, askToForget);
  feature.callbackQuery(callback.forgetConfirmed.trigger, async (ctx) => {
    await ctx.answerCallbackQuery();
    if (Object.keys(ctx.conversation.active()).length > 0) await ctx.conversation.exitAll();
    const closed = await deps.requests.eraseUser(ctx.user.id, deps.clock.now().toJSDate());
    deps.users.forget(ctx.user.telegramId);
    await ctx.editMessageText(ctx.t("privacy.erased")).catch(() => ctx.reply(ctx.t("privacy.erased")));
    // The lawyers' cards say so; the request keeps only anonymous figures.
    for (const request of closed) await updateCardAfterErasure(ctx.api, deps, request);
  });
  return feature;
}

async function updateCardAfterErasure(api: Api, { staff, staffView, requests, logger }: PrivacyDeps, request: { id: number; staffMessageId: number | null }): Promise<void> {
  if (staff.chatId === undefined || request.staffMessageId === null) return;
  const row = await requests.store.find(request.id);
  if (!row) return;
  await api
    .editMessageText(staff.chatId, request.staffMessageId, requestCard(staffView, row), { parse_mode: "HTML" })
    .catch((error: unknown) => logger.warn({ request: request.id, err: error }, "card not updated after erasure"));
}

async function showPrivacyScreen(ctx: RegisteredContext, retentionDays: number): Promise<void> {
  const keyboard = new InlineKeyboard()
    .text(ctx.t("privacy.myDataButton"), callback.myData.pack())
    .row()
    .text(ctx.t("privacy.forgetButton"), callback.forget.pack())
    .row()
    .text(ctx.t("menu.home"), callback.menu.pack());
  await showScreen(ctx, ctx.t("privacy.text", { days: retentionDays }), keyboard);
}

async function askToForget(ctx: RegisteredContext): Promise<void> {
  const keyboard = new InlineKeyboard().text(ctx.t("privacy.forgetYes"), callback.forgetConfirmed.pack()).row().text(ctx.t("privacy.forgetNo"), callback.menu.pack());
  await showScreen(ctx, ctx.t("privacy.forgetConfirm"), keyboard);
}

/** Everything stored about the user, readable. */
async function sendMyData(ctx: RegisteredContext, deps: PrivacyDeps): Promise<void> {
  const user = ctx.user;
  const date = (value: Date | null) => (value ? DateTime.fromJSDate(value).setLocale(INTL_LOCALE[ctx.locale]).toLocaleString(DateTime.DATETIME_MED) : "—");
  const { requests, votes, noticesReceived } = await deps.myData(user.id);
  const lines = [
    ctx.t("privacy.dataTitle"),
    "",
    ctx.t("privacy.dataProfile", {
      id: user.telegramId.toString(),
      language: deps.i18n.t("language.name", { lng: user.language }),
      zone: user.timeZone ?? "—",
      city: user.city ? ctx.t(`zone.city.${user.city}`) : "—",
      notices: ctx.t(user.noticesOff ? "privacy.off" : "privacy.on"),
      since: date(user.createdAt),
      votes,
      noticesReceived,
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
