import { Composer, InlineKeyboard, InputFile } from "grammy";
import type { i18n } from "i18next";
import { DateTime } from "luxon";
import type { Logger } from "pino";
import type { Content } from "../../content.js";
import type { DialogStorage } from "../../db/dialog-storage.js";
import { INTL_LOCALE } from "../../i18n.js";
import type { collectMyData } from "../../privacy/my-data.js";
import { referenceOf } from "../../requests/domain.js";
import type { RequestLifecycle } from "../../requests/lifecycle.js";
import type { StaffCleaner } from "../../requests/staff/cleanup.js";
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
  myData: (userId: number, telegramId: bigint) => ReturnType<typeof collectMyData>;
  faq: Content["faq"];
  retentionDays: number;
  /** Deletes what the staff group holds about erased requests. */
  cleaner: StaffCleaner;
  dialogStorage: DialogStorage;
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
    // A draft goes too, whether or not its dialog is active (the plugin keys dialogs by chat).
    await deps.dialogStorage.delete(String(ctx.chat?.id ?? ctx.from.id));
    await deps.requests.eraseUser(ctx.user.id, deps.clock.now().toJSDate());
    deps.users.forget(ctx.user.telegramId);
    await ctx.editMessageText(ctx.t("privacy.erased")).catch(() => ctx.reply(ctx.t("privacy.erased")));
    // The staff group loses the client's messages and files; the cards say the client erased their data.
    await deps.cleaner.run().catch((error: unknown) => deps.logger.error({ err: error }, "staff group cleanup failed; it is retried"));
  });
  return feature;
}

async function showPrivacyScreen(ctx: RegisteredContext, retentionDays: number): Promise<void> {
  const keyboard = new InlineKeyboard()
    .text(ctx.t("privacy.myDataButton"), callback.myData.pack())
    .row()
    .text(ctx.t("privacy.forgetButton"), callback.forget.pack())
    .row()
    .text(ctx.t("menu.home"), callback.menu.pack());
  const citizenship = ctx.user.citizenship
    ? ctx.t("privacy.dataCitizenship", { country: ctx.t(`citizenship.name.${ctx.user.citizenship}`) })
    : undefined;
  await showScreen(ctx, [ctx.t("privacy.text", { days: retentionDays }), citizenship].filter(Boolean).join("\n\n"), keyboard);
}

async function askToForget(ctx: RegisteredContext): Promise<void> {
  const keyboard = new InlineKeyboard()
    .text(ctx.t("privacy.forgetYes"), callback.forgetConfirmed.pack())
    .row()
    .text(ctx.t("privacy.forgetNo"), callback.menu.pack());
  await showScreen(ctx, ctx.t("privacy.forgetConfirm"), keyboard);
}

/** Everything stored about the user, readable. */
async function sendMyData(ctx: RegisteredContext, deps: PrivacyDeps): Promise<void> {
  const user = ctx.user;
  // Times in the user's own zone, when they gave one.
  const date = (value: Date | null) =>
    value
      ? DateTime.fromJSDate(value, { zone: user.timeZone ?? undefined })
          .setLocale(INTL_LOCALE[ctx.locale])
          .toLocaleString(DateTime.DATETIME_MED)
      : "—";
  const yesNo = (value: boolean) => ctx.t(value ? "privacy.yes" : "privacy.no");
  const { requests, votes, noticesReceived, draft } = await deps.myData(user.id, user.telegramId);
  const questions = deps.faq[ctx.locale].catalog.questions;
  const voted = votes.map((vote) => `${questions.get(vote.questionId)?.question ?? vote.questionId} ${vote.helpful ? "👍" : "👎"}`);
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
      votes: votes.length,
      noticesReceived,
      interpolation: { escapeValue: false },
    }),
    user.citizenship
      ? ctx.t("privacy.dataCitizenship", { country: ctx.t(`citizenship.name.${user.citizenship}`), interpolation: { escapeValue: false } })
      : undefined,
    ctx.t("privacy.dataFlags", {
      lastSeen: date(user.lastSeenAt),
      banned: yesNo(user.banned),
      unreachable: yesNo(user.unreachable),
      interpolation: { escapeValue: false },
    }),
    voted.length > 0 ? ctx.t("privacy.dataVotedOn", { questions: voted.join("; "), interpolation: { escapeValue: false } }) : undefined,
    draft ? ctx.t("privacy.dataDraft", { time: date(draft.updatedAt), interpolation: { escapeValue: false } }) : undefined,
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
  const text = lines.filter((line) => line !== undefined).join("\n");
  if (text.length <= MESSAGE_LIMIT) {
    await ctx.reply(escapeHtml(text), { parse_mode: "HTML", protect_content: true });
  } else {
    await ctx.replyWithDocument(new InputFile(Buffer.from(text, "utf8"), "hamroh-my-data.txt"), { protect_content: true });
  }
}
