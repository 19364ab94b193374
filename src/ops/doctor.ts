import { Api, type ApiClientOptions } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { DateTime } from "luxon";
import type { Logger } from "pino";
import { type Config, ConfigError, loadConfig } from "../config.js";
import { loadContent } from "../content.js";
import type { HotlineSchedule } from "../hotline/schedule.js";
import { ContentError } from "../shared/data-file.js";
import { CONNECT_TIMEOUT_SECONDS } from "../telegram/startup.js";
import {
  type Check,
  type CheckApi,
  checkAdmins,
  checkDatabase,
  checkHolidays,
  checkStaffGroup,
  checkToken,
  checkUpdates,
  type StaffProblem,
} from "./checks.js";

export interface ChecklistDeps {
  /** Calls without auto-retry and with a short timeout: a check that cannot be made says so. */
  api: CheckApi;
  apiRoot: string;
  config: Pick<Config, "staff" | "adminIds" | "mode" | "webhook" | "port" | "databaseUrl">;
  /** The hotline's schedule; undefined when the content files do not load (the holiday check is left out). */
  schedule: HotlineSchedule | undefined;
  now: DateTime;
  /** Who the bot is, when already known (at start); otherwise getMe is the first check. */
  me?: UserFromGetMe;
}

export interface Checklist {
  checks: Check[];
  me?: UserFromGetMe;
  /** What the admins are told about the staff group, if anything. */
  staffProblem?: StaffProblem;
}

/**
 * Every check, in the order a volunteer fixes things: the token, the staff group and the bot's
 * rights there, the lawyers, the admins, how updates arrive, the database, the holiday data.
 * Without a working token the Telegram checks are left out.
 */
export async function runChecklist(deps: ChecklistDeps): Promise<Checklist> {
  const { api, config } = deps;
  const token = deps.me
    ? {
        check: {
          id: "token",
          ok: true,
          blocking: false,
          text: `BOT_TOKEN works: the bot is @${deps.me.username} (${deps.me.first_name})`,
        } satisfies Check,
        me: deps.me,
      }
    : await checkToken(api, deps.apiRoot);
  const checks: Check[] = [token.check];
  let staffProblem: StaffProblem | undefined;
  if (token.me) {
    const staff = await checkStaffGroup(api, token.me, config.staff.chatId);
    checks.push(...staff.checks);
    staffProblem = staff.problem;
    checks.push(await checkAdmins(api, token.me, config.adminIds));
    checks.push(await checkUpdates(api, config));
  }
  checks.push(checkDatabase(config.databaseUrl));
  if (deps.schedule) checks.push(checkHolidays(deps.schedule, deps.now));
  return { checks, me: token.me, staffProblem };
}

/** Whether anything keeps the bot from its normal work. */
export function blocksWork(checks: Check[]): boolean {
  return checks.some((check) => !check.ok && check.blocking);
}

/** The checklist for people: ✔ or ✗ a line, the fix under each ✗, and a summary. */
export function formatChecklist(checks: Check[]): string {
  const lines = checks.flatMap((check) =>
    check.ok ? [`✔ ${check.text}`] : [`✗ ${check.text}`, ...(check.fix ? [`    → ${check.fix}`] : [])],
  );
  const blocking = checks.filter((check) => !check.ok && check.blocking).length;
  const other = checks.filter((check) => !check.ok && !check.blocking).length;
  const summary =
    blocking > 0
      ? `${blocking} problem${blocking === 1 ? "" : "s"} keep${blocking === 1 ? "s" : ""} Hamroh from its normal work${other > 0 ? ` (and ${other} more to fix)` : ""}.`
      : other > 0
        ? `Hamroh can work; ${other} thing${other === 1 ? "" : "s"} to fix above.`
        : "All good: Hamroh can work.";
  return [...lines, "", summary].join("\n");
}

/** The same checks in the log at start: ✔ as info, ✗ as a warning with its fix. */
export function logChecklist(logger: Logger, checks: Check[]): void {
  for (const check of checks) {
    if (check.ok) logger.info({ check: check.id }, `✔ ${check.text}`);
    else logger.warn({ check: check.id, blocking: check.blocking, fix: check.fix }, `✗ ${check.log ?? check.text}`);
  }
}

/**
 * `npm run doctor`: reads .env like the bot, runs every check once and prints the checklist.
 * Returns the exit code: 1 when anything blocks normal work (or the settings are wrong).
 */
export async function doctor(
  env: NodeJS.ProcessEnv,
  options: { client?: ApiClientOptions; print: (text: string) => void; now?: DateTime },
): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    options.print(
      formatChecklist(
        error.problems.map((problem) => ({ id: "settings", ok: false, blocking: true, text: `Settings (.env): ${problem}` })),
      ),
    );
    return 1;
  }
  // The files the bot reads at start: a broken one stops it, so it blocks.
  let schedule: HotlineSchedule | undefined;
  let content: Check;
  try {
    schedule = loadContent().hotline.schedule;
    content = {
      id: "content",
      ok: true,
      blocking: false,
      text: "The content files load (interface strings, FAQ, hotline hours, emergency numbers)",
    };
  } catch (error) {
    if (!(error instanceof ContentError)) throw error;
    content = {
      id: "content",
      ok: false,
      blocking: true,
      text: `A content file does not load: ${error.message}`,
      fix: "npm run content:check lists every problem.",
    };
  }
  const apiRoot = config.telegramApiRoot ?? "https://api.telegram.org";
  const api = new Api(config.botToken, {
    ...options.client,
    ...(config.telegramApiRoot ? { apiRoot: config.telegramApiRoot } : {}),
    timeoutSeconds: CONNECT_TIMEOUT_SECONDS,
  });
  const { checks } = await runChecklist({ api, apiRoot, config, schedule, now: options.now ?? DateTime.now() });
  checks.push(content);
  options.print(formatChecklist(checks));
  return blocksWork(checks) ? 1 : 0;
}
