import type { BotError, NextFunction } from "grammy";
import type { Logger } from "pino";
import { type Locale, suggestLocale, type Translate } from "../../i18n.js";
import type { HamrohContext } from "../context.js";

/** Logs each update's id, kind, chat type and time taken: never message text, names or phone numbers. */
export function logUpdates(logger: Logger) {
  return async (ctx: HamrohContext, next: NextFunction): Promise<void> => {
    const started = performance.now();
    await next();
    const kind = Object.keys(ctx.update).find((key) => key !== "update_id");
    logger.debug(
      { updateId: ctx.update.update_id, kind, chat: ctx.chat?.type, ms: Math.round(performance.now() - started) },
      "update handled",
    );
  };
}

/** The error boundary of private chats: logged (redacted), and the user hears that something went wrong. */
export function apologise(logger: Logger, translate: Record<Locale, Translate>) {
  return async (error: BotError<HamrohContext>): Promise<void> => {
    const { ctx } = error;
    logger.error({ updateId: ctx.update.update_id, err: error.error }, "update failed");
    const t = ctx.t ?? translate[suggestLocale(ctx.from?.language_code)];
    await ctx.reply(t("fallback.error")).catch(() => undefined);
  };
}

/** The last resort (`bot.catch`): an error outside both boundaries still goes through the redacting logger. */
export function logUnhandled(logger: Logger) {
  return (error: BotError<HamrohContext>): void => {
    logger.error({ updateId: error.ctx.update.update_id, err: error.error }, "update failed outside the error boundaries");
  };
}
