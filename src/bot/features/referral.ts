import { Composer, type Context, InlineKeyboard } from "grammy";
import type { Logger } from "pino";
import type { StaffConfig } from "../../config.js";
import { KIND_ICON, serviceCard } from "../../directory/card.js";
import type { Directory, Service } from "../../directory/catalog.js";
import type { DirectoryCounts } from "../../directory/counts.js";
import { cityOfText, referralOptions } from "../../directory/nearest.js";
import type { HotlineConfig } from "../../hotline/config.js";
import { isLocale, type Locale, type Translate } from "../../i18n.js";
import { referenceOf } from "../../requests/domain.js";
import type { RequestLifecycle } from "../../requests/lifecycle.js";
import { requestCard, requestCardKeyboard, type StaffView } from "../../requests/staff/card.js";
import type { LawyerCheck } from "../../requests/staff/lawyers.js";
import type { StaffChatWatermark } from "../../requests/staff/watermark.js";
import type { RequestWithUser } from "../../requests/store.js";
import type { Clock } from "../../shared/clock.js";
import { escapeHtml } from "../../shared/html.js";
import { callbackData, field } from "../../telegram/callback-data.js";
import { classifyTelegramError } from "../../telegram/errors.js";
import { serviceKeyboard } from "./directory.js";

/** The buttons of a /refer offer in the staff group. */
export const referralButton = {
  /** Sends this service to the request's client. */
  pick: callbackData("ref:p", { requestId: field.int, id: field.slug }),
  /** Every service, not only those of the client's country. */
  all: callbackData("ref:all", { requestId: field.int }),
  cancel: callbackData("ref:x", { requestId: field.int }),
} as const;

/** How many services an offer shows before "show all". */
const FIRST_OPTIONS = 8;
const REFERRAL_BUTTONS = /^ref:/;

export interface ReferralDeps {
  staff: StaffConfig;
  view: StaffView;
  requests: RequestLifecycle;
  lawyers: LawyerCheck;
  watermark: StaffChatWatermark;
  translate: Record<Locale, Translate>;
  directory: Directory;
  counts: DirectoryCounts;
  hotline: HotlineConfig;
  clock: Clock;
  logger: Logger;
}

/**
 * Lawyers' /refer, in a request's topic or as a reply to its card: the services for the client's
 * country and city, and the chosen one goes to the client in the client's language (with a map
 * button), with a line on the card. Install it before the staff feature: "/refer" as a reply to a
 * card must never be relayed to the client as text.
 */
export function referralFeature(deps: ReferralDeps): Composer<Context> {
  const { staff, view } = deps;
  const feature = new Composer<Context>();
  const inStaffChat = (ctx: Context) => staff.chatId !== undefined && ctx.chat?.id === staff.chatId;
  const isLawyer = (ctx: Context) => ctx.from !== undefined && !ctx.from.is_bot && deps.lawyers.isLawyer(staff.chatId!, ctx.from.id);

  feature.callbackQuery(REFERRAL_BUTTONS, async (ctx, next) => {
    if (!inStaffChat(ctx)) return void (await ctx.answerCallbackQuery({ text: view.t("staff.onlyStaff"), show_alert: true }));
    if (!(await isLawyer(ctx))) return void (await ctx.answerCallbackQuery({ text: view.t("staff.onlyLawyers"), show_alert: true }));
    return next();
  });
  feature.callbackQuery(referralButton.pick.trigger, (ctx) => send(ctx, deps, referralButton.pick.unpack(ctx.callbackQuery.data)!));
  feature.callbackQuery(referralButton.all.trigger, async (ctx) => {
    const request = await requestOfButton(ctx, deps, referralButton.all.unpack(ctx.callbackQuery.data)!.requestId);
    if (!request) return;
    await ctx.answerCallbackQuery();
    const offer = offerOf(deps, request, true);
    await ctx
      .editMessageText(offer.text, { parse_mode: "HTML", reply_markup: offer.keyboard })
      .catch((error: unknown) => deps.logger.warn({ err: error }, "referral offer not updated"));
  });
  feature.callbackQuery(referralButton.cancel.trigger, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(view.t("referral.cancelled")).catch(() => undefined);
  });
  feature.callbackQuery(REFERRAL_BUTTONS, (ctx) => ctx.answerCallbackQuery({ text: view.t("staff.unknownRequest"), show_alert: true }));

  feature.command("refer", async (ctx, next) => {
    if (!inStaffChat(ctx)) return next();
    const message = ctx.message!;
    deps.watermark.see(message.message_id);
    const answer = (text: string, keyboard?: InlineKeyboard) =>
      ctx.reply(text, {
        parse_mode: "HTML",
        reply_markup: keyboard,
        message_thread_id: message.message_thread_id,
        reply_parameters: { message_id: message.message_id },
      });
    if (!(await isLawyer(ctx))) return void (await answer(view.t("staff.onlyLawyers")));
    const threadId = message.is_topic_message ? message.message_thread_id : undefined;
    // In a forum topic every message "replies" to the topic's first message: that is no reply.
    const repliedToId =
      message.reply_to_message && message.reply_to_message.message_id !== threadId ? message.reply_to_message.message_id : undefined;
    const found = await deps.requests.store.ofStaffMessage(staff.chatId!, { threadId, repliedToId });
    if (!found) return void (await answer(view.t("referral.usage")));
    const refusal = refusalFor(view, found.request);
    if (refusal) return void (await answer(refusal));
    const offer = offerOf(deps, found.request, false);
    await answer(offer.text, offer.keyboard);
  });
  return feature;
}

