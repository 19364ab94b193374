import type { Api } from "grammy";
import type { i18n } from "i18next";
import { COMMAND_MENUS } from "../i18n.js";

const COMMANDS = ["start", "faq", "ask", "myrequests", "hotline", "help", "language", "notices", "privacy"] as const;

/** The "/" menu in each interface language; Tajik is the default for every other app language. */
export async function registerCommands(api: Api, i18n: i18n): Promise<void> {
  const commandsIn = (lng: string) => COMMANDS.map((command) => ({ command, description: i18n.t(`commands.${command}`, { lng }) }));
  for (const { languageCode, locale } of COMMAND_MENUS) await api.setMyCommands(commandsIn(locale), { language_code: languageCode });
  await api.setMyCommands(commandsIn("tg"));
}
