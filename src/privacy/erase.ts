import type { Database } from "../db/client.js";
import { planStaffCleanup } from "../requests/staff/cleanup.js";
import { closeRequests, NOT_CLOSED } from "../requests/store.js";

type Transaction = Parameters<Parameters<Database["$transaction"]>[0]>[0];

/** What the staff group must be told: requests that were still open when their user erased them. */
export interface ClosedByErasure {
  id: number;
  staffMessageId: number | null;
}

/**
 * Erases the personal part of requests — the question, city, phone, attachments and relayed
 * messages, and the link to the user — keeping only anonymous figures: dates, topic, language,
 * urgency, outcome, rating. What the staff group holds about them is planned for deletion first.
 */
async function eraseRequests(tx: Transaction, ids: number[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await planStaffCleanup(tx, ids, now);
  await tx.requestAttachment.deleteMany({ where: { requestId: { in: ids } } });
  await tx.requestMessage.deleteMany({ where: { requestId: { in: ids } } });
  await tx.request.updateMany({ where: { id: { in: ids } }, data: { question: "", city: null, phone: null, userId: null, erasedAt: now } });
}

/**
 * /forget: everything personal about one user goes — profile, votes, notices' delivery rows and
 * requests' personal parts; open requests are closed ("user-erased").
 */
export async function eraseUser(db: Database, userId: number, now: Date): Promise<ClosedByErasure[]> {
  return db.$transaction(async (tx) => {
    const open = await tx.request.findMany({ where: { userId, ...NOT_CLOSED }, select: { id: true, staffMessageId: true } });
    await closeRequests(
      tx,
      open.map((request) => request.id),
      "user-erased",
      now,
    );
    const all = await tx.request.findMany({ where: { userId }, select: { id: true } });
    await eraseRequests(
      tx,
      all.map((request) => request.id),
      now,
    );
    await tx.broadcastDelivery.deleteMany({ where: { userId } });
    await tx.faqVote.deleteMany({ where: { userId } });
    await tx.user.delete({ where: { id: userId } });
    return open;
  });
}

/** The retention rule: personal data of requests closed before `closedBefore` is erased. */
export async function eraseExpiredRequests(db: Database, closedBefore: Date, now: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    const expired = await tx.request.findMany({
      where: { status: "closed", closedAt: { lt: closedBefore }, erasedAt: null },
      select: { id: true },
    });
    await eraseRequests(
      tx,
      expired.map((request) => request.id),
      now,
    );
    return expired.length;
  });
}
