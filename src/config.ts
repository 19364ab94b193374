import { z } from "zod";
import { DEFAULT_DATABASE_URL } from "./db/url.js";

const botToken = z
  .string({ error: "is missing. Create a bot with @BotFather (/newbot) and put its token in .env as BOT_TOKEN=123456789:AA…" })
  .trim()
  .regex(/^\d{5,}:[A-Za-z0-9_-]{30,}$/, {
    error: "does not look like a bot token (digits, a colon, then about 35 letters). Copy it again from @BotFather.",
  });

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const WEEKLY_REPORT_FORMAT =
  /^(?:off|(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\s+([01]?\d|2[0-3]):([0-5]\d))$/;

/** "monday 09:00" → Monday at 09:00; "off" → no report. */
function weeklyReportSchedule(value: string): WeeklyReportSetting | undefined {
  const match = WEEKLY_REPORT_FORMAT.exec(value);
  if (!match?.[1]) return undefined;
  return { weekday: WEEKDAYS.findIndex((day) => day.startsWith(match[1]!)) + 1, time: `${match[2]!.padStart(2, "0")}:${match[3]}` };
}

/** When admins get the weekly report: a weekday (1 = Monday) and "HH:mm", in the hotline's zone (Dushanbe). */
export interface WeeklyReportSetting {
  weekday: number;
  time: string;
}

const HEALTH_PORT_ERROR = "must be a port number (1 to 65535) where GET /healthz is answered, or left out.";

const envSchema = z
  .object({
    BOT_TOKEN: botToken,
    BOT_MODE: z.enum(["polling", "webhook"], { error: 'must be "polling" (the default) or "webhook".' }).default("polling"),
    WEBHOOK_URL: z
      .url({ protocol: /^https$/, error: "must be the public https URL Telegram sends updates to, e.g. https://bot.example.org/telegram." })
      .optional(),
    WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, {
        error: "must be 16 to 256 letters, digits, _ or - (Telegram sends it back in every webhook request).",
      })
      .optional(),
    PORT: z.coerce.number({ error: "must be a port number." }).int().min(0).max(65535).default(8080),
    DATABASE_URL: z
      .string()
      .trim()
      .regex(/^file:.+/, { error: 'must be a SQLite file URL such as "file:./data/hamroh.db".' })
      .default(DEFAULT_DATABASE_URL),
    TELEGRAM_API_ROOT: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as "http://127.0.0.1:8081", or left out.' })
      .optional(),
    STAFF_CHAT_ID: z
      .string()
      .trim()
      .regex(/^-100\d{5,}$/, {
        error: 'must be the lawyers\' supergroup id, which starts with -100 (e.g. "-1001234567890"). See the README.',
      })
      .transform(Number)
      .optional(),
    STAFF_LANGUAGE: z.enum(["tg", "ru", "uz", "ky", "en"], { error: "must be one of tg, ru, uz, ky, en." }).default("ru"),
    REANNOUNCE_MINUTES: z.coerce.number({ error: "must be a number of minutes." }).int().min(1).max(1440).default(30),
    URGENT_REANNOUNCE_MINUTES: z.coerce.number({ error: "must be a number of minutes." }).int().min(1).max(1440).default(10),
    ADMIN_IDS: z
      .string()
      .trim()
      .regex(/^\d+(\s*,\s*\d+)*$/, { error: 'must be Telegram user ids separated by commas, e.g. "12345678,87654321".' })
      .transform((ids) => ids.split(",").map((id) => Number(id.trim())))
      .optional(),
    RETENTION_DAYS: z.coerce.number({ error: "must be a number of days." }).int().min(1).max(3650).default(180),
    BROADCAST_RATE: z.coerce.number({ error: "must be a number of messages per second." }).min(1).max(30).default(25),
    WEEKLY_REPORT: z
      .string()
      .trim()
      .toLowerCase()
      .regex(WEEKLY_REPORT_FORMAT, { error: 'must be a weekday and a time in Dushanbe time, such as "monday 09:00", or "off".' })
      .transform(weeklyReportSchedule)
      .prefault("monday 09:00"),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        error: "must be one of fatal, error, warn, info, debug, trace, silent.",
      })
      .default("info"),
    LOG_FORMAT: z
      .enum(["json", "pretty"], { error: 'must be "json" (the default: one JSON object a line) or "pretty" (readable lines).' })
      .default("json"),
    HEALTH_PORT: z.coerce
      .number({ error: HEALTH_PORT_ERROR })
      .int({ error: HEALTH_PORT_ERROR })
      .min(1, { error: HEALTH_PORT_ERROR })
      .max(65535, { error: HEALTH_PORT_ERROR })
      .optional(),
  })
  .superRefine((env, issues) => {
    if (env.BOT_MODE !== "webhook") return;
    if (!env.WEBHOOK_URL)
      issues.addIssue({
        code: "custom",
        path: ["WEBHOOK_URL"],
        message: "is needed with BOT_MODE=webhook: the public https URL Telegram sends updates to.",
      });
    if (!env.WEBHOOK_SECRET)
      issues.addIssue({
        code: "custom",
        path: ["WEBHOOK_SECRET"],
        message: "is needed with BOT_MODE=webhook: 16+ random letters and digits.",
      });
    if (env.HEALTH_PORT !== undefined && env.HEALTH_PORT === env.PORT) {
      issues.addIssue({ code: "custom", path: ["HEALTH_PORT"], message: "must differ from PORT, where the webhook server listens." });
    }
  });

