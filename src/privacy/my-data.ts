import type { Database } from "../db/client.js";

/** Everything stored about one user besides the profile itself (/mydata). */
export async function collectMyData(db: Database, userId: number) {
  const [requests, votes, noticesReceived] = await Promise.all([
    db.request.findMany({ where: { userId }, include: { attachments: true, messages: true }, orderBy: { id: "asc" } }),
    db.faqVote.count({ where: { userId } }),
    db.broadcastDelivery.count({ where: { userId } }),
  ]);
  return { requests, votes, noticesReceived };
}
