import type { Context } from "grammy";
import type { DateTime } from "luxon";
import type { Logger } from "pino";
import type { Database } from "../db/client.js";
import type { Content } from "../content.js";
import type { Locale, Translate } from "../i18n.js";
import type { User } from "../generated/prisma/client.js";

/** Everything the bot needs from outside; tests pass their own (clock, database file, logger). */
export interface BotDeps extends Content {
  db: Database;
  logger: Logger;
  /** The clock; injected so that schedule-dependent answers can be tested at fixed instants. */
  now: () => DateTime;
}

export interface HamrohFlavor {
  deps: BotDeps;
  /** The person behind a private-chat update, created on first contact. */
  user: User;
  /** Their chosen language, or the suggestion from Telegram until they choose. */
  locale: Locale;
  t: Translate;
}

export type HamrohContext = Context & HamrohFlavor;
