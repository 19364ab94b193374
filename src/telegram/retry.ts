import { autoRetry } from "@grammyjs/auto-retry";
import { Api, type Context, type Transformer } from "grammy";
import { retryAfterSeconds } from "./errors.js";

/**
 * auto-retry for calls made while handling an update: 429 waits up to a minute and 5xx are
 * retried three times; network errors and timeouts are retried (3 s, 6 s, 12 s …) until they pass.
 */
export const AUTO_RETRY = { maxRetryAttempts: 3, maxDelaySeconds: 60 };

/**
 * A button pressed long ago (or before a restart or an outage) can no longer be answered ("query
 * is too old"): that only stops the spinner, so it must not stop the screen that follows.
 */
const tolerateExpiredCallbackQueries: Transformer = async (call, method, payload, signal) => {
  const result = await call(method, payload, signal);
  return !result.ok && method === "answerCallbackQuery" && result.error_code === 400 ? { ok: true, result: true as never } : result;
};

/**
 * auto-retry's waits between network errors double up to an hour. getUpdates is retried by the
 * polling loop instead (receiveByPolling), at a steady pace, so that the bot hears again within
 * seconds of the network coming back, however long it was gone.
 */
const retrying = autoRetry(AUTO_RETRY);
const retryingExceptGetUpdates: Transformer = (call, method, payload, signal) =>
  method === "getUpdates" ? call(method, payload, signal) : retrying(call, method, payload, signal);

/** What every call made while handling an update goes through, in dialogs too. */
export const UPDATE_CALL_TRANSFORMERS: Transformer[] = [retryingExceptGetUpdates, tolerateExpiredCallbackQueries];

/**
 * Gives a dialog's context an API that retries like the bot's. A dialog logs its API calls and a
 * replay answers them from the log, so the retries must wrap the real call, below the log: above
 * it, every later step would wait again for each 429 and outage in the log (a one-minute outage
 * once would slow each following step by a minute and a half).
 */
export function retryBelowDialogLog(ctx: Context): void {
  // Typed as a function, but grammY hands out the array itself.
  const installed: unknown = ctx.api.config.installedTransformers;
  const dialogLog = (typeof installed === "function" ? installed() : installed) as Transformer[];
  const api = new Api(ctx.api.token, ctx.api.options);
  api.config.use(...UPDATE_CALL_TRANSFORMERS, ...dialogLog);
  Object.assign(ctx, { api });
}

/** Waits between attempts: 5 s, 10 s, 20 s … at most 10 minutes (or what a 429 asks for). */
export function backoffSeconds(attempts: number, error: unknown): number {
  return retryAfterSeconds(error) ?? Math.min(5 * 2 ** (attempts - 1), 600);
}
