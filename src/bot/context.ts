import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { User } from "../generated/prisma/client.js";
import type { Locale, Translate } from "../i18n.js";

/** What the middleware adds to every update: who is writing, and in which language to answer. */
export interface HamrohFlavor {
  /** The person behind a private-chat update; undefined until they have chosen a language. */
  user: User | undefined;
  /** Their chosen language, or the suggestion from Telegram until they choose. */
  locale: Locale;
  t: Translate;
}

/** The context of every update; `conversation` controls the dialogs. */
export type HamrohContext = ConversationFlavor<Context & HamrohFlavor>;

/** An update from someone who has chosen a language (and so has a stored profile). */
export type RegisteredContext = HamrohContext & { user: User };

export function isRegistered<C extends HamrohContext>(ctx: C): ctx is C & { user: User } {
  return ctx.user !== undefined;
}
