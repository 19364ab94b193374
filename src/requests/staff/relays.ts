import type { Api } from "grammy";
import type { Logger } from "pino";
import type { StaffConfig } from "../../config.js";
import type { Database } from "../../db/client.js";
import type { Prisma } from "../../generated/prisma/client.js";
import type { Locale, Translate } from "../../i18n.js";
import type { Clock } from "../../shared/clock.js";
import { escapeHtml } from "../../shared/html.js";
import { SerialQueue } from "../../shared/serial-queue.js";
import { classifyTelegramError, isFinalRefusal } from "../../telegram/errors.js";
import { backoffSeconds } from "../../telegram/retry.js";
import { referenceOf } from "../domain.js";
import type { StaffView } from "./card.js";

/** The Bot API calls relays make. */
export type RelayApi = Pick<Api, "copyMessage" | "sendMessage">;

export interface RelayDeps {
  db: Database;
  /** Without auto-retry: a refused delivery is rescheduled here, persisted, instead of holding the queue. */
  api: RelayApi;
  /** With auto-retry: the short notes that tell the author how their message fared. */
  notifyApi: Pick<Api, "sendMessage" | "setMessageReaction">;
  staff: StaffConfig;
  view: StaffView;
  translate: Record<Locale, Translate>;
  logger: Logger;
  clock: Clock;
}

/** Telegram's limits for a message's text and a media's caption. */
const TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;

/**
 * Splits a text into parts whose HTML-escaped form fits `limit`, at line breaks or spaces where
 * possible, so that a long answer arrives whole.
 */
