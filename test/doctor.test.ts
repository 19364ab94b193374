import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../src/db/migrate.js";
import { doctor } from "../src/ops/doctor.js";
import { LoopbackBotApi } from "./helpers/bot-api-server.js";
import { BOT_TOKEN } from "./helpers/fake-telegram.js";
import { EVERY_RIGHT, GroupTelegram, NO_RIGHTS } from "./helpers/group-telegram.js";

const root = join(import.meta.dirname, "..");
const STAFF_CHAT_ID = "-1001000000001";
const ADMIN_ID = 4242;
const OTHER_ADMIN_ID = 4343;
let dir: string;
let databaseUrl: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hamroh-doctor-"));
  migrateDatabase(join(dir, "hamroh.db"));
  databaseUrl = `file:${join(dir, "hamroh.db")}`;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The doctor as `npm run doctor` runs it, against the fake Bot API, on a migrated database. */
async function runDoctor(telegram: GroupTelegram, env: Record<string, string> = {}) {
  let output = "";
  const code = await doctor(
    { BOT_TOKEN, STAFF_CHAT_ID, ADMIN_IDS: `${ADMIN_ID},${OTHER_ADMIN_ID}`, DATABASE_URL: databaseUrl, ...env },
    {
      client: { fetch: telegram.fetch },
      print: (text) => (output += text),
      now: DateTime.fromISO("2026-11-23T10:00", { zone: "Asia/Dushanbe" }),
    },
  );
  return { code, output, lines: output.split("\n") };
}

function telegramWith(changes: Partial<Pick<GroupTelegram, "botMembership" | "lawyers" | "forum" | "webhook">>): GroupTelegram {
  return Object.assign(new GroupTelegram(), changes);
}

