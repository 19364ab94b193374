import pino, { type Logger } from "pino";

/**
 * JSON logs on stdout. Callers log ids, kinds, timings and errors — never what users wrote.
 * Errors are reduced to their kind and message: a Telegram error carries the request's
 * payload (chat ids, texts), which must not reach the logs.
 */
export function createLogger(level: string, destination?: { write(line: string): void }): Logger {
  const options = { level, base: { app: "hamroh" }, serializers: { err: describeError } };
  return destination ? pino(options, destination) : pino(options);
}

function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const telegram = error as Error & { error_code?: number; method?: string };
  return { type: error.name, message: redactMessage(error.message), code: telegram.error_code, method: telegram.method, stack: error.stack?.split("\n").slice(1, 6).join("\n") };
}

/** grammY's messages quote the method and the description only; numbers that could be ids are masked. */
function redactMessage(message: string): string {
  return message.replace(/-?\d{6,}/g, "[number]");
}
