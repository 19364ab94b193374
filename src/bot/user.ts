import type { NextFunction } from "grammy";
import { isLocale, suggestLocale } from "../i18n.js";
import type { HamrohContext } from "./context.js";

/** lastSeenAt is refreshed at most this often, so that most updates cost one read and no write. */
const LAST_SEEN_RESOLUTION_MS = 60 * 60 * 1000;

/**
 * Loads (on first contact: creates) the person behind the update and binds their language.
 * Only the Telegram id is stored; names and usernames are never saved.
 */
export async function loadUser(ctx: HamrohContext, next: NextFunction): Promise<void> {
  const from = ctx.from;
  if (!from) return;
  const { db, now, i18n } = ctx.deps;
  const telegramId = BigInt(from.id);
  const seenAt = now().toJSDate();
  let user = await db.user.findUnique({ where: { telegramId } });
  if (!user) {
    user = await db.user.upsert({ where: { telegramId }, create: { telegramId, lastSeenAt: seenAt }, update: {} });
  } else if (seenAt.getTime() - user.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
    user = await db.user.update({ where: { id: user.id }, data: { lastSeenAt: seenAt } });
  }
  ctx.user = user;
  ctx.locale = isLocale(user.language) ? user.language : suggestLocale(from.language_code);
  ctx.t = i18n.getFixedT(ctx.locale);
  await next();
}

