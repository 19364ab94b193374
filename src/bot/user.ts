import type { NextFunction } from "grammy";
import { isLocale, suggestLocale } from "../i18n.js";
import type { HamrohContext } from "./context.js";

/**
 * Loads the profile of the person behind the update (if they have chosen a language) and binds
 * their language, or the one suggested by Telegram's language_code until they choose.
 */
export async function loadUser(ctx: HamrohContext, next: NextFunction): Promise<void> {
  const from = ctx.from;
  if (!from) return;
  ctx.user = await ctx.deps.users.seen(BigInt(from.id), ctx.deps.now().toJSDate());
  ctx.locale = isLocale(ctx.user?.language) ? ctx.user.language : suggestLocale(from.language_code);
  ctx.t = ctx.deps.translate[ctx.locale];
  await next();
}