export type Config = {
  botToken: string;
  databaseUrl: string;
  /** Long polling, or a webhook (an HTTP server on `port` that Telegram posts updates to). */
  mode: "polling" | "webhook";
  webhook: { url: string; secret: string } | undefined;
  port: number;
  /** Any Bot-API-compatible server; Telegram's own when undefined. */
  telegramApiRoot: string | undefined;
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  /** JSON lines (the default, for journald and log tools) or readable lines (pino-pretty). */
  logFormat: z.infer<typeof envSchema>["LOG_FORMAT"];
  /** Where GET /healthz is answered besides the webhook server; undefined: nowhere (in polling mode). */
  healthPort: number | undefined;
  staff: StaffConfig;
  /** Telegram user ids of the NGO's admins (closures, figures, notices). */
  adminIds: number[];
  /** Notices sent per second over all chats (Telegram accepts about 30). */
  broadcastRate: number;
  /** The admins' weekly report (figures and chart); undefined: turned off (WEEKLY_REPORT=off). */
  weeklyReport: WeeklyReportSetting | undefined;
  retentionDays: number;
};

export interface StaffConfig {
  /** The lawyers' supergroup; requests wait in the outbox until it is set. */
  chatId: number | undefined;
  /** Language of the cards and messages in the staff group. */
  language: z.infer<typeof envSchema>["STAFF_LANGUAGE"];
  /** Minutes of hotline opening time after which an untaken request is announced again. */
  reannounceMinutes: number;
  urgentReannounceMinutes: number;
}

/** Thrown with one line per invalid variable, each naming it and saying how to fix it. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Hamroh cannot start, the configuration needs fixing:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Reads and validates the environment once; empty strings count as "not set". */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`));
  }
  const values = parsed.data;
  return {
    botToken: values.BOT_TOKEN,
    mode: values.BOT_MODE,
    webhook: values.WEBHOOK_URL && values.WEBHOOK_SECRET ? { url: values.WEBHOOK_URL, secret: values.WEBHOOK_SECRET } : undefined,
    port: values.PORT,
    databaseUrl: values.DATABASE_URL,
    telegramApiRoot: values.TELEGRAM_API_ROOT,
    logLevel: values.LOG_LEVEL,
    logFormat: values.LOG_FORMAT,
    healthPort: values.HEALTH_PORT,
    adminIds: values.ADMIN_IDS ?? [],
    broadcastRate: values.BROADCAST_RATE,
    weeklyReport: values.WEEKLY_REPORT,
    retentionDays: values.RETENTION_DAYS,
    staff: {
      chatId: values.STAFF_CHAT_ID,
      language: values.STAFF_LANGUAGE,
      reannounceMinutes: values.REANNOUNCE_MINUTES,
      urgentReannounceMinutes: values.URGENT_REANNOUNCE_MINUTES,
    },
  };
}
