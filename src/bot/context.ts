import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { DateTime } from "luxon";
import type { Logger } from "pino";
import type { Database } from "../db/client.js";
import type { StaffConfig } from "../config.js";
import type { SenderOptions } from "./broadcast-sender.js";
import type { Content } from "../content.js";
import type { Locale, Translate } from "../i18n.js";
import type { User } from "../generated/prisma/client.js";
import type { FaqViewCounter } from "../faq/views.js";
import type { ClosureStore } from "../hotline/closures.js";
import type { OpenRequestOwners } from "../requests/open-owners.js";
import type { UserStore } from "../users/store.js";
import type { Relays } from "./relays.js";
import type { StaffChatWatermark } from "./staff-watermark.js";

/** Everything the bot needs from outside; tests pass their own (clock, database file, logger). */
export interface BotDeps extends Content {
  db: Database;
  logger: Logger;
  staff: StaffConfig;
  adminIds: number[];
  broadcast: SenderOptions;
  /** Personal data of requests closed longer ago than this is erased. */
  retentionDays: number;
  /** Updates one person may send in 10 seconds before the flood guard drops them (default 20). */
  floodLimit?: number;
  /** The clock; injected so that schedule-dependent answers can be tested at fixed instants. */
  now: () => DateTime;
}

/** BotDeps plus the in-memory stores that createBot makes for this bot. */
export type RuntimeDeps = BotDeps & {
  users: UserStore;
  openRequests: OpenRequestOwners;
  faqViews: FaqViewCounter;
  closures: ClosureStore;
  relays: Relays;
  watermark: StaffChatWatermark;
};

export interface HamrohFlavor {
  deps: RuntimeDeps;
  /** The person behind a private-chat update; undefined until they have chosen a language. */
  user: User | undefined;
  /** Their chosen language, or the suggestion from Telegram until they choose. */
  locale: Locale;
  t: Translate;
}

/** The context of every update; `conversation` controls the dialogs (the plugin is installed for registered users). */
export type HamrohContext = ConversationFlavor<Context & HamrohFlavor>;

/** An update from someone who has chosen a language (and so has a stored profile). */
export type RegisteredContext = HamrohContext & { user: User };

export function isRegistered<C extends HamrohContext>(ctx: C): ctx is C & { user: User } {
  return ctx.user !== undefined;
}
