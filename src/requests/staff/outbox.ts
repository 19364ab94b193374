import type { Api } from "grammy";
import type { Logger } from "pino";
import type { StaffConfig } from "../../config.js";
import type { Database } from "../../db/client.js";
import type { Clock } from "../../shared/clock.js";
import { SerialQueue } from "../../shared/serial-queue.js";
import { classifyTelegramError } from "../../telegram/errors.js";
import { backoffSeconds } from "../../telegram/retry.js";
import { referenceOf } from "../domain.js";
import { requestCard, requestCardKeyboard, type StaffView } from "./card.js";
import type { LostMessageSearch } from "./lost-messages.js";

/** The Bot API calls the outbox makes. */
export type OutboxApi = Pick<
  Api,
  | "getChat"
  | "createForumTopic"
  | "sendMessage"
  | "sendPhoto"
  | "sendVoice"
  | "sendDocument"
  | "editMessageReplyMarkup"
  | "editMessageCaption"
>;

export interface StaffOutboxDeps {
  db: Database;
  /** An Api without auto-retry: the outbox keeps its own, persisted, retry schedule. */
  api: OutboxApi;
  staff: StaffConfig;
  view: StaffView;
  lostMessages: LostMessageSearch;
  logger: Logger;
  clock: Clock;
}

/**
 * Posts new requests to the staff group outside update handling, surviving refusals and
 * restarts: each saved request has an outbox task, retried with backoff until it is done.
 */
/** How long a staff group's topic setting is trusted: admins can switch topics on or off at any time. */
const TOPICS_KNOWN_MS = 5 * 60 * 1000;

export class StaffOutbox {
  /** Per staff group: whether it has topics, and until when (monotonic ms) that is trusted. */
  private readonly topics = new Map<number, { on: boolean; until: number }>();
  /** Runs one at a time, so that a kick after a new request never races the timer's run. */
  private readonly queue = new SerialQueue();

  constructor(private readonly deps: StaffOutboxDeps) {}

  /** Runs every due outbox task; resolves to how many were completed. */
  run(): Promise<number> {
    return this.queue.run(() => this.runDueTasks());
  }

  private async runDueTasks(): Promise<number> {
    const { db, staff, clock } = this.deps;
    if (staff.chatId === undefined) return 0;
    const due = await db.outboxTask.findMany({
      where: { doneAt: null, runAt: { lte: clock.now().toJSDate() } },
      orderBy: { id: "asc" },
      take: 20,
    });
    let done = 0;
    for (const task of due) {
      try {
        await this.post(staff.chatId, task.requestId);
        await db.outboxTask.update({
          where: { id: task.id },
          data: { doneAt: clock.now().toJSDate(), attempts: { increment: 1 }, lastError: null },
        });
        done++;
      } catch (error) {
        const attempts = task.attempts + 1;
        const runAt = clock
          .now()
          .plus({ seconds: backoffSeconds(attempts, error) })
          .toJSDate();
        const lastError = error instanceof Error ? error.message.slice(0, 300) : String(error);
        await db.outboxTask.update({ where: { id: task.id }, data: { attempts, runAt, lastError } });
        this.deps.logger.warn({ task: task.id, attempts, err: lastError }, "posting to the staff group failed; will retry");
      }
    }
    return done;
  }

  /**
   * Posts a request. When its topic is gone (topics switched off, or the topic deleted, since the
   * bot last asked), the topic is forgotten and the post made again at once: in a new topic if the
   * group still has topics, in the group itself if not.
   */
  private async post(chatId: number, requestId: number): Promise<void> {
    try {
      await this.postRequest(chatId, requestId);
    } catch (error) {
      if (classifyTelegramError(error) !== "topic-gone") throw error;
      const request = await this.deps.db.request.update({ where: { id: requestId }, data: { staffThreadId: null } });
      this.topics.delete(Number(request.staffChatId ?? chatId));
      await this.postRequest(chatId, requestId);
    }
  }

