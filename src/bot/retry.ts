import { GrammyError } from "grammy";

/**
 * auto-retry for calls made while handling an update: 429 waits up to a minute and 5xx are
 * retried three times; network errors and timeouts are retried (3 s, 6 s, 12 s …) until they pass.
 */
export const AUTO_RETRY = { maxRetryAttempts: 3, maxDelaySeconds: 60 };

/** Waits between attempts: 5 s, 10 s, 20 s … at most 10 minutes (or what a 429 asks for). */
export function backoffSeconds(attempts: number, error: unknown): number {
  const retryAfter = error instanceof GrammyError ? error.parameters.retry_after : undefined;
  return retryAfter ?? Math.min(5 * 2 ** (attempts - 1), 600);
}

/**
 * Whether Telegram gave a final answer that a retry cannot change (a 4xx other than 429).
 * Network errors, timeouts, 429 and 5xx are passing: the same call may succeed later.
 */
export function isFinalRefusal(error: unknown): error is GrammyError {
  return error instanceof GrammyError && error.error_code !== 429 && error.error_code < 500;
}

/** Runs jobs one at a time, in the order they were asked for; a failed job does not stop the next. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
