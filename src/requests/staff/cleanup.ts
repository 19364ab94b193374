import type { Api } from "grammy";
import type { Logger } from "pino";
import type { Database } from "../../db/client.js";
import type { Clock } from "../../shared/clock.js";
import { SerialQueue } from "../../shared/serial-queue.js";
import { classifyTelegramError, isFinalRefusal } from "../../telegram/errors.js";
import { backoffSeconds } from "../../telegram/retry.js";
import { requestCard, type StaffView } from "./card.js";

type Transaction = Parameters<Parameters<Database["$transaction"]>[0]>[0];

/** The Bot API calls the cleanup makes. */
export type CleanupApi = Pick<Api, "deleteMessage" | "deleteForumTopic" | "editMessageText" | "editMessageCaption">;

/** Attempts before a cleanup task is given up (and counted as failed). */
const MAX_ATTEMPTS = 8;

/** What erasing requests leaves to do in the staff group. */
export interface CleanupSummary {
  deleted: number;
  edited: number;
  failed: number;
  pending: number;
}

/**
 * Plans, inside the erasure's transaction, what the staff group must lose about these requests:
 * every attachment and every copy of the client's messages is deleted, the card is edited to say
 * the client erased their data, and with topics the request's topic is deleted.
 */
export async function planStaffCleanup(tx: Transaction, requestIds: number[], now: Date): Promise<void> {
  if (requestIds.length === 0) return;
  const requests = await tx.request.findMany({
    where: { id: { in: requestIds }, staffChatId: { not: null } },
    include: {
      attachments: { where: { staffMessageId: { not: null } } },
      messages: { where: { author: "user", staffChatMessageId: { not: null } } },
    },
  });
  const tasks = requests.flatMap((request) => {
    const chatId = request.staffChatId!;
    const deletions = [...request.attachments.map((a) => a.staffMessageId!), ...request.messages.map((m) => m.staffChatMessageId!)].map(
      (messageId) => ({
        kind: "delete-message",
        chatId,
        messageId,
        requestId: request.id,
        runAt: now,
      }),
    );
    const card =
      request.staffMessageId === null
        ? []
        : [{ kind: "edit-card", chatId, messageId: request.staffMessageId, requestId: request.id, runAt: now }];
    const topic =
      request.staffThreadId === null
        ? []
        : [{ kind: "delete-topic", chatId, threadId: request.staffThreadId, requestId: request.id, runAt: now }];
    return [...deletions, ...card, ...topic];
  });
  if (tasks.length > 0) await tx.staffCleanup.createMany({ data: tasks });
}

export interface StaffCleanupDeps {
  db: Database;
  /** Without auto-retry: refusals are retried here, persisted, with backoff. */
  api: CleanupApi;
  view: StaffView;
  logger: Logger;
  clock: Clock;
}

/**
 * Carries out the planned cleanup outside update handling. What Telegram refuses to delete
 * (bots cannot always delete messages older than 48 hours) is edited instead where possible;
 * passing failures are retried later, and every outcome is counted.
 */
export class StaffCleaner {
  private readonly queue = new SerialQueue();

  constructor(private readonly deps: StaffCleanupDeps) {}

  /** Runs every due task; resolves to how many were settled. */
  run(): Promise<number> {
    return this.queue.run(() => this.runDue());
  }

  async summary(): Promise<CleanupSummary> {
    const rows = await this.deps.db.staffCleanup.groupBy({ by: ["result"], _count: true });
    const count = (result: string | null) => rows.find((row) => row.result === result)?._count ?? 0;
    return { deleted: count("deleted"), edited: count("edited"), failed: count("failed"), pending: count(null) };
  }

  private async runDue(): Promise<number> {
    const { db, clock, logger } = this.deps;
    const due = await db.staffCleanup.findMany({
      where: { doneAt: null, runAt: { lte: clock.now().toJSDate() } },
      orderBy: { id: "asc" },
      take: 50,
    });
    let settled = 0;
    for (const task of due) {
      let result: "deleted" | "edited" | "failed" | undefined;
      let error: unknown;
      try {
        result = await this.carryOut(task);
      } catch (caught) {
        error = caught;
        if (task.attempts + 1 >= MAX_ATTEMPTS) result = "failed";
      }
      if (result) {
        await db.staffCleanup.update({
          where: { id: task.id },
          data: { result, doneAt: clock.now().toJSDate(), attempts: { increment: 1 } },
        });
        settled++;
        if (result === "failed") logger.warn({ cleanup: task.id, kind: task.kind, err: error }, "staff group cleanup given up");
      } else {
        const attempts = task.attempts + 1;
        await db.staffCleanup.update({
          where: { id: task.id },
          data: {
            attempts,
            runAt: clock
              .now()
              .plus({ seconds: backoffSeconds(attempts, error) })
              .toJSDate(),
          },
        });
        logger.warn({ cleanup: task.id, kind: task.kind, attempts, err: error }, "staff group cleanup failed; will retry");
      }
    }
    return settled;
  }

  /** Resolves to the outcome; throws when it should be tried again later. */
  private async carryOut(task: {
    kind: string;
    chatId: bigint;
    messageId: number | null;
    threadId: number | null;
    requestId: number | null;
  }): Promise<"deleted" | "edited" | "failed"> {
    const { api, db, view } = this.deps;
    const chatId = Number(task.chatId);
    if (task.kind === "edit-card") {
      const request = task.requestId === null ? null : await db.request.findUnique({ where: { id: task.requestId } });
      if (!request) return "failed";
      return this.refusedAs(
        () => api.editMessageText(chatId, task.messageId!, requestCard(view, request), { parse_mode: "HTML" }),
        "edited",
      );
    }
    if (task.kind === "delete-topic") return this.refusedAs(() => api.deleteForumTopic(chatId, task.threadId!), "deleted");
    try {
      await api.deleteMessage(chatId, task.messageId!);
      return "deleted";
    } catch (error) {
      if (!isFinalRefusal(error)) throw error;
      if (classifyTelegramError(error) === "message-gone") return "deleted";
      // Too old to delete: a copy of a text is emptied, a photo or document loses its caption.
      const erased = view.t("staff.erasedMessage");
      const edited = await api
        .editMessageText(chatId, task.messageId!, erased)
        .then(() => true)
        .catch(() =>
          api.editMessageCaption(chatId, task.messageId!, { caption: erased }).then(
            () => true,
            () => false,
          ),
        );
      return edited ? "edited" : "failed";
    }
  }

  /** Runs `call`; a final refusal means it cannot be done ("failed"; a message already gone counts as done). */
  private async refusedAs(call: () => Promise<unknown>, done: "deleted" | "edited"): Promise<"deleted" | "edited" | "failed"> {
    try {
      await call();
      return done;
    } catch (error) {
      if (!isFinalRefusal(error)) throw error;
      const failure = classifyTelegramError(error);
      return failure === "message-gone" || failure === "not-modified" ? done : "failed";
    }
  }
}
