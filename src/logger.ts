import pino, { type Logger } from "pino";

/** JSON logs on stdout. Callers log ids, kinds, timings and errors — never what users wrote. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: "hamroh" }, redact: { paths: ["*.text", "*.phone_number", "*.first_name", "*.last_name", "*.username"], censor: "[hidden]" } });
}
