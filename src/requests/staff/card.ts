import { InlineKeyboard } from "grammy";
import { DateTime } from "luxon";
import type { Request } from "../../generated/prisma/client.js";
import { INTL_LOCALE, type Locale, type Translate } from "../../i18n.js";
import { escapeHtml } from "../../shared/html.js";
import { callbackData, field } from "../../telegram/callback-data.js";
import { cleanUserText, OUTCOMES, referenceOf } from "../domain.js";

/** The buttons on a request's card in the staff group. */
export const staffButton = {
  take: callbackData("req:take", { requestId: field.int }),
  /** Sends a ready FAQ answer to the client of a request, in the client's language. */
  readyAnswer: callbackData("req:faq", { requestId: field.int, questionId: field.slug }),
  /** Confirms taking over a request another lawyer has. */
  takeOver: callbackData("req:over", { requestId: field.int }),
  close: callbackData("req:close", { requestId: field.int }),
  back: callbackData("req:back", { requestId: field.int }),
  outcome: callbackData("req:outcome", { requestId: field.int, outcome: field.oneOf(OUTCOMES) }),
} as const;

export interface StaffView {
  t: Translate;
  locale: Locale;
  /** The hotline's zone: times on cards are the NGO's office time. */
  zone: string;
  /** How the language of the request is named on the card. */
  languageName: (locale: string) => string;
}

/**
 * The card lawyers see for a request: never the user's name, username or id — a pseudonym
 * ("Client A-1042"), and the phone only when the user chose a call back.
 */
/** What a card shows besides the request itself: the kinds of its files and its history. */
export type CardRequest = Request & {
  attachments?: { kind: string }[];
  events?: { kind: string; lawyerName: string | null; detail: string | null; at: Date }[];
};

/** At most this many history lines on a card (the latest). */
const HISTORY_LINES = 6;

export function requestCard(view: StaffView, request: CardRequest): string {
  const { t } = view;
  const reference = referenceOf(request.id);
  const city = request.city ? cleanUserText(request.city, { oneLine: true }) : "";
  const place = [t(`country.${request.country}`), city ? escapeHtml(city) : undefined].filter(Boolean).join(", ");
  const reply = request.replyVia === "call" ? t("staff.replyCall", { phone: request.phone }) : t("staff.replyTelegram");
  const status =
    request.status === "closed"
      ? t("staff.statusClosed", { outcome: t(`staff.outcome.${request.outcome}`), time: timeOf(view, request.closedAt) })
      : request.status === "taken"
        ? t("staff.statusTaken", { lawyer: request.lawyerName ?? "?", time: timeOf(view, request.takenAt) })
        : t("staff.statusOpen");
  return [
    `<b>${request.urgent ? "🚨 " : "🆕 "}${reference}</b>${request.urgent ? ` · <b>${t("staff.urgent")}</b>` : ""}`,
    `${t("staff.topic")}: ${t(`topic.${request.topic}`)}`,
    `${t("staff.language")}: ${view.languageName(request.language)}`,
    request.citizenship ? `${t("staff.citizenship")}: ${t(`citizenship.name.${request.citizenship}`)}` : undefined,
    `${t("staff.place")}: ${place}`,
    `${t("staff.reply")}: ${reply}`,
    "",
    `<b>${t("staff.client", { reference })}:</b>`,
    // Quoted, so that nothing the user wrote can pass for the card's own lines.
    questionOnCard(t, request),
    "",
    status,
    ...(request.events ?? [])
      .slice(-HISTORY_LINES)
      .map(
        (event) =>
          `· ${t(`staff.event.${event.kind}`, { lawyer: event.lawyerName ?? "?", detail: event.detail ?? "", time: timeOf(view, event.at) })}`,
      ),
  ]
    .filter((line) => line !== undefined)
    .join("\n");
}

/** The question, quoted; a voice note or file sent instead of words is named; an erased question is a dash. */
function questionOnCard(t: Translate, request: CardRequest): string {
  if (request.question) return `<blockquote>${escapeHtml(cleanUserText(request.question))}</blockquote>`;
  const media = request.erasedAt === null ? request.attachments?.[0]?.kind : undefined;
  return media ? `<i>${t(`ask.questionIs.${media}`)}</i>` : "—";
}

export function requestCardKeyboard(view: StaffView, request: Request): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  if (request.status === "closed") return keyboard;
  // Taken by someone: the same button offers to take it over (after a confirmation).
  keyboard.text(view.t(request.status === "open" ? "staff.take" : "staff.handOver"), staffButton.take.pack({ requestId: request.id }));
  return keyboard.text(view.t("staff.close"), staffButton.close.pack({ requestId: request.id }));
}

/** Take over from another lawyer, or keep the card as it is. */
export function takeOverKeyboard(view: StaffView, request: Request): InlineKeyboard {
  return new InlineKeyboard()
    .text(view.t("staff.takeOver", { lawyer: request.lawyerName ?? "?" }), staffButton.takeOver.pack({ requestId: request.id }))
    .row()
    .text(view.t("staff.back"), staffButton.back.pack({ requestId: request.id }));
}

export function outcomeKeyboard(view: StaffView, request: Request): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const outcome of OUTCOMES)
    keyboard.text(view.t(`staff.outcome.${outcome}`), staffButton.outcome.pack({ requestId: request.id, outcome })).row();
  return keyboard.text(view.t("staff.back"), staffButton.back.pack({ requestId: request.id }));
}

function timeOf(view: StaffView, date: Date | null): string {
  return date ? DateTime.fromJSDate(date).setZone(view.zone).setLocale(INTL_LOCALE[view.locale]).toFormat("d MMM HH:mm") : "";
}

/** How the staff group sees requests: in its language, with times in the hotline's zone. */
export function staffViewOf(translate: Record<Locale, Translate>, language: Locale, zone: string): StaffView {
  return {
    t: translate[language],
    locale: language,
    zone,
    languageName: (locale) => translate[locale as Locale]?.("language.name") ?? locale,
  };
}