export function splitText(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (escapeHtml(rest).length > limit) {
    let end = Math.min(rest.length, limit);
    while (escapeHtml(rest.slice(0, end)).length > limit) end = Math.floor(end * 0.9);
    const lineBreak = rest.lastIndexOf("\n", end);
    const space = rest.lastIndexOf(" ", end);
    const cut = lineBreak > end / 2 ? lineBreak : space > end / 2 ? space : end;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

type Pending = Prisma.RequestMessageGetPayload<{ include: { request: { include: { user: true } } } }>;
type Outcome = "delivered" | "later" | "failed" | "blocked";

/**
 * The relay outbox: messages between a user and the lawyers are saved first ("pending"), then
 * delivered here, in order per request and direction. What Telegram refuses for a while
 * (network down, 429, 5xx, the card not posted yet) is retried with backoff, also after a restart.
 * Each author is told how it went: delivered, delayed, or not deliverable.
 */
export class Relays {
  private readonly queue = new SerialQueue();

  constructor(private readonly deps: RelayDeps) {}

  /** Saves a user's message for the lawyers of a request and delivers what is due. */
  async fromUser(requestId: number, userChatMessageId: number): Promise<void> {
    await this.deps.db.requestMessage.create({
      data: { requestId, author: "user", userChatMessageId, status: "pending", runAt: this.deps.clock.now().toJSDate() },
    });
    await this.deliverDue();
  }

  /** Saves a lawyer's message (text, or media with a caption) for the user and delivers what is due. */
  async fromLawyer(
    requestId: number,
    staffChatId: number,
    staffChatMessageId: number,
    words: { text?: string; caption?: string },
  ): Promise<void> {
    await this.deps.db.requestMessage.create({
      data: {
        requestId,
        author: "lawyer",
        staffChatId: BigInt(staffChatId),
        staffChatMessageId,
        status: "pending",
        media: words.text === undefined,
        text: words.text ?? words.caption,
        runAt: this.deps.clock.now().toJSDate(),
      },
    });
    await this.deliverDue();
  }

  /** Delivers every pending message that is due; resolves to how many were delivered. */
  deliverDue(): Promise<number> {
    return this.queue.run(() => this.runDue());
  }

  private async runDue(): Promise<number> {
    const { db } = this.deps;
    const now = () => this.deps.clock.now();
    const pending = await db.requestMessage.findMany({
      where: { status: "pending" },
      orderBy: { id: "asc" },
      take: 200,
      include: { request: { include: { user: true } } },
    });
    // A message waits while an earlier one of the same request and direction waits: order is kept.
    const held = new Set<string>();
    let delivered = 0;
    for (const message of pending) {
      const lane = `${message.requestId}:${message.author}`;
      if (held.has(lane)) continue;
      if (message.runAt && message.runAt > now().toJSDate()) {
        held.add(lane);
        continue;
      }
      const outcome = await this.attempt(message);
      if (outcome === "delivered") delivered++;
      if (outcome === "later") held.add(lane);
    }
    return delivered;
  }

  private async attempt(message: Pending): Promise<Outcome> {
    const { db } = this.deps;
    const now = () => this.deps.clock.now();
    let outcome: Outcome;
    let error: unknown;
    try {
      outcome = await this.send(message);
    } catch (caught) {
      error = caught;
      outcome = this.judge(message, caught);
    }
    if (outcome === "later") {
      const attempts = message.attempts + 1;
      await db.requestMessage.update({
        where: { id: message.id },
        data: {
          attempts,
          runAt: now()
            .plus({ seconds: backoffSeconds(attempts, error) })
            .toJSDate(),
        },
      });
      this.deps.logger.warn({ relay: message.id, attempts, err: error }, "relay not delivered yet; will retry");
      // The author hears once that the message waits; a second note would only add noise.
      if (attempts === 1) await this.tell(message, "later");
      return outcome;
    }
    if (outcome !== "delivered") {
      await db.requestMessage.update({ where: { id: message.id }, data: { status: "failed", text: null, runAt: null } });
      if (outcome === "blocked" && message.request.user)
        await db.user.update({ where: { id: message.request.user.id }, data: { unreachable: true } });
    }
    await this.tell(message, outcome);
    return outcome;
  }

  /** Copies the message (never a forward, which would show the author's account); records the copy. */
  private async send(message: Pending): Promise<Outcome> {
    const { db, api, staff } = this.deps;
    const { request } = message;
    if (staff.chatId === undefined) return "later";
    if (message.author === "user") {
      // The copy replies to the card, so the card must be posted first.
      if (!request.user || request.staffMessageId === null || request.staffChatId === null) return "later";
      // To the group that holds the card (the one configured when the request was posted).
      const staffChatId = Number(request.staffChatId);
      const sent = await api.copyMessage(staffChatId, request.user.telegramId.toString(), message.userChatMessageId!, {
        message_thread_id: request.staffThreadId ?? undefined,
        reply_parameters: { message_id: request.staffMessageId, allow_sending_without_reply: true },
      });
      await db.requestMessage.update({
        where: { id: message.id },
        data: { status: "delivered", staffChatId: request.staffChatId, staffChatMessageId: sent.message_id, runAt: null },
      });
      return "delivered";
    }
    if (!request.user) return "failed";
    const header = this.translator(request.user.language)("requests.fromLawyer", { reference: referenceOf(request.id) });
    const userChat = request.user.telegramId.toString();
    const fromChat = Number(message.staffChatId ?? staff.chatId);
    const words = message.text ?? "";
    let firstId: number | undefined;
    let rest = words;
    if (message.media) {
      // A caption holds 1,024 characters: a longer one follows the media as text.
      const caption = [header, words].filter(Boolean).join("\n\n");
      const fits = caption.length <= CAPTION_LIMIT;
      firstId = (
        await api.copyMessage(userChat, fromChat, message.staffChatMessageId!, { caption: fits ? caption : header, protect_content: true })
      ).message_id;
      rest = fits ? "" : words;
    }
    // A text holds 4,096 characters: a longer answer arrives whole, in several messages.
    for (const [index, part] of splitText(rest, TEXT_LIMIT - header.length - 10).entries()) {
      const text = firstId === undefined && index === 0 ? `<b>${header}</b>\n\n${escapeHtml(part)}` : escapeHtml(part);
      const sent = await api.sendMessage(userChat, text, { parse_mode: "HTML", protect_content: true });
      firstId ??= sent.message_id;
    }
    await db.requestMessage.update({
      where: { id: message.id },
      data: { status: "delivered", userChatMessageId: firstId ?? null, text: null, runAt: null },
    });
    if (!request.firstReplyAt)
      await db.request.update({ where: { id: request.id }, data: { firstReplyAt: this.deps.clock.now().toJSDate() } });
    return "delivered";
  }

  /** What a failed delivery means: try again later, or give up (and why). */
  private judge(message: Pending, error: unknown): Outcome {
    if (!isFinalRefusal(error)) return "later";
    const failure = classifyTelegramError(error);
    if (message.author === "lawyer") return failure === "blocked" || error.error_code === 403 ? "blocked" : "failed";
    // Towards the staff group only a deleted original is final: a refusal by the group (the bot
    // removed, rights changed) is the NGO's to fix, and the message waits until it is fixed.
    return failure === "message-gone" ? "failed" : "later";
  }

  /** Tells the author how their message fared; a note that cannot be sent is only logged. */
  private async tell(message: Pending, outcome: Outcome): Promise<void> {
    const { notifyApi, view } = this.deps;
    const { request } = message;
    const reference = referenceOf(request.id);
    try {
      if (message.author === "user") {
        if (!request.user) return;
        const key = {
          delivered: "requests.followUpSent",
          later: "requests.followUpQueued",
          failed: "requests.followUpFailed",
          blocked: "requests.followUpFailed",
        }[outcome];
        await notifyApi.sendMessage(request.user.telegramId.toString(), this.translator(request.user.language)(key, { reference }), {
          reply_parameters: { message_id: message.userChatMessageId!, allow_sending_without_reply: true },
        });
      } else if (message.staffChatId !== null && outcome === "delivered") {
        // Delivered is a quiet 👌 on the lawyer's message (✅ is not among Telegram's reactions); only problems get a reply.
        await notifyApi.setMessageReaction(Number(message.staffChatId), message.staffChatMessageId!, [{ type: "emoji", emoji: "👌" }]);
      } else if (message.staffChatId !== null) {
        const key = {
          delivered: "staff.delivered",
          later: "staff.deliveryQueued",
          failed: "staff.notDelivered",
          blocked: "staff.userBlocked",
        }[outcome];
        await notifyApi.sendMessage(Number(message.staffChatId), view.t(key, { reference }), {
          message_thread_id: request.staffThreadId ?? undefined,
          reply_parameters: { message_id: message.staffChatMessageId!, allow_sending_without_reply: true },
        });
      }
    } catch (error) {
      this.deps.logger.warn({ relay: message.id, err: error }, "could not tell the author about their message");
    }
  }

  private translator(language: string): Translate {
    return this.deps.translate[language as Locale] ?? this.deps.view.t;
  }
}
