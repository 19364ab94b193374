import type { NextFunction } from "grammy";
import { isLocale, type Locale, suggestLocale, type Translate } from "../../i18n.js";
import type { Clock } from "../../shared/clock.js";
import type { UserStore } from "../../users/store.js";
import type { HamrohContext } from "../context.js";

/**
 * Loads the profile of the person behind the update (if they have chosen a language) and binds
 * their language, or the one suggested by Telegram's language_code until they choose.
 */
export function loadUser(users: UserStore, translate: Record<Locale, Translate>, clock: Clock) {
  return async (ctx: HamrohContext, next: NextFunction): Promise<void> => {
    const from = ctx.from;
    if (!from) return;
    ctx.user = await users.seen(BigInt(from.id), clock.now().toJSDate());
    ctx.locale = isLocale(ctx.user?.language) ? ctx.user.language : suggestLocale(from.language_code);
    ctx.t = translate[ctx.locale];
    await next();
  };
}
