import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { run } from "@grammyjs/runner";
import type { Bot, Context } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "pino";

export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

/** Telegram's updates are far smaller; anything above this is refused unread. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Telegram waits about 10 s for an answer: a slow update is answered before, and goes on being handled. */
const ANSWER_WITHIN_MS = 9_000;

export interface UpdateSource {
  /** Takes no new updates and waits for those being handled. */
  stop(): Promise<void>;
  done: Promise<void>;
}

/** Between failed getUpdates calls (the network down, Telegram's 5xx). */
export const POLL_RETRY_MS = 5_000;

/**
 * Long polling with @grammyjs/runner (chats in parallel, each chat in order). A failed
 * getUpdates is tried again every POLL_RETRY_MS for as long as it takes (the runner's own
 * default doubles its wait without bound and gives up after 15 hours); the Bot API monitor
 * logs the outage, so the runner itself prints nothing.
 */
export function receiveByPolling<C extends Context>(bot: Bot<C>): UpdateSource {
  const runner = run(bot, {
    runner: {
      fetch: { allowed_updates: [...ALLOWED_UPDATES] },
      retryInterval: POLL_RETRY_MS,
      maxRetryTime: Number.POSITIVE_INFINITY,
      silent: true,
    },
  });
  return {
    stop: async () => {
      if (runner.isRunning()) await runner.stop();
    },
    done: runner.task() ?? Promise.resolve(),
  };
}

/**
 * Webhook mode: Telegram posts updates to `url`, which must reach this HTTP server. A request
 * without the secret token gets 401; a body that is not an update (not JSON, `null`, over 1 MB)
 * gets 400 or 413 and is logged; an error while handling is logged and answered 200, so that
 * Telegram does not send the update again. Nothing a request carries can stop the process.
 */
export async function receiveByWebhook<C extends Context>(
  bot: Bot<C>,
  webhook: { url: string; secret: string },
  port: number,
  logger: Logger,
  /** Other requests the same server answers (GET /healthz); returns whether it answered this one. */
  answerOther: (request: IncomingMessage, response: ServerResponse) => boolean = () => false,
): Promise<UpdateSource> {
  const path = new URL(webhook.url).pathname;
  const handling = new Set<Promise<void>>();
  const server = createServer((request, response) => {
    if (request.method !== "POST" && answerOther(request, response)) return;
    if (request.method !== "POST" || request.url !== path) return void response.writeHead(404).end();
    void answer(request, response).catch((error: unknown) => {
      logger.error({ err: error }, "webhook request failed");
      if (!response.headersSent) response.writeHead(500).end();
    });
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hasSecret(request.headers["x-telegram-bot-api-secret-token"], webhook.secret)) return void response.writeHead(401).end();
    const body = await readBody(request);
    if (body === "too-large") {
      logger.warn("webhook request refused: body over 1 MB");
      return void response.writeHead(413).end();
    }
    const update = parseUpdate(body);
    if (!update) {
      logger.warn({ bytes: body.length }, "webhook request refused: not an update");
      return void response.writeHead(400).end();
    }
    const handled: Promise<void> = bot
      .handleUpdate(update)
      .catch((error: unknown) => logger.error({ updateId: update.update_id, err: error }, "update failed"))
      .finally(() => handling.delete(handled));
    handling.add(handled);
    await Promise.race([handled, new Promise((resolve) => setTimeout(resolve, ANSWER_WITHIN_MS).unref())]);
    response.writeHead(200, { "content-type": "application/json" }).end("{}");
  }

  await new Promise<void>((resolve) => server.listen(port, resolve));
  await bot.api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
  let closed: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (closed = resolve));
  return {
    stop: async () => {
      const closing = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      await closing;
      await Promise.all(handling);
      closed();
    },
    done,
  };
}

function hasSecret(header: string | string[] | undefined, secret: string): boolean {
  const given = Buffer.from(typeof header === "string" ? header : "");
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function readBody(request: IncomingMessage): Promise<Buffer | "too-large"> {
  if (Number(request.headers["content-length"] ?? 0) > MAX_BODY_BYTES) return "too-large";
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return "too-large";
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** An update is an object with a numeric update_id; anything else is refused. */
function parseUpdate(body: Buffer): Update | undefined {
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return typeof value === "object" && value !== null && typeof (value as { update_id?: unknown }).update_id === "number"
      ? (value as Update)
      : undefined;
  } catch {
    return undefined;
  }
}
