import { accessSync, constants, existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { type Api, GrammyError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { DateTime } from "luxon";
import type { Config } from "../config.js";
import { migrationsDir } from "../db/migrate.js";
import { sqliteFilePath } from "../db/url.js";
import { type HotlineSchedule, holidayDataEndsSoon } from "../hotline/schedule.js";
import { networkProblem } from "../telegram/bot-api-monitor.js";
import { missingStaffRights, RIGHT_NAMES, type StaffRight } from "./staff-rights.js";

/**
 * One line of the checklist (`npm run doctor`, and the start-up log): ✔ or ✗, what was found and,
 * when it failed, how to fix it. `blocking`: the bot cannot do its normal work until it is fixed.
 */
export interface Check {
  id: "settings" | "token" | "staff-group" | "staff-rights" | "lawyers" | "admins" | "updates" | "database" | "holidays" | "content";
  ok: boolean;
  blocking: boolean;
  text: string;
  fix?: string;
  /** What the log says instead of `text` (no user ids in logs). */
  log?: string;
}

/** What is wrong with the bot's place in the staff group, for the admins' alert. */
export type StaffProblem = { kind: "not-in-group" } | { kind: "rights"; missing: StaffRight[] };

export type CheckApi = Pick<Api, "getMe" | "getChat" | "getChatMember" | "getChatAdministrators" | "getWebhookInfo" | "sendChatAction">;

const ok = (id: Check["id"], text: string): Check => ({ id, ok: true, blocking: false, text });
const failed = (id: Check["id"], blocking: boolean, text: string, fix: string, log?: string): Check => ({
  id,
  ok: false,
  blocking,
  text,
  fix,
  log,
});

/** Why a call failed, in a few words: Telegram's description, or the network problem. */
function reason(error: unknown): string {
  return error instanceof GrammyError ? `Telegram: ${error.description}` : `no answer: ${networkProblem(error)}`;
}

/** The token works: the bot's username (getMe). */
export async function checkToken(api: Pick<Api, "getMe">, apiRoot: string): Promise<{ check: Check; me?: UserFromGetMe }> {
  try {
    const me = await api.getMe();
    return { check: ok("token", `BOT_TOKEN works: the bot is @${me.username} (${me.first_name})`), me };
  } catch (error) {
    if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) {
      return {
        check: failed(
          "token",
          true,
          `Telegram refuses BOT_TOKEN (${error.error_code} ${error.description}): it was revoked or mistyped`,
          "Open @BotFather, send /mybots, choose the bot, then API Token: put the current token in .env as BOT_TOKEN=… (with TELEGRAM_API_ROOT set, check that address too).",
        ),
      };
    }
    return {
      check: failed(
        "token",
        true,
        `The Bot API at ${apiRoot} cannot be reached (${reason(error)})`,
        "Check this machine's network, DNS and firewall (outgoing HTTPS to api.telegram.org), or TELEGRAM_API_ROOT.",
      ),
    };
  }
}

/**
 * STAFF_CHAT_ID is a supergroup the bot is in; the bot is an administrator there with the right
 * to delete messages (and to manage topics when topics are on); the lawyers are counted.
 */
export async function checkStaffGroup(
  api: CheckApi,
  me: UserFromGetMe,
  chatId: number | undefined,
): Promise<{ checks: Check[]; problem?: StaffProblem }> {
  const findIt = "Add the bot to the lawyers' group and send /staffgroup there: the bot tells you (an admin) the line for .env.";
  if (chatId === undefined) {
    return { checks: [failed("staff-group", true, "STAFF_CHAT_ID is not set: requests are saved but no lawyer sees them", findIt)] };
  }
  let chat: Awaited<ReturnType<CheckApi["getChat"]>>;
  try {
    chat = await api.getChat(chatId);
  } catch (error) {
    const refused = error instanceof GrammyError;
    return {
      checks: [
        failed(
          "staff-group",
          true,
          refused
            ? `STAFF_CHAT_ID ${chatId}: the bot is not in this group, or it does not exist (${reason(error)})`
            : `STAFF_CHAT_ID ${chatId} could not be checked (${reason(error)})`,
          refused ? `Add the bot to the group, or check the id: ${findIt}` : "Check the network, then run the doctor again.",
        ),
      ],
      problem: refused ? { kind: "not-in-group" } : undefined,
    };
  }
  if (chat.type !== "supergroup") {
    return {
      checks: [
        failed("staff-group", true, `STAFF_CHAT_ID ${chatId} is a ${chat.type}, not a supergroup`, `Use the lawyers' group. ${findIt}`),
      ],
    };
  }
  const title = `"${chat.title}"`;
  const topics = chat.is_forum === true;
  let member: Awaited<ReturnType<CheckApi["getChatMember"]>>;
  try {
    member = await api.getChatMember(chatId, me.id);
  } catch (error) {
    return {
      checks: [
        failed(
          "staff-group",
          true,
          `The staff group ${title}: the bot's membership could not be checked (${reason(error)})`,
          "Run the doctor again.",
        ),
      ],
    };
  }
  if (member.status === "left" || member.status === "kicked") {
    return {
      checks: [
        failed(
          "staff-group",
          true,
          `The bot is not in the staff group ${title} (${member.status})`,
          "Add the bot to the group again and make it an administrator.",
        ),
      ],
      problem: { kind: "not-in-group" },
    };
  }
  const checks: Check[] = [
    ok("staff-group", `STAFF_CHAT_ID is the supergroup ${title}, the bot is in it (topics ${topics ? "on" : "off"})`),
  ];
  const missing = missingStaffRights(member, topics);
  const needed = ["Delete messages", ...(topics ? ["Manage topics"] : [])].join(" and ");
  if (missing.length === 0) {
    checks.push(
      ok(
        "staff-rights",
        `The bot is an administrator of the staff group and may ${topics ? "delete messages and manage topics" : "delete messages"}`,
      ),
    );
  } else if (missing.includes("administrator")) {
    checks.push(
      failed(
        "staff-rights",
        true,
        "The bot is a plain member of the staff group, not an administrator: it cannot see the lawyers' replies or delete what users erase",
        `In the group: Settings → Administrators → Add administrator → the bot, with ${needed}.`,
      ),
    );
  } else {
    const names = missing.map((right) => RIGHT_NAMES[right]).join(" and ");
    const why = [
      missing.includes("delete-messages") ? "erasure deletes users' messages and files" : "",
      missing.includes("manage-topics") ? "each request gets a topic" : "",
    ]
      .filter(Boolean)
      .join("; ");
    checks.push(
      failed(
        "staff-rights",
        true,
        `The bot is an administrator of the staff group without the right to ${names} (${why})`,
        `In the group: Settings → Administrators → the bot → turn on ${names}.`,
      ),
    );
  }
  checks.push(await checkLawyers(api, chatId));
  return { checks, problem: missing.length > 0 ? { kind: "rights", missing } : undefined };
}

async function checkLawyers(api: CheckApi, chatId: number): Promise<Check> {
  try {
    const lawyers = (await api.getChatAdministrators(chatId)).filter((member) => !member.user.is_bot).length;
    if (lawyers === 0)
      return failed(
        "lawyers",
        true,
        "Lawyers: the staff group has no administrators besides bots: nobody can take a request",
        "Make every lawyer an administrator of the group.",
      );
    return ok("lawyers", `Lawyers: ${lawyers} (the staff group's administrators, bots not counted)`);
  } catch (error) {
    return failed(
      "lawyers",
      false,
      `Lawyers could not be listed (${reason(error)})`,
      "Make sure the bot is an administrator of the group, then run the doctor again.",
    );
  }
}

/**
 * Each id in ADMIN_IDS has started the bot, so that alerts, reports and notices reach it: a
 * "typing…" action is sent, which Telegram refuses for someone who never started (or blocked) the bot.
 */
export async function checkAdmins(api: CheckApi, me: UserFromGetMe, adminIds: number[]): Promise<Check> {
  if (adminIds.length === 0) {
    return failed(
      "admins",
      false,
      "ADMIN_IDS is empty: nobody can use /stats, /broadcast or /closure, or hears about problems",
      "Put the admins' Telegram ids in .env as ADMIN_IDS=12345678,87654321 (find yours with @userinfobot).",
    );
  }
  const unreachable: { id: number; why: string }[] = [];
  for (const id of adminIds) {
    try {
      await api.sendChatAction(id, "typing");
    } catch (error) {
      unreachable.push({ id, why: reason(error) });
    }
  }
  if (unreachable.length === 0) return ok("admins", `ADMIN_IDS: all ${adminIds.length} admins have started the bot`);
  const who = unreachable.map(({ id, why }) => `${id} (${why})`).join(", ");
  return failed(
    "admins",
    false,
    `ADMIN_IDS: ${unreachable.length} of ${adminIds.length} cannot get messages from the bot: ${who}`,
    `Each of them opens https://t.me/${me.username} and presses Start (or unblocks the bot).`,
    `ADMIN_IDS: ${unreachable.length} of ${adminIds.length} cannot get messages from the bot (not started or blocked)`,
  );
}

/**
 * How updates arrive. Webhook mode: Telegram's getWebhookInfo (URL, pending updates, last error).
 * Polling mode: no webhook may be set (the bot removes one at start).
 */
export async function checkUpdates(api: CheckApi, config: Pick<Config, "mode" | "webhook" | "port">): Promise<Check> {
  let info: Awaited<ReturnType<CheckApi["getWebhookInfo"]>>;
  try {
    info = await api.getWebhookInfo();
  } catch (error) {
    return failed("updates", false, `Telegram's webhook settings could not be read (${reason(error)})`, "Run the doctor again.");
  }
  const count = info.pending_update_count ?? 0;
  const pending = `${count} pending update${count === 1 ? "" : "s"}`;
  if (config.mode === "polling") {
    if (!info.url) return ok("updates", `Updates: long polling, no webhook set (${pending})`);
    return failed(
      "updates",
      false,
      `A webhook is set (${info.url}) while BOT_MODE=polling`,
      "The bot removes it at start; if another copy runs in webhook mode, stop it or use BOT_MODE=webhook here.",
    );
  }
  const expected = config.webhook?.url;
  if (!info.url) return ok("updates", `Webhook: not set yet, the bot sets ${expected} at start (${pending})`);
  if (info.url !== expected)
    return failed(
      "updates",
      false,
      `Telegram's webhook is ${info.url}, not WEBHOOK_URL (${expected})`,
      "The bot sets WEBHOOK_URL at its next start; if another copy set this one, stop it.",
    );
  if (info.last_error_date) {
    const at = new Date(info.last_error_date * 1000).toISOString().replace(/\.\d+Z$/, "Z");
    return failed(
      "updates",
      false,
      `Webhook ${info.url}: ${pending}; Telegram's last delivery failed at ${at}: ${info.last_error_message ?? "no reason given"}`,
      `WEBHOOK_URL must reach this machine's PORT (${config.port}), through a reverse proxy with a valid TLS certificate, while the bot runs.`,
    );
  }
  return ok("updates", `Webhook ${info.url}: ${pending}, no delivery error`);
}

/** The database opens and has every migration this code has (or it is made at the first start). */
export function checkDatabase(databaseUrl: string, migrations = migrationsDir()): Check {
  const file = sqliteFilePath(databaseUrl);
  const known = readdirSync(migrations, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(migrations, entry.name, "migration.sql")))
    .map((entry) => entry.name);
  if (!existsSync(file)) {
    const dir = nearestExisting(dirname(file));
    if (!writable(dir))
      return failed(
        "database",
        true,
        `The database ${file} does not exist and ${dir} is not writable`,
        `Let the user that runs the bot write to ${dir}, or set DATABASE_URL.`,
      );
    return ok("database", `The database ${file} does not exist yet: it is made and migrated at the first start`);
  }
  let applied: string[];
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const check = db.pragma("quick_check", { simple: true });
      if (check !== "ok")
        return failed(
          "database",
          true,
          `The database ${file} is damaged (${String(check)})`,
          "Stop the bot and restore the newest backup from data/backups/.",
        );
      const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get() !== undefined;
      applied = hasTable
        ? db
            .prepare("SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL")
            .all()
            .map((row) => (row as { name: string }).name)
        : [];
    } finally {
      db.close();
    }
  } catch (error) {
    return failed(
      "database",
      true,
      `The database ${file} does not open (${error instanceof Error ? error.message : String(error)})`,
      "Check the file's owner and permissions, or restore a backup from data/backups/.",
    );
  }
  if (!writable(file) || !writable(dirname(file))) {
    return failed(
      "database",
      true,
      `The database ${file} is not writable by this user`,
      `Give the user that runs the bot write access to ${file} and ${dirname(file)}.`,
    );
  }
  const unknown = applied.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    return failed(
      "database",
      true,
      `The database ${file} has ${unknown.length} migration(s) this code does not know (${unknown.join(", ")})`,
      "The code is older than the database: update it (git pull, npm ci).",
    );
  }
  const pending = known.filter((name) => !applied.includes(name)).length;
  if (pending > 0) return ok("database", `The database ${file} opens; ${pending} new migration(s) are applied at the next start`);
  return ok("database", `The database ${file} opens and has all ${known.length} migrations`);
}

/** The hotline's holiday data covers the next 90 days. */
export function checkHolidays(schedule: HotlineSchedule, now: DateTime): Check {
  const ends = holidayDataEndsSoon(schedule, now);
  if (ends)
    return failed(
      "holidays",
      false,
      `The holiday data ends on ${ends}, within 90 days`,
      "Add the next year's holidays to config/hotline.json (Eid dates as estimates).",
    );
  return ok("holidays", `The holiday data runs until ${schedule.holidaysKnownUntil}`);
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function nearestExisting(dir: string): string {
  let current = dir;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}
