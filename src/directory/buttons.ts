import type { InlineKeyboardButton } from "grammy/types";
import type { Translate } from "../i18n.js";
import { callbackData, field } from "../telegram/callback-data.js";
import { NEEDS, type Need } from "./catalog.js";

/** A filter: one need, or every kind. */
export const NEED_FILTERS = ["all", ...NEEDS] as const;
export type NeedFilter = (typeof NEED_FILTERS)[number];

/**
 * The buttons of "📍 Where to get help", declared once (the menu, FAQ answers and the emergency
 * screen link here too). The shared location is never in them: it is used once and forgotten.
 */
export const directoryButton = {
  /** The main menu's item: near the user's stored city, every kind. */
  open: callbackData("dir"),
  /** From FAQ answers and the emergency screen: the user's own city, one need. */
  need: callbackData("dir:n", { need: field.oneOf(NEED_FILTERS) }),
  /** A list for a city (the stored one, or one picked), with a filter. */
  list: callbackData("dir:l", { city: field.slug, need: field.oneOf(NEED_FILTERS) }),
  /** The city picker, keeping the filter. */
  cities: callbackData("dir:c", { need: field.oneOf(NEED_FILTERS) }),
  /** Asks for the location (a request_location keyboard), keeping the filter. */
  nearMe: callbackData("dir:me", { need: field.oneOf(NEED_FILTERS) }),
  /** Sends a service's place as a venue (only services with their building's coordinates). */
  venue: callbackData("dir:v", { id: field.slug }),
} as const;

/** Which part of the directory a FAQ answer leads to, by its question and category. */
const NEED_OF_QUESTION: Record<string, Need> = {
  "documents-lost-or-taken": "consulate",
  "documents-employer-keeps-passport": "consulate",
  "family-death-abroad": "consulate",
  "wages-held-back": "protection",
  "wages-not-paid": "legal",
  "departure-advice-centre": "migration",
  "departure-language-test": "migration",
};
const NEED_OF_CATEGORY: Record<string, Need> = {
  detention: "consulate",
  trafficking: "protection",
};

/** The need a FAQ answer points to (detention → consulate, passport lost → consulate, trafficking → shelter and IOM), if any. */
export function needOfQuestion(question: { id: string; categoryId: string }): Need | undefined {
  return NEED_OF_QUESTION[question.id] ?? NEED_OF_CATEGORY[question.categoryId];
}

/** A button to the nearest services of one need, in the user's city when it is known. */
export function directoryLinkButton(t: Translate, need: Need): InlineKeyboardButton.CallbackButton {
  return { text: t(`directory.link.${need}`), callback_data: directoryButton.need.pack({ need }) };
}

/** The emergency screen's links: detained or passport lost → consulate; forced labour → shelter and IOM. */
export function emergencyDirectoryLinks(t: Translate): InlineKeyboardButton.CallbackButton[] {
  return [directoryLinkButton(t, "consulate"), directoryLinkButton(t, "protection")];
}
