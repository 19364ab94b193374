import type { Database } from "../db/client.js";
import type { Prisma, Request } from "../generated/prisma/client.js";
import { type ClosingOutcome, type Country, isUrgent, type Topic } from "./domain.js";

export interface Attachment {
  kind: "photo" | "document" | "voice";
  fileId: string;
}

/** What the request dialog collected; stored with the dialog's state, so plain data only. */
export interface RequestDraft {
  /** Made when the dialog starts: saving the same draft again (after a crash) finds the first request. */
  id?: string;
  topic: Topic;
  country: Country;
  city: string | null;
  question: string;
  attachments: Attachment[];
  replyVia: "telegram" | "call";
  phone: string | null;
}

export type LimitReached = "too-many-open" | "too-many-today";

/** A request with its user and the kinds of its files (what cards show). */
const WITH_USER = { user: true, attachments: { select: { kind: true } }, events: { orderBy: { id: "asc" } } } as const;
export type RequestWithUser = Prisma.RequestGetPayload<{ include: typeof WITH_USER }>;

type Transaction = Parameters<Parameters<Database["$transaction"]>[0]>[0];

/** Requests that are not closed: open or taken. */
export const NOT_CLOSED = { status: { not: "closed" } } as const;

/**
 * Closes requests: the one place a request's status becomes "closed" (lawyers' Close and the
 * user's erasure both come here). Only requests not closed yet change; returns how many did.
 */
export async function closeRequests(db: Database | Transaction, ids: number[], outcome: ClosingOutcome, now: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const { count } = await db.request.updateMany({
    where: { id: { in: ids }, ...NOT_CLOSED },
    data: { status: "closed", outcome, closedAt: now },
  });
  return count;
}

/** The requests table: saving, finding, listing. State changes go through RequestLifecycle. */
export class RequestStore {
  constructor(private readonly db: Database) {}

  /** How many requests the user has that are not closed. */
  countOpen(userId: number): Promise<number> {
    return this.db.request.count({ where: { userId, ...NOT_CLOSED } });
  }

  /**
   * Saves a request with its attachments and the task that posts it to the staff group, in one
   * transaction: the request exists before anything is sent anywhere, and cannot be left unposted.
   */
  save(userId: number, language: string, citizenship: string | null, draft: RequestDraft, now: Date): Promise<Request> {
    return this.db.$transaction(async (tx) => {
      const request = await tx.request.create({
        data: {
          draftId: draft.id,
          userId,
          language,
          topic: draft.topic,
          country: draft.country,
          citizenship,
          city: draft.city,
          question: draft.question,
          replyVia: draft.replyVia,
          phone: draft.replyVia === "call" ? draft.phone : null,
          urgent: isUrgent(draft.topic),
          createdAt: now,
          announcedAt: now,
          attachments: { create: draft.attachments.map((attachment) => ({ kind: attachment.kind, fileId: attachment.fileId })) },
        },
      });
      await tx.outboxTask.create({ data: { kind: "post-request", requestId: request.id, runAt: now } });
      return request;
    });
  }

  /** The request saved from this draft, if it was saved before. */
  findByDraft(draftId: string | undefined): Promise<Request | null> {
    return draftId === undefined ? Promise.resolve(null) : this.db.request.findUnique({ where: { draftId } });
  }

  find(id: number): Promise<RequestWithUser | null> {
    return this.db.request.findUnique({ where: { id }, include: WITH_USER });
  }

  /** A user's latest requests, newest first. */
  ofUser(userId: number, take = 10): Promise<Request[]> {
    return this.db.request.findMany({ where: { userId }, orderBy: { id: "desc" }, take });
  }

  /** A user's requests that are not closed, oldest first. */
  openOfUser(userId: number): Promise<Request[]> {
    return this.db.request.findMany({ where: { userId, ...NOT_CLOSED }, orderBy: { id: "asc" } });
  }

  findOpenOfUser(id: number, userId: number): Promise<Request | null> {
    return this.db.request.findFirst({ where: { id, userId, ...NOT_CLOSED } });
  }

