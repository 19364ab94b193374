/**
 * Callback data of every inline button, in one place so that features can link to each other.
 * Telegram allows 64 bytes; ids in the data are validated by the handlers, never trusted.
 */
export const callback = {
  menu: "menu",
  languagePicker: "lang",
  setLanguage: (locale: string) => `lang:${locale}`,
  faqCategories: "faq",
  faqCategory: (categoryId: string) => `faq:c:${categoryId}`,
  faqQuestion: (questionId: string) => `faq:q:${questionId}`,
  faqVote: (questionId: string, helpful: boolean) => `faq:v:${questionId}:${helpful ? "y" : "n"}`,
  hotline: "hot",
  zonePicker: "zone",
  zoneCity: (city: string) => `zone:city:${city}`,
  zoneOther: "zone:other",
  zoneOffset: (offset: number) => `zone:utc:${offset}`,
  emergency: "sos",
  ask: "ask",
  askAbout: (questionId: string) => `ask:faq:${questionId}`,
  myRequests: "myreq",
  notices: "notices",
  privacy: "privacy",
  myData: "privacy:data",
  forget: "privacy:forget",
  forgetConfirmed: "privacy:forget:yes",
  toggleNotices: "notices:toggle",
  rate: (requestId: number, stars: number) => `rate:${requestId}:${stars}`,
  followUp: (requestId: number, messageId: number) => `fu:${requestId}:${messageId}`,
} as const;
