import { type Api, GrammyError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { BotApiMonitor } from "./bot-api-monitor.js";

/** How long one start-up call may take: a route that drops packets is said within 15 seconds of the start. */
export const CONNECT_TIMEOUT_SECONDS = 8;

/** Waits between start-up attempts: 0.5 s, 1 s, 2 s, 4 s, 8 s, then every 15 s. */
export function connectDelayMs(attempt: number): number {
  return Math.min(500 * 2 ** attempt, 15_000);
}

/** A start-up problem that no retry can fix; its message names the setting and the fix. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

/**
 * Asks the Bot API who the bot is (getMe) until it answers. A token Telegram refuses, a 404 or a
 * conflict stops with a StartupError that says what to do; no route, a timeout or a 5xx is
 * recorded by the monitor (which logs it at once, then about once a minute) and tried again.
 * `api` must have no auto-retry and a short timeout (CONNECT_TIMEOUT_SECONDS).
 */
export async function connectToBotApi(
  api: Pick<Api, "getMe">,
  monitor: BotApiMonitor,
  options: { apiRoot: string; wait?: (ms: number) => Promise<void>; stopped?: () => boolean },
): Promise<UserFromGetMe> {
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      const me = await api.getMe();
      monitor.record(undefined);
      return me;
    } catch (error) {
      const fatal = explainTelegramRefusal(error, options.apiRoot);
      if (fatal) throw new StartupError(fatal);
      monitor.recordError(error);
    }
    if (options.stopped?.()) throw new StartupError("stopped before the Bot API answered");
    await wait(connectDelayMs(attempt));
  }
}

/**
 * What a refusal that stops the bot means and how to fix it: the token (401, or 404 from getMe),
 * WEBHOOK_URL (setWebhook's 400), another instance receiving the updates (409). Undefined for
 * anything a retry may fix.
 */
export function explainTelegramRefusal(error: unknown, apiRoot: string): string | undefined {
  if (!(error instanceof GrammyError)) return undefined;
  const { error_code: code, description, method } = error;
  if (code === 401) {
    return [
      `Hamroh cannot start: Telegram refuses BOT_TOKEN (401 Unauthorized). The token was revoked or mistyped.`,
      `  Open @BotFather in Telegram, send /mybots, choose the bot, then "API Token" (or /token) to see the current token,`,
      `  put it in .env as BOT_TOKEN=123456789:AA… and start again.`,
    ].join("\n");
  }
  if (code === 404 && method === "getMe") {
    return [
      `Hamroh cannot start: the Bot API at ${apiRoot} answers 404 Not Found to this BOT_TOKEN.`,
      `  With Telegram's own server this means the token is wrong: copy it again from @BotFather (/mybots → the bot → API Token).`,
      `  With TELEGRAM_API_ROOT set, check that it points to a Bot API server (e.g. http://127.0.0.1:8081, no path).`,
    ].join("\n");
  }
  if (method === "setWebhook" && code === 400) {
    return [
      `Hamroh cannot start: Telegram refuses WEBHOOK_URL (${description}).`,
      "  It must be this bot's public https address, with a valid certificate, on port 443, 80, 88 or 8443 (e.g. https://bot.example.org/telegram),",
      "  reaching this machine's PORT through a reverse proxy. Or use BOT_MODE=polling, which needs no public address.",
    ].join("\n");
  }
  if (code === 409) {
    const webhook = /webhook/i.test(description);
    return [
      `Hamroh stopped: another instance is receiving this bot's updates (409 ${description}).`,
      webhook
        ? "  A webhook is set for this bot while BOT_MODE=polling: another copy runs in webhook mode. Stop it, or run this one with BOT_MODE=webhook."
        : "  Only one program may receive a bot's updates. Stop the other one (another `npm start`, another server, or the service: systemctl status hamroh),",
      webhook ? "" : "  or give this one a bot token of its own.",
    ]
      .filter((line) => line !== "")
      .join("\n");
  }
  return undefined;
}
