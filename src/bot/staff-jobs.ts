import { GrammyError, type Api } from "grammy";
import { DateTime } from "luxon";
import type { Logger } from "pino";
import type { StaffConfig } from "../config.js";
import type { Database } from "../db/client.js";
import type { HotlineSchedule } from "../hotline/schedule.js";
import { openMillisBetween, referenceOf } from "../requests/domain.js";
import { backoffSeconds, SerialQueue } from "./retry.js";
import { requestCard, requestCardKeyboard, type StaffView } from "./staff-card.js";
import type { StaffChatWatermark } from "./staff-watermark.js";

export interface StaffJobsDeps {
  db: Database;
  /** An Api without auto-retry: these jobs keep their own, persisted, retry schedule. */
  api: Api;
  staff: StaffConfig;
  view: StaffView;
  schedule: () => HotlineSchedule;
  watermark: StaffChatWatermark;
  logger: Logger;
  now: () => DateTime;
}

/** How far above its mark a lost message is looked for, and how many missing ids in a row end the search. */
const LOST_MESSAGE_SEARCH_LIMIT = 100;
const END_OF_CHAT_AFTER_MISSING = 5;

/**
 * Work for the staff group that runs outside update handling and survives refusals and
 * restarts: posting new requests (outbox) and announcing again those nobody took.
 */
export class StaffJobs {
  private forum: boolean | undefined;
  /** Runs one at a time, so that a kick after a new request never races the timer's run. */
  private readonly queue = new SerialQueue();

  constructor(private readonly deps: StaffJobsDeps) {}

  /** Runs every due outbox task; resolves to how many were completed. */
  runOutbox(): Promise<number> {
    return this.queue.run(() => this.runDueTasks());
  }

  announceWaiting(): Promise<number> {
    return this.queue.run(() => this.announceDue());
  }

  private async runDueTasks(): Promise<number> {
    const { db, staff, now } = this.deps;
    if (staff.chatId === undefined) return 0;
    const due = await db.outboxTask.findMany({ where: { doneAt: null, runAt: { lte: now().toJSDate() } }, orderBy: { id: "asc" }, take: 20 });
    let done = 0;
    for (const task of due) {
      try {
        await this.postRequest(staff.chatId, task.requestId);
        await db.outboxTask.update({ where: { id: task.id }, data: { doneAt: now().toJSDate(), attempts: { increment: 1 }, lastError: null } });
        done++;
      } catch (error) {
        const attempts = task.attempts + 1;
        const runAt = now().plus({ seconds: backoffSeconds(attempts, error) }).toJSDate();
        const lastError = error instanceof Error ? error.message.slice(0, 300) : String(error);
        await db.outboxTask.update({ where: { id: task.id }, data: { attempts, runAt, lastError } });
        this.deps.logger.warn({ task: task.id, attempts, err: lastError }, "posting to the staff group failed; will retry");
      }
    }
    return done;
  }

