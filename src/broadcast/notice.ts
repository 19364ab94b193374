import type { MessageEntity } from "grammy/types";
import { isLocale, type Locale } from "../i18n.js";

/** One language version of a notice: the text with Telegram's formatting entities. */
export interface NoticeVersion {
  text: string;
  entities?: MessageEntity[];
}

export interface NoticeContent {
  /** The version for users whose language has none of its own. */
  defaultLocale: Locale;
  versions: Partial<Record<Locale, NoticeVersion>>;
  photoFileId?: string;
}

export type Audience =
  | { kind: "all" }
  | { kind: "language"; value: Locale }
  | { kind: "zone"; value: string }
  | { kind: "topic"; value: string };

export function versionFor(content: NoticeContent, locale: string): NoticeVersion {
  return (isLocale(locale) ? content.versions[locale] : undefined) ?? content.versions[content.defaultLocale]!;
}

/**
 * Who receives a notice: users who did not turn notices off and whom Telegram can still reach,
 * narrowed by language, time zone, or a topic they asked a lawyer about.
 */
export function audienceFilter(audience: Audience) {
  const base = { noticesOff: false, unreachable: false };
  switch (audience.kind) {
    case "language":
      return { ...base, language: audience.value };
    case "zone":
      return { ...base, timeZone: audience.value };
    case "topic":
      return { ...base, requests: { some: { topic: audience.value } } };
    default:
      return base;
  }
}
