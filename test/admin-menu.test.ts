import { Api } from "grammy";
import type { BotCommand } from "grammy/types";
import { describe, expect, it } from "vitest";
import { loadContent } from "../src/content.js";
import { ADMIN_MENU, registerCommands, STAFF_MENU } from "../src/telegram/commands.js";
import { BOT_TOKEN } from "./helpers/fake-telegram.js";
import { ADMIN_ID, STAFF_CHAT_ID, useHarness } from "./helpers/harness.js";

const h = useHarness();

const en = (await import("../locales/en/bot.json", { with: { type: "json" } })).default;
const ru = (await import("../locales/ru/bot.json", { with: { type: "json" } })).default;
const { i18n } = loadContent();

type MenuCall = { commands: BotCommand[]; scope?: { type: string; chat_id?: number }; language_code?: string };
const menuCalls = (): MenuCall[] => h.telegram.callsOf("setMyCommands").map((call) => call.payload as MenuCall);

describe("command menus", () => {
  it("gives each admin their own menu in their chat, and the staff group its own, in every language", async () => {
    await registerCommands(new Api(BOT_TOKEN, { fetch: h.telegram.fetch }), i18n, {
      adminIds: [ADMIN_ID, 4343],
      staffChatId: STAFF_CHAT_ID,
      staffLanguage: "ru",
    });
    const calls = menuCalls();
    // The users' menus first, as before: no scope, one per app language and a default.
    const users = calls.filter((call) => !call.scope);
    expect(users.map((call) => call.language_code)).toEqual(["tg", "ru", "uz", "ky", "en", undefined]);
    expect(users[4]!.commands.map((c) => c.command)).toContain("help");
    for (const admin of [ADMIN_ID, 4343]) {
      const menus = calls.filter((call) => call.scope?.type === "chat" && call.scope.chat_id === admin);
      expect(menus.map((call) => call.language_code)).toEqual(["tg", "ru", "uz", "ky", "en", undefined]);
      const english = menus[4]!.commands;
      expect(english.slice(0, ADMIN_MENU.length).map((c) => c.command)).toEqual([...ADMIN_MENU]);
      expect(english.find((c) => c.command === "stats")!.description).toBe(en.adminCommands.stats);
      expect(english.find((c) => c.command === "help")!.description).toBe(en.adminCommands.help);
      expect(english.map((c) => c.command)).toContain("hotline"); // the users' commands follow
      expect(english.filter((c) => c.command === "help")).toHaveLength(1);
      // The default (an app language without a menu) is the staff language.
      expect(menus[5]!.commands.find((c) => c.command === "closure")!.description).toBe(ru.adminCommands.closure);
    }
    const staff = calls.filter((call) => call.scope?.chat_id === STAFF_CHAT_ID);
    expect(staff).toHaveLength(6);
    expect(staff[4]!.commands).toEqual(STAFF_MENU.map((command) => ({ command, description: en.staffCommands[command] })));
    for (const call of calls) for (const command of call.commands) expect(command.description.length).toBeLessThanOrEqual(256);
  });

  it("skips an admin's menu that Telegram refuses (they never opened the bot) and still sets the others", async () => {
    const calls: MenuCall[] = [];
    const api: Parameters<typeof registerCommands>[0] = {
      setMyCommands: async (commands, other) => {
        const call = { commands: [...commands], ...other } as MenuCall;
        if (call.scope?.chat_id === 4343) throw new Error("Bad Request: chat not found");
        calls.push(call);
        return true as const;
      },
    };
    await registerCommands(api, i18n, { adminIds: [4343, ADMIN_ID], staffChatId: STAFF_CHAT_ID });
    expect(calls.filter((call) => call.scope?.chat_id === ADMIN_ID)).toHaveLength(6);
    expect(calls.filter((call) => call.scope?.chat_id === STAFF_CHAT_ID)).toHaveLength(6);
  });

  it("sets an admin's menu when they write, once: an admin who opened the bot after the start gets it too", async () => {
    const admin = await h.registered(ADMIN_ID);
    await admin.send("/closures");
    await admin.send("/closures");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const mine = menuCalls().filter((call) => call.scope?.chat_id === ADMIN_ID);
    expect(mine).toHaveLength(6);
    const user = await h.registered(7501);
    await user.send("/start");
    expect(menuCalls().filter((call) => call.scope?.chat_id === 7501)).toEqual([]);
  });
});

describe("/help", () => {
  it("lists an admin's commands with one example each, in their language", async () => {
    const admin = await h.registered(ADMIN_ID);
    const [help] = await admin.send("/help");
    const text = help!.text;
    expect(text.startsWith(`<b>${en.adminHelp.title}</b>`)).toBe(true);
    for (const command of ["stats", "broadcast", "broadcast_cancel", "closure", "closures", "export", "ban", "unban"] as const) {
      expect(text).toContain(`/${command} — ${en.adminHelp[command]}`);
    }
    expect(text.match(/Example: <code>/g)).toHaveLength(8);
    expect(text).toContain("Example: <code>/closure add 21.03.2027-24.03.2027</code>");
    expect(text).toContain("Example: <code>/ban A-1042</code>");
    expect(text).toContain(en.adminHelp.emergency);
  });

  it("stays emergency help for everyone else", async () => {
    const user = await h.registered(7502);
    const [help] = await user.send("/help");
    expect(help!.text).toContain(en.emergency.title);
    expect(help!.text).not.toContain(en.adminHelp.title);
  });

  it("is in Russian for a Russian-speaking admin", async () => {
    const admin = await h.registered(ADMIN_ID, "ru");
    const [help] = await admin.send("/help");
    expect(help!.text).toContain(`<b>${ru.adminHelp.title}</b>`);
    expect(help!.text).toContain(`/closure — ${ru.adminHelp.closure}`);
    expect(help!.text).toContain("Пример: <code>/stats</code>");
  });
});
