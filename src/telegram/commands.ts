import type { Api } from "grammy";
import type { BotCommand, BotCommandScope } from "grammy/types";
import type { i18n } from "i18next";
import type { Logger } from "pino";
import { COMMAND_MENUS, type Locale } from "../i18n.js";

/** Users' commands (`commands.*`). */
const USER_COMMANDS = ["start", "faq", "ask", "myrequests", "hotline", "help", "language", "notices", "privacy"] as const;
/** Admins' own commands (`adminCommands.*`), first in their private chat's menu, followed by the users' ones. */
export const ADMIN_MENU = ["stats", "broadcast", "broadcast_cancel", "closure", "closures", "export", "ban", "unban", "help"] as const;
/** The lawyers' commands in the staff group (`staffCommands.*`). */
export const STAFF_MENU = ["queue", "faq", "ban", "unban", "help"] as const;

export interface CommandMenuOptions {
  /** ADMIN_IDS: each gets the admins' menu in their private chat. */
  adminIds?: readonly number[];
  /** STAFF_CHAT_ID: the lawyers' group gets its own menu. */
  staffChatId?: number;
  /** The language of each menu for an app language the bot has no menu in. */
  staffLanguage?: Locale;
  logger?: Logger;
}

type CommandsApi = Pick<Api, "setMyCommands">;

/**
 * The "/" menus: the users' in each interface language (Tajik for every other app language);
 * with `options`, also the admins' (in each admin's private chat) and the staff group's.
 * A menu Telegram refuses (an admin who never opened the bot, a group the bot is not in) is
 * logged and skipped: the users' menu never depends on it.
 */
export async function registerCommands(api: CommandsApi, i18n: i18n, options: CommandMenuOptions = {}): Promise<void> {
  const usersMenu = (lng: string) => USER_COMMANDS.map((command) => ({ command, description: i18n.t(`commands.${command}`, { lng }) }));
  for (const menu of COMMAND_MENUS) await api.setMyCommands(usersMenu(menu.locale), { language_code: menu.languageCode });
  await api.setMyCommands(usersMenu("tg"));
  for (const adminId of options.adminIds ?? []) await registerAdminMenu(api, i18n, adminId, options);
  if (options.staffChatId !== undefined) await registerStaffMenu(api, i18n, options.staffChatId, options);
}

/** The admins' commands, then the users' (but their /help, which is the admins' own here). */
export function adminCommands(i18n: i18n, lng: string): BotCommand[] {
  return [
    ...ADMIN_MENU.map((command) => ({ command, description: i18n.t(`adminCommands.${command}`, { lng }) })),
    ...USER_COMMANDS.filter((command) => command !== "help").map((command) => ({
      command,
      description: i18n.t(`commands.${command}`, { lng }),
    })),
  ];
}

export function staffCommands(i18n: i18n, lng: string): BotCommand[] {
  return STAFF_MENU.map((command) => ({ command, description: i18n.t(`staffCommands.${command}`, { lng }) }));
}

/** The admins' menu in one admin's private chat, in each app language; false if Telegram refused it. */
export function registerAdminMenu(api: CommandsApi, i18n: i18n, adminId: number, options: CommandMenuOptions = {}): Promise<boolean> {
  return registerIn(api, { type: "chat", chat_id: adminId }, (lng) => adminCommands(i18n, lng), options, { admin: adminId });
}

export function registerStaffMenu(api: CommandsApi, i18n: i18n, chatId: number, options: CommandMenuOptions = {}): Promise<boolean> {
  return registerIn(api, { type: "chat", chat_id: chatId }, (lng) => staffCommands(i18n, lng), options, { staffChat: chatId });
}

async function registerIn(
  api: CommandsApi,
  scope: BotCommandScope,
  commandsIn: (lng: string) => BotCommand[],
  options: CommandMenuOptions,
  where: object,
): Promise<boolean> {
  try {
    for (const menu of COMMAND_MENUS) await api.setMyCommands(commandsIn(menu.locale), { scope, language_code: menu.languageCode });
    await api.setMyCommands(commandsIn(options.staffLanguage ?? "ru"), { scope });
    return true;
  } catch (error) {
    options.logger?.warn({ ...where, err: error }, "a command menu was not set (it is set again at the next start)");
    return false;
  }
}
