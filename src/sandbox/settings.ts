import type { StaffConfig } from "../config.js";

// What `npm run demo` checks before it loads the bot: a refusal is said at once.

/** What Telegram's tokens look like (as config.ts checks BOT_TOKEN): the sandbox refuses to run beside one. */
const REAL_TOKEN = /^\d{5,}:[A-Za-z0-9_-]{30,}$/;

/**
 * Why the sandbox must not start here, or undefined: it is for trying Hamroh on one's own
 * computer, so it refuses where a real bot is configured (a real-looking BOT_TOKEN) or in
 * production (NODE_ENV=production).
 */
export function demoRefusal(env: NodeJS.ProcessEnv): string | undefined {
  if (env.NODE_ENV?.trim() === "production") {
    return "The Hamroh sandbox does not run with NODE_ENV=production: it is for trying the bot on your own computer. Run it where NODE_ENV is not production (the real bot starts with npm start).";
  }
  if (REAL_TOKEN.test(env.BOT_TOKEN?.trim() ?? "")) {
    return "BOT_TOKEN is set to a real bot token: the Hamroh sandbox never talks to Telegram and refuses to run where a real bot is configured. Unset BOT_TOKEN in this shell (the sandbox does not read .env), or start the real bot with npm start.";
  }
  return undefined;
}

const STAFF_LANGUAGES: StaffConfig["language"][] = ["tg", "ru", "uz", "ky", "en"];

/** The staff group's language from the environment (STAFF_LANGUAGE, as the real bot reads it), if it is a valid one. */
export function staffLanguageFrom(env: NodeJS.ProcessEnv): StaffConfig["language"] | undefined {
  const value = env.STAFF_LANGUAGE?.trim();
  return STAFF_LANGUAGES.find((language) => language === value);
}