  /** Whether the group has topics (getChat), asked again once TOPICS_KNOWN_MS have passed. */
  private async hasTopics(chatId: number): Promise<boolean> {
    const now = this.deps.clock.monotonicMs();
    const known = this.topics.get(chatId);
    if (known && now < known.until) return known.on;
    const on = (await this.deps.api.getChat(chatId)).is_forum === true;
    this.topics.set(chatId, { on, until: now + TOPICS_KNOWN_MS });
    return on;
  }

  /**
   * Posts a request's card (in its own forum topic when the group has topics) and its
   * attachments. Each step records its result at once, so a retry never repeats a step; a step
   * whose answer was lost (a crash, a timeout) is looked for before it is sent again.
   */
  private async postRequest(chatId: number, requestId: number): Promise<void> {
    const { db, api, view, lostMessages } = this.deps;
    let request = await db.request.findUniqueOrThrow({ where: { id: requestId }, include: { attachments: { orderBy: { id: "asc" } } } });
    // A request begun in one staff group is finished there, even if STAFF_CHAT_ID changed meanwhile.
    if (request.staffChatId !== null) chatId = Number(request.staffChatId);
    else request = { ...request, ...(await db.request.update({ where: { id: request.id }, data: { staffChatId: BigInt(chatId) } })) };
    if (request.staffThreadId === null && (await this.hasTopics(chatId))) {
      const name = `${referenceOf(request.id)} · ${view.t(`topic.${request.topic}`)}`.slice(0, 128);
      const topic = await api.createForumTopic(chatId, name);
      request = {
        ...request,
        ...(await db.request.update({ where: { id: request.id }, data: { staffThreadId: topic.message_thread_id } })),
      };
    }
    const thread = request.staffThreadId ?? undefined;
    if (request.staffMessageId === null) {
      const keyboard = requestCardKeyboard(view, request);
      // Given the card's own buttons, only the card itself answers "message is not modified".
      // Another of the bot's messages would take them (notes and re-announcements have none): they are taken off again.
      const lost = await lostMessages.find(
        request.cardAfterMessageId,
        (id) => api.editMessageReplyMarkup(chatId, id, { reply_markup: keyboard }),
        (id) => api.editMessageReplyMarkup(chatId, id),
      );
      const cardId =
        lost ??
        (await lostMessages.sendMarked(
          (after) => db.request.update({ where: { id: request.id }, data: { cardAfterMessageId: after } }),
          () =>
            api.sendMessage(chatId, requestCard(view, request), { parse_mode: "HTML", message_thread_id: thread, reply_markup: keyboard }),
        ));
      request = { ...request, ...(await db.request.update({ where: { id: request.id }, data: { staffMessageId: cardId } })) };
    }
    const replyTo = { message_id: request.staffMessageId!, allow_sending_without_reply: true };
    for (const [index, attachment] of request.attachments.entries()) {
      if (attachment.staffMessageId !== null) continue;
      // Numbered, so that each attachment's caption is its own and a lost one can be found by it.
      const caption = `${referenceOf(request.id)} · ${index + 1}/${request.attachments.length}`;
      const lost = await lostMessages.find(attachment.sentAfterMessageId, (id) => api.editMessageCaption(chatId, id, { caption }));
      // Sent again by file id: a copy, never a forward that would show the user's account.
      const options = { message_thread_id: thread, reply_parameters: replyTo, caption };
      const sentId =
        lost ??
        (await lostMessages.sendMarked(
          (after) => db.requestAttachment.update({ where: { id: attachment.id }, data: { sentAfterMessageId: after } }),
          () =>
            attachment.kind === "photo"
              ? api.sendPhoto(chatId, attachment.fileId, options)
              : attachment.kind === "voice"
                ? api.sendVoice(chatId, attachment.fileId, options)
                : api.sendDocument(chatId, attachment.fileId, options),
        ));
      await db.requestAttachment.update({ where: { id: attachment.id }, data: { staffMessageId: sentId } });
    }
  }
}