  /** The open request whose lawyer's message (in the user's chat) the user replied to. */
  async openOfUserReply(userId: number, userChatMessageId: number): Promise<number | undefined> {
    const relayed = await this.db.requestMessage.findFirst({ where: { userChatMessageId, request: { userId, ...NOT_CLOSED } } });
    return relayed?.requestId;
  }

  /** Whether this message of the user was already saved for the request's lawyers. */
  async hasUserMessage(requestId: number, userChatMessageId: number): Promise<boolean> {
    return (await this.db.requestMessage.findFirst({ where: { requestId, userChatMessageId } })) !== null;
  }

  /** Requests not closed yet, urgent first, then oldest first (the lawyers' queue). */
  queue(take = 50): Promise<Request[]> {
    return this.db.request.findMany({ where: NOT_CLOSED, orderBy: [{ urgent: "desc" }, { id: "asc" }], take });
  }

  /** Posted requests nobody took or answered. */
  waitingForLawyer(): Promise<Request[]> {
    return this.db.request.findMany({ where: { status: "open", firstReplyAt: null, staffMessageId: { not: null } } });
  }

  /**
   * The request a lawyer's message in the staff group `chatId` is about, and whether it is meant
   * for the client: a reply to the request's card, to a message the bot copied from the client
   * (or an attachment), or to an earlier answer is; any other message in the request's forum
   * topic is an internal note. Cards of another staff group (before STAFF_CHAT_ID changed) are
   * never found.
   */
  async ofStaffMessage(
    chatId: number,
    message: { threadId?: number; repliedToId?: number },
  ): Promise<{ request: RequestWithUser; toClient: boolean } | undefined> {
    const include = WITH_USER;
    const staffChatId = BigInt(chatId);
    const repliedTo = message.repliedToId;
    if (repliedTo !== undefined) {
      const card = await this.db.request.findFirst({ where: { staffChatId, staffMessageId: repliedTo }, include });
      if (card) return { request: card, toClient: true };
      const relayed = await this.db.requestMessage.findFirst({
        where: { staffChatId, staffChatMessageId: repliedTo },
        include: { request: { include } },
      });
      if (relayed) return { request: relayed.request, toClient: true };
      const attachment = await this.db.requestAttachment.findFirst({
        where: { staffMessageId: repliedTo, request: { staffChatId } },
        include: { request: { include } },
      });
      if (attachment) return { request: attachment.request, toClient: true };
    }
    if (message.threadId === undefined) return undefined;
    const inTopic = await this.db.request.findFirst({ where: { staffChatId, staffThreadId: message.threadId }, include });
    return inTopic ? { request: inTopic, toClient: false } : undefined;
  }

  /**
   * Cards posted before the staff group was recorded with them were posted to the group
   * configured then: assumed to be the current one (run once at start).
   */
  async recordStaffChat(chatId: number): Promise<void> {
    const staffChatId = BigInt(chatId);
    await this.db.request.updateMany({
      where: { staffChatId: null, OR: [{ staffMessageId: { not: null } }, { staffThreadId: { not: null } }] },
      data: { staffChatId },
    });
    await this.db.requestMessage.updateMany({ where: { staffChatId: null, staffChatMessageId: { not: null } }, data: { staffChatId } });
  }

  /** The user's rating of a closed request, once; whether it was taken. */
  async rate(id: number, userId: number, rating: number): Promise<boolean> {
    const rated = await this.db.request.updateMany({ where: { id, userId, status: "closed", rating: null }, data: { rating } });
    return rated.count === 1;
  }

  /** Requests created in [from, to], with the zone of their user, for the CSV export. */
  createdBetween(from: Date, to: Date) {
    return this.db.request.findMany({
      where: { createdAt: { gte: from, lte: to } },
      orderBy: { id: "asc" },
      include: { user: { select: { timeZone: true } } },
    });
  }

  /** How many requests each user has that are not closed. */
  async openCountsByUser(): Promise<Map<number, number>> {
    const rows = await this.db.request.groupBy({ by: ["userId"], where: NOT_CLOSED, _count: true });
    return new Map(rows.flatMap((row) => (row.userId === null ? [] : [[row.userId, row._count] as const])));
  }
}
