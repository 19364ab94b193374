import type { Database } from "../db/client.js";
import type { ConsultationRequest } from "../generated/prisma/client.js";
import { REQUEST_LIMITS, isUrgent, type Country, type Topic } from "./domain.js";

export interface Attachment {
  kind: "photo" | "document" | "voice";
  fileId: string;
}

/** What the dialog collected; stored with the dialog's state, so plain data only. */
export interface RequestDraft {
  topic: Topic;
  country: Country;
  city: string | null;
  question: string;
  attachments: Attachment[];
  replyVia: "telegram" | "call";
  phone: string | null;
}

export type LimitReached = "too-many-open" | "too-many-today";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether this user may leave another request now. */
export async function requestLimitReached(db: Database, userId: number, now: Date): Promise<LimitReached | undefined> {
  const open = await db.consultationRequest.count({ where: { userId, status: { not: "closed" } } });
  if (open >= REQUEST_LIMITS.open) return "too-many-open";
  const today = await db.consultationRequest.count({ where: { userId, createdAt: { gt: new Date(now.getTime() - DAY_MS) } } });
  return today >= REQUEST_LIMITS.perDay ? "too-many-today" : undefined;
}

/**
 * Saves a request with its attachments and the task that posts it to the staff group, in one
 * transaction: the request exists before anything is sent anywhere, and cannot be left unposted.
 */
export async function saveRequest(db: Database, userId: number, language: string, draft: RequestDraft, now: Date): Promise<ConsultationRequest> {
  return db.$transaction(async (tx) => {
    const request = await tx.consultationRequest.create({
      data: {
        userId,
        language,
        topic: draft.topic,
        country: draft.country,
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
