import pino, { type Logger } from "pino";
import pretty, { prettyFactory } from "pino-pretty";

/** `json`: one JSON object a line (the default, for journald and log tools); `pretty`: readable lines for people. */
export type LogFormat = "json" | "pretty";

/**
 * Logs on stdout (or `destination`). Callers log ids, kinds, timings and errors — never what
 * users wrote. Errors are reduced to their kind and message: a Telegram error carries the
 * request's payload (chat ids, texts), which must not reach the logs. `pretty` formats the same
 * records with pino-pretty, in this thread and synchronously (nothing is lost at exit).
 */
export function createLogger(level: string, destination?: { write(line: string): void }, format: LogFormat = "json"): Logger {
  const options = { level, base: { app: "hamroh" }, serializers: { err: describeError } };
  if (format === "pretty") {
    // Colours only on a terminal; journald and files get plain text.
    const prettyOptions = {
      colorize: !destination && process.stdout.isTTY === true,
      translateTime: "SYS:yyyy-mm-dd HH:MM:ss",
      ignore: "pid,hostname,app",
    };
    if (!destination) return pino(options, pretty({ ...prettyOptions, sync: true, destination: 1 }));
    const format = prettyFactory(prettyOptions);
    return pino(options, { write: (line: string) => destination.write(format(line)) });
  }
  return destination ? pino(options, destination) : pino(options);
}

function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const telegram = error as Error & { error_code?: number; method?: string };
  return {
    type: error.name,
    message: redactMessage(error.message),
    code: telegram.error_code,
    method: telegram.method,
    stack: error.stack?.split("\n").slice(1, 6).join("\n"),
  };
}

/** grammY's messages quote the method and the description only; numbers that could be ids are masked. */
function redactMessage(message: string): string {
  return message.replace(/-?\d{6,}/g, "[number]");
}
