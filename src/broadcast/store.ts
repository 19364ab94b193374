import type { Database } from "../db/client.js";
import type { Broadcast } from "../generated/prisma/client.js";
import { type Audience, audienceFilter, type NoticeContent } from "./notice.js";

/** Broadcasts and their audiences in the database; the sending is BroadcastSender's. */
export class BroadcastStore {
  constructor(private readonly db: Database) {}

  /** The most common time zones of users, for picking an audience. */
  async zones(take = 12): Promise<string[]> {
    const rows = await this.db.user.groupBy({
      by: ["timeZone"],
      where: { timeZone: { not: null } },
      _count: true,
      orderBy: { _count: { timeZone: "desc" } },
      take,
    });
    return rows.map((row) => row.timeZone!);
  }

  countAudience(audience: Audience): Promise<number> {
    return this.db.user.count({ where: audienceFilter(audience) });
  }

  /** Saves the notice with one delivery row per recipient, in one transaction. */
  async create(createdBy: bigint, content: NoticeContent, audience: Audience): Promise<Broadcast> {
    const recipients = await this.db.user.findMany({ where: audienceFilter(audience), select: { id: true } });
    return this.db.$transaction(async (tx) => {
      const created = await tx.broadcast.create({
        data: {
          createdBy,
          content: JSON.stringify(content),
          photoFileId: content.photoFileId,
          audience: JSON.stringify(audience),
          total: recipients.length,
          progressChatId: createdBy,
        },
      });
      await tx.broadcastDelivery.createMany({ data: recipients.map((user) => ({ broadcastId: created.id, userId: user.id })) });
      return created;
    });
  }

  async setProgressMessage(id: number, messageId: number): Promise<void> {
    await this.db.broadcast.update({ where: { id }, data: { progressMessageId: messageId } });
  }

  /** Stops every broadcast being sent; resolves to how many were. */
  async cancelAll(now: Date): Promise<number> {
    const { count } = await this.db.broadcast.updateMany({ where: { status: "sending" }, data: { status: "cancelled", finishedAt: now } });
    return count;
  }
}
