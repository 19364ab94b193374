import { CLOSURE_KINDS } from "../hotline/closure-input.js";
import { LOCALES } from "../i18n.js";
import { COUNTRIES, TOPICS } from "../requests/domain.js";
import { callbackData, field, prefixTrigger } from "../telegram/callback-data.js";
import { CITIZENSHIPS } from "../users/citizenship.js";

/**
 * The data of every inline button in private chats, declared once: features build buttons and
 * match presses from these. Ids in the data are checked by the handlers, never trusted.
 * (The staff group's buttons are declared with the card, in requests/staff/card.ts.)
 */
export const callback = {
  menu: callbackData("menu"),
  languagePicker: callbackData("lang"),
  setLanguage: callbackData("lang", { locale: field.oneOf(LOCALES) }),
  faqCategories: callbackData("faq"),
  faqCategory: callbackData("faq:c", { categoryId: field.slug }),
  faqQuestion: callbackData("faq:q", { questionId: field.slug }),
  faqVote: callbackData("faq:v", { questionId: field.slug, helpful: field.bool }),
  hotline: callbackData("hot"),
  zonePicker: callbackData("zone"),
  zoneCity: callbackData("zone:city", { city: field.slug }),
  zoneOther: callbackData("zone:other"),
  zoneOffset: callbackData("zone:utc", { offset: field.int }),
  emergency: callbackData("sos"),
  ask: callbackData("ask"),
  askAbout: callbackData("ask:faq", { questionId: field.slug }),
  /** Starts the request dialog with the voice note the user just sent. */
  askByVoice: callbackData("ask:voice"),
  myRequests: callbackData("myreq"),
  citizenshipPicker: callbackData("cit"),
  setCitizenship: callbackData("cit", { citizenship: field.oneOf(CITIZENSHIPS) }),
  /** Chosen under an answer that depends on it: the answer is shown again for that citizenship. */
  setCitizenshipFor: callbackData("cit:q", { citizenship: field.oneOf(CITIZENSHIPS), questionId: field.slug }),
  notices: callbackData("notices"),
  toggleNotices: callbackData("notices:toggle"),
  privacy: callbackData("privacy"),
  myData: callbackData("privacy:data"),
  forget: callbackData("privacy:forget"),
  forgetConfirmed: callbackData("privacy:forget:yes"),
  rate: callbackData("rate", { requestId: field.int, stars: field.oneOf(["1", "2", "3", "4", "5"] as const) }),
  followUp: callbackData("fu", { requestId: field.int, messageId: field.int }),
  /** With a request open: search the answers for this message instead of sending it to the lawyer. */
  searchInstead: callbackData("fs", { messageId: field.int }),
} as const;

/** Asked when /start or the menu comes in the middle of a dialog. */
export const dialogButton = {
  continue: callbackData("dlg:continue"),
  discard: callbackData("dlg:discard"),
} as const;

/** The request dialog's buttons ("ask a lawyer"). */
export const requestDialogButton = {
  cancel: callbackData("ask:cancel"),
  topic: callbackData("ask:topic", { topic: field.oneOf(TOPICS) }),
  country: callbackData("ask:country", { country: field.oneOf(COUNTRIES) }),
  skip: callbackData("ask:skip"),
  continue: callbackData("ask:continue"),
  replyVia: callbackData("ask:via", { via: field.oneOf(["telegram", "call"] as const) }),
  consent: callbackData("ask:consent", { answer: field.oneOf(["yes", "no"] as const) }),
  send: callbackData("ask:send"),
  edit: callbackData("ask:edit"),
  field: callbackData("ask:field", { field: field.oneOf(["topic", "place", "question", "reply"] as const) }),
  /** Any button of the request dialog, pressed after it ended. */
  any: prefixTrigger("ask"),
} as const;

/** The broadcast dialog's buttons (admins). */
export const broadcastDialogButton = {
  cancel: callbackData("bc:cancel"),
  /** One of the options the dialog offers at a step (a language, an audience, send or edit). */
  choice: callbackData("bc", {
    value: { pattern: "[A-Za-z0-9_/+-]{1,48}", parse: (text: string) => text, format: (value: string) => value },
  }),
} as const;

/** Admins' buttons: the kind of a closure being added (/closure add), which users read in their own language. */
export const closureButton = {
  kind: callbackData("cl:kind", { draft: field.int, kind: field.oneOf(CLOSURE_KINDS) }),
  cancel: callbackData("cl:cancel", { draft: field.int }),
} as const;