describe("npm run doctor: a checklist with the fix under each ✗", () => {
  it("with every right: every line ✔ and exit 0", async () => {
    const { code, lines } = await runDoctor(telegramWith({ botMembership: EVERY_RIGHT, forum: true, lawyers: 3 }));
    expect(lines.filter((line) => line.startsWith("✗"))).toEqual([]);
    expect(lines).toEqual(
      expect.arrayContaining([
        "✔ BOT_TOKEN works: the bot is @hamroh_test_bot (Hamroh)",
        '✔ STAFF_CHAT_ID is the supergroup "Lawyers", the bot is in it (topics on)',
        "✔ The bot is an administrator of the staff group and may delete messages and manage topics",
        "✔ Lawyers: 3 (the staff group's administrators, bots not counted)",
        "✔ ADMIN_IDS: all 2 admins have started the bot",
        "✔ Updates: long polling, no webhook set (0 pending updates)",
        `✔ The database ${join(dir, "hamroh.db")} opens and has all ${migrationCount()} migrations`,
        "✔ The holiday data runs until 2028-12-31",
        "✔ The content files load (interface strings, FAQ, hotline hours, emergency numbers)",
      ]),
    );
    expect(lines.at(-1)).toBe("All good: Hamroh can work.");
    expect(code).toBe(0);
  });

  it("with the bot as a plain member: ✗ with how to make it an administrator, exit 1", async () => {
    const { code, output } = await runDoctor(telegramWith({ botMembership: { status: "member" } }));
    expect(output).toContain("✗ The bot is a plain member of the staff group, not an administrator");
    expect(output).toContain("→ In the group: Settings → Administrators → Add administrator → the bot, with Delete messages.");
    expect(output).toContain("1 problem keeps Hamroh from its normal work.");
    expect(code).toBe(1);
  });

  it("as an administrator without rights: ✗ naming each missing right (manage topics only when topics are on), exit 1", async () => {
    const withoutTopics = await runDoctor(telegramWith({ botMembership: NO_RIGHTS, forum: false }));
    expect(withoutTopics.output).toContain(
      "✗ The bot is an administrator of the staff group without the right to Delete messages (erasure deletes users' messages and files)",
    );
    expect(withoutTopics.output).toContain("→ In the group: Settings → Administrators → the bot → turn on Delete messages.");
    expect(withoutTopics.code).toBe(1);

    const withTopics = await runDoctor(telegramWith({ botMembership: NO_RIGHTS, forum: true }));
    expect(withTopics.output).toContain(
      "without the right to Delete messages and Manage topics (erasure deletes users' messages and files; each request gets a topic)",
    );
    expect(withTopics.code).toBe(1);

    const onlyTopics = await runDoctor(
      telegramWith({ botMembership: { status: "administrator", can_delete_messages: true, can_manage_topics: false }, forum: true }),
    );
    expect(onlyTopics.output).toContain("without the right to Manage topics (each request gets a topic)");
    expect(onlyTopics.code).toBe(1);
  });

  it("a token Telegram refuses: ✗ naming BOT_TOKEN and @BotFather, the Telegram checks left out, exit 1", async () => {
    const telegram = telegramWith({});
    telegram.failNext("getMe", { error_code: 401, description: "Unauthorized" });
    const { code, lines, output } = await runDoctor(telegram);
    expect(lines[0]).toBe("✗ Telegram refuses BOT_TOKEN (401 Unauthorized): it was revoked or mistyped");
    expect(output).toContain("@BotFather");
    expect(output).not.toContain("STAFF_CHAT_ID is");
    expect(telegram.calls.map((call) => call.method)).toEqual(["getMe"]);
    expect(code).toBe(1);
  });

  it("STAFF_CHAT_ID not set, or a group the bot is not in: ✗ with how to find the group (/staffgroup)", async () => {
    const unset = await runDoctor(telegramWith({}), { STAFF_CHAT_ID: "" });
    expect(unset.output).toContain("✗ STAFF_CHAT_ID is not set: requests are saved but no lawyer sees them");
    expect(unset.output).toContain("send /staffgroup there");
    expect(unset.code).toBe(1);

    const telegram = telegramWith({});
    telegram.failNext("getChat", { error_code: 400, description: "Bad Request: chat not found" });
    const missing = await runDoctor(telegram);
    expect(missing.output).toContain(
      `✗ STAFF_CHAT_ID ${STAFF_CHAT_ID}: the bot is not in this group, or it does not exist (Telegram: Bad Request: chat not found)`,
    );
    expect(missing.code).toBe(1);
  });

  it("an admin who has not started the bot: ✗ with the bot's link, which does not block (exit 0)", async () => {
    const telegram = telegramWith({});
    telegram.failNext(
      "sendChatAction",
      { error_code: 403, description: "Forbidden: bot can't initiate conversation with a user" },
      1,
      OTHER_ADMIN_ID,
    );
    const { code, output } = await runDoctor(telegram);
    expect(output).toContain(
      `✗ ADMIN_IDS: 1 of 2 cannot get messages from the bot: ${OTHER_ADMIN_ID} (Telegram: Forbidden: bot can't initiate conversation with a user)`,
    );
    expect(output).toContain("→ Each of them opens https://t.me/hamroh_test_bot and presses Start (or unblocks the bot).");
    expect(output).toContain("Hamroh can work; 1 thing to fix above.");
    expect(code).toBe(0);
  });

  it("in webhook mode: Telegram's webhook URL, pending updates and last error", async () => {
    const webhookEnv = { BOT_MODE: "webhook", WEBHOOK_URL: "https://bot.example.org/telegram", WEBHOOK_SECRET: "a-very-secret-token-123" };
    const fine = await runDoctor(
      telegramWith({ webhook: { url: "https://bot.example.org/telegram", pending_update_count: 1 } }),
      webhookEnv,
    );
    expect(fine.output).toContain("✔ Webhook https://bot.example.org/telegram: 1 pending update, no delivery error");

    const failing = await runDoctor(
      telegramWith({
        webhook: {
          url: "https://bot.example.org/telegram",
          pending_update_count: 12,
          last_error_date: Date.UTC(2026, 10, 23, 5, 0) / 1000,
          last_error_message: "Connection refused",
        },
      }),
      webhookEnv,
    );
    expect(failing.output).toContain(
      "✗ Webhook https://bot.example.org/telegram: 12 pending updates; Telegram's last delivery failed at 2026-11-23T05:00:00Z: Connection refused",
    );
    expect(failing.output).toContain("→ WEBHOOK_URL must reach this machine's PORT (8080)");

    const notYet = await runDoctor(telegramWith({}), webhookEnv);
    expect(notYet.output).toContain("✔ Webhook: not set yet, the bot sets https://bot.example.org/telegram at start (0 pending updates)");
  });

  it("a database not made yet is fine (made at the first start); settings that are wrong stop the checklist", async () => {
    const fresh = await runDoctor(telegramWith({}), { DATABASE_URL: `file:${join(dir, "new", "hamroh.db")}` });
    expect(fresh.output).toContain(
      `✔ The database ${join(dir, "new", "hamroh.db")} does not exist yet: it is made and migrated at the first start`,
    );

    const wrong = await runDoctor(telegramWith({}), { BOT_TOKEN: "not-a-token" });
    expect(wrong.lines[0]).toMatch(/^✗ Settings \(\.env\): BOT_TOKEN does not look like a bot token/);
    expect(wrong.code).toBe(1);
  });

  it("runs as `npm run doctor` does (tsx scripts/doctor.ts), exit code included", async () => {
    const api = new LoopbackBotApi();
    const apiRoot = await api.start();
    try {
      const [, ...args] = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts.doctor as string).split(/\s+/);
      const tsx = join(root, "node_modules/tsx/dist/cli.mjs");
      const child = spawn(process.execPath, [tsx, ...args.map((arg) => join(root, arg))], {
        cwd: dir,
        env: {
          PATH: process.env.PATH!,
          BOT_TOKEN,
          TELEGRAM_API_ROOT: apiRoot,
          STAFF_CHAT_ID,
          ADMIN_IDS: String(ADMIN_ID),
          DATABASE_URL: databaseUrl,
        },
      });
      let output = "";
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      // The loopback Bot API makes the bot an administrator without rights.
      expect(output).toContain("✔ BOT_TOKEN works: the bot is @hamroh_test_bot");
      expect(output).toContain("✗ The bot is an administrator of the staff group without the right to Delete messages");
      expect(code).toBe(1);
    } finally {
      await api.stop();
    }
  });
});

function migrationCount(): number {
  const migrations = join(root, "prisma", "migrations");
  return readdirSync(migrations).filter((name) => existsSync(join(migrations, name, "migration.sql"))).length;
}
