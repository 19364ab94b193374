import type { NextFunction } from "grammy";
import type { Clock } from "../../shared/clock.js";
import type { HamrohContext } from "../context.js";

/** Per person: at most `limit` updates in WINDOW_MS; beyond that they are dropped. */
const WINDOW_MS = 10_000;
export const FLOOD_LIMIT = 20;
/** Expired windows are swept once the map holds this many people. */
const SWEEP_AT = 10_000;

/**
 * Flood guard: one person sending a hundred messages in a few seconds gets one polite notice
 * and no further answers until the window passes, so that everyone else keeps normal speed.
 * Windows are measured on the monotonic clock: a step of the wall clock freezes nothing.
 */
export function floodGuard(clock: Clock, limit = FLOOD_LIMIT) {
  const windows = new Map<number, { start: number; count: number; warned: boolean }>();
  return async (ctx: HamrohContext, next: NextFunction): Promise<void> => {
    const id = ctx.from?.id;
    if (id === undefined) return next();
    const now = clock.monotonicMs();
    let window = windows.get(id);
    if (!window || now - window.start >= WINDOW_MS) {
      if (windows.size >= SWEEP_AT) for (const [key, old] of windows) if (now - old.start >= WINDOW_MS) windows.delete(key);
      window = { start: now, count: 0, warned: false };
      windows.set(id, window);
    }
    window.count++;
    if (window.count <= limit) return next();
    if (window.warned) return;
    window.warned = true;
    await ctx.reply(ctx.t("fallback.slowDown"));
  };
}
