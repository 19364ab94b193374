import type { Database } from "../db/client.js";

/** Everything stored about one user besides the profile itself (/mydata), including a draft in progress. */
export async function collectMyData(db: Database, userId: number, telegramId: bigint) {
  const [requests, votes, noticesReceived, draft] = await Promise.all([
    db.request.findMany({ where: { userId }, include: { attachments: true, messages: true }, orderBy: { id: "asc" } }),
    db.faqVote.findMany({ where: { userId }, select: { questionId: true, helpful: true } }),
    db.broadcastDelivery.count({ where: { userId } }),
    // The dialogs' state is kept per private chat, whose id is the user's Telegram id.
    db.dialogState.findUnique({ where: { key: telegramId.toString() }, select: { updatedAt: true } }),
  ]);
  return { requests, votes, noticesReceived, draft };
}