/** Why nothing can be sent to this request's client, if it cannot. */
function refusalFor(view: StaffView, request: RequestWithUser): string | undefined {
  const reference = referenceOf(request.id);
  if (request.status === "closed") return view.t("staff.replyToClosed", { reference });
  if (!request.user) return view.t("staff.userErased", { reference });
  return undefined;
}

/** The offer: where the client is, and a button per service (theirs first; all of them on request). */
function offerOf({ view, directory }: ReferralDeps, request: RequestWithUser, all: boolean): { text: string; keyboard: InlineKeyboard } {
  const client = { country: request.country, city: request.city, citizenship: request.citizenship };
  const options = all ? referralOptions(directory, { ...client, country: "other" }) : referralOptions(directory, client);
  const shown = all ? options : options.slice(0, FIRST_OPTIONS);
  const city = cityOfText(directory, request.city);
  const place = [view.t(`country.${request.country}`), city ? city.names[view.locale] : request.city ? escapeHtml(request.city) : undefined]
    .filter(Boolean)
    .join(", ");
  const keyboard = new InlineKeyboard();
  for (const service of shown)
    keyboard.text(optionLabel(view, directory, service), referralButton.pick.pack({ requestId: request.id, id: service.id })).row();
  if (!all && options.length > shown.length) keyboard.text(view.t("referral.showAll"), referralButton.all.pack({ requestId: request.id }));
  keyboard.text(view.t("referral.cancel"), referralButton.cancel.pack({ requestId: request.id }));
  return { text: view.t("referral.offer", { reference: referenceOf(request.id), place, interpolation: { escapeValue: false } }), keyboard };
}

function optionLabel({ locale }: StaffView, directory: Directory, service: Service): string {
  const city = service.city ? directory.cities.get(service.city)?.names[locale] : undefined;
  const name = service.name[locale].length > 48 ? `${service.name[locale].slice(0, 47)}…` : service.name[locale];
  return `${KIND_ICON[service.kind]} ${name}${city ? ` · ${city}` : ""}${service.needsReview ? " ⚠️" : ""}`.slice(0, 120);
}

/** The request a button is about, if it is still this group's and can reach its client (else the lawyer is told). */
async function requestOfButton(
  ctx: Context,
  { requests, view, staff }: ReferralDeps,
  requestId: number,
): Promise<RequestWithUser | undefined> {
  const request = await requests.store.find(requestId);
  if (!request || request.staffChatId === null || Number(request.staffChatId) !== staff.chatId) {
    await ctx.answerCallbackQuery({ text: view.t("staff.unknownRequest"), show_alert: true });
    return undefined;
  }
  const refusal = refusalFor(view, request);
  if (refusal) {
    await ctx.answerCallbackQuery({ text: refusal, show_alert: true });
    return undefined;
  }
  return request;
}

/** Sends the chosen service to the client in their language; the card and the offer say so. */
async function send(ctx: Context, deps: ReferralDeps, { requestId, id }: { requestId: number; id: string }): Promise<void> {
  const { view, directory, logger } = deps;
  const service = directory.byId.get(id);
  if (!service) return void (await ctx.answerCallbackQuery({ text: view.t("referral.unknownService"), show_alert: true }));
  const request = await requestOfButton(ctx, deps, requestId);
  if (!request?.user) return;
  const reference = referenceOf(request.id);
  const locale: Locale = isLocale(request.user.language)
    ? request.user.language
    : isLocale(request.language)
      ? request.language
      : view.locale;
  const t = deps.translate[locale];
  const text = `${t("referral.toClient", { reference })}\n\n${serviceCard(t, locale, directory, service, { hotline: deps.hotline.schedule })}`;
  try {
    await ctx.api.sendMessage(Number(request.user.telegramId), text, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      reply_markup: serviceKeyboard(t, service),
    });
  } catch (error) {
    const key = classifyTelegramError(error) === "blocked" ? "staff.userBlocked" : "staff.notDelivered";
    logger.warn({ request: request.id, err: error }, "referral not delivered");
    return void (await ctx.answerCallbackQuery({ text: view.t(key, { reference }), show_alert: true }));
  }
  const lawyer = { id: ctx.from!.id, name: ctx.from!.first_name };
  const now = deps.clock.now().toJSDate();
  // Sending something to the client takes an untaken request, as an answer does.
  await deps.requests.take(request.id, lawyer, now);
  await deps.requests.referred(request.id, lawyer, service.id, now);
  await deps.counts.referred(service.id).catch((error: unknown) => logger.warn({ err: error }, "directory counts not saved"));
  await ctx.answerCallbackQuery({ text: view.t("referral.sentShort", { reference }) });
  await ctx
    .editMessageText(view.t("referral.sent", { reference, service: service.name[view.locale] }), { parse_mode: "HTML" })
    .catch(() => undefined);
  await refreshCard(ctx, deps, request.id);
}

/** The card as it is now (with the referral in its history). */
async function refreshCard(ctx: Context, { requests, view, logger }: ReferralDeps, requestId: number): Promise<void> {
  const request = await requests.store.find(requestId);
  if (!request || request.staffChatId === null || request.staffMessageId === null) return;
  await ctx.api
    .editMessageText(Number(request.staffChatId), request.staffMessageId, requestCard(view, request), {
      parse_mode: "HTML",
      reply_markup: requestCardKeyboard(view, request),
    })
    .catch((error: unknown) => logger.warn({ request: request.id, err: error }, "could not update the card"));
}