  /**
   * Posts a request's card (in its own forum topic when the group has topics) and its
   * attachments. Each step records its result at once, so a retry never repeats a step; a step
   * whose answer was lost (a crash, a timeout) is looked for before it is sent again.
   */
  private async postRequest(chatId: number, requestId: number): Promise<void> {
    const { db, api, view } = this.deps;
    let request = await db.consultationRequest.findUniqueOrThrow({ where: { id: requestId }, include: { attachments: { orderBy: { id: "asc" } } } });
    this.forum ??= (await api.getChat(chatId)).is_forum === true;
    if (this.forum && request.staffThreadId === null) {
      const name = `${referenceOf(request.id)} · ${view.t(`topic.${request.topic}`)}`.slice(0, 128);
      const topic = await api.createForumTopic(chatId, name);
      request = { ...request, ...(await db.consultationRequest.update({ where: { id: request.id }, data: { staffThreadId: topic.message_thread_id } })) };
    }
    const thread = request.staffThreadId ?? undefined;
    if (request.staffMessageId === null) {
      const keyboard = requestCardKeyboard(view, request);
      // Given the card's own buttons, only the card itself answers "message is not modified".
      // Another of the bot's messages would take them (notes and re-announcements have none): they are taken off again.
      const lost = await this.findLost(request.cardAfterMessageId, (id) => api.editMessageReplyMarkup(chatId, id, { reply_markup: keyboard }), (id) => api.editMessageReplyMarkup(chatId, id));
      const cardId =
        lost ??
        (await this.sendMarked(
          (after) => db.consultationRequest.update({ where: { id: request.id }, data: { cardAfterMessageId: after } }),
          () => api.sendMessage(chatId, requestCard(view, request), { parse_mode: "HTML", message_thread_id: thread, reply_markup: keyboard }),
        ));
      request = { ...request, ...(await db.consultationRequest.update({ where: { id: request.id }, data: { staffMessageId: cardId } })) };
    }
    const replyTo = { message_id: request.staffMessageId!, allow_sending_without_reply: true };
    for (const [index, attachment] of request.attachments.entries()) {
      if (attachment.staffMessageId !== null) continue;
      // Numbered, so that each attachment's caption is its own and a lost one can be found by it.
      const caption = `${referenceOf(request.id)} · ${index + 1}/${request.attachments.length}`;
      const lost = await this.findLost(attachment.sentAfterMessageId, (id) => api.editMessageCaption(chatId, id, { caption }));
      // Sent again by file id: a copy, never a forward that would show the user's account.
      const options = { message_thread_id: thread, reply_parameters: replyTo, caption };
      const sentId =
        lost ??
        (await this.sendMarked(
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

  /**
   * Sends with the staff chat's mark saved first (`mark`), so that a message Telegram took but
   * whose answer never came back can be found above it. Telegram's own refusal means there is
   * no message, and the mark is cleared; after a network error there may be one.
   */
  private async sendMarked(mark: (after: number | null) => Promise<unknown>, send: () => Promise<{ message_id: number }>): Promise<number> {
    const after = await this.deps.watermark.current();
    // Before the bot has seen any message in the group there is no mark to look above.
    await mark(after > 0 ? after : null);
    try {
      return (await send()).message_id;
    } catch (error) {
      if (error instanceof GrammyError) await mark(null);
      throw error;
    }
  }

  /**
   * Finds a message that was sent above the mark `after` but never recorded. The Bot API cannot
   * read messages back, so each message above the mark that the database does not know is
   * edited with `probe` to exactly what the lost message holds: only that message answers
   * "message is not modified". Where an edit goes through, `undo` takes it back. Missing ids in
   * a row mean the end of the chat.
   */
  private async findLost(after: number | null, probe: (id: number) => Promise<unknown>, undo?: (id: number) => Promise<unknown>): Promise<number | undefined> {
    if (after === null) return undefined;
    const known = await this.recordedMessagesAbove(after);
    let missing = 0;
    for (let id = after + 1; id <= after + LOST_MESSAGE_SEARCH_LIMIT && missing < END_OF_CHAT_AFTER_MISSING; id++) {
      if (known.has(id)) {
        missing = 0;
        continue;
      }
      try {
        await probe(id);
        await undo?.(id);
        missing = 0;
      } catch (error) {
        if (!(error instanceof GrammyError) || error.error_code !== 400) throw error;
        if (/message is not modified/i.test(error.description)) return id;
        missing = /not found/i.test(error.description) ? missing + 1 : 0;
      }
    }
    this.deps.logger.info({ chat: "staff", after }, "no lost message found above the mark: it is sent now");
    return undefined;
  }

  /** The staff chat's messages above `after` that the database knows (other cards, attachments, relays). */
  private async recordedMessagesAbove(after: number): Promise<Set<number>> {
    const { db } = this.deps;
    const [cards, attachments, relays] = await Promise.all([
      db.consultationRequest.findMany({ where: { staffMessageId: { gt: after } }, select: { staffMessageId: true } }),
      db.requestAttachment.findMany({ where: { staffMessageId: { gt: after } }, select: { staffMessageId: true } }),
      db.requestMessage.findMany({ where: { staffChatMessageId: { gt: after } }, select: { staffChatMessageId: true } }),
    ]);
    return new Set([...cards.map((row) => row.staffMessageId), ...attachments.map((row) => row.staffMessageId), ...relays.map((row) => row.staffChatMessageId)].filter((id): id is number => id !== null));
  }

  /**
   * Announces again the posted requests that nobody took, once they have waited the configured
   * time — counted only while the hotline is open (urgent ones sooner).
   */
  private async announceDue(): Promise<number> {
    const { db, api, staff, view, now } = this.deps;
    const chatId = staff.chatId;
    if (chatId === undefined) return 0;
    const waiting = await db.consultationRequest.findMany({ where: { status: "open", staffMessageId: { not: null } } });
    let announced = 0;
    for (const request of waiting) {
      const since = DateTime.fromJSDate(request.announcedAt ?? request.createdAt);
      const minutes = request.urgent ? staff.urgentReannounceMinutes : staff.reannounceMinutes;
      const waited = openMillisBetween(since, now(), this.deps.schedule());
      if (waited < minutes * 60_000) continue;
      try {
        await api.sendMessage(chatId, view.t("staff.stillWaiting", { reference: referenceOf(request.id) }), {
          message_thread_id: request.staffThreadId ?? undefined,
          reply_parameters: { message_id: request.staffMessageId!, allow_sending_without_reply: true },
        });
        announced++;
      } catch (error) {
        // One refused announcement (a deleted topic, say) must not hold up the others; retried next time.
        this.deps.logger.warn({ request: request.id, err: error }, "re-announcement failed");
        continue;
      }
      await db.consultationRequest.update({ where: { id: request.id }, data: { announcedAt: now().toJSDate() } });
    }
    return announced;
  }
}
