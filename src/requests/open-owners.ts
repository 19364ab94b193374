import type { Database } from "../db/client.js";

/**
 * How many requests each user has that are not closed. Asked on every message a user types
 * (while a request is open, messages go to its lawyer), so it is kept in memory: loaded once,
 * then counted up and down by the only writer, this process.
 */
export class OpenRequestOwners {
  private counts: Promise<Map<number, number>> | undefined;

  constructor(private readonly db: Database) {}

  async has(userId: number): Promise<boolean> {
    return (await this.load()).has(userId);
  }

  async opened(userId: number): Promise<void> {
    const counts = await this.load();
    counts.set(userId, (counts.get(userId) ?? 0) + 1);
  }

  async closed(userId: number): Promise<void> {
    const counts = await this.load();
    const left = (counts.get(userId) ?? 1) - 1;
    if (left > 0) counts.set(userId, left);
    else counts.delete(userId);
  }

  private load(): Promise<Map<number, number>> {
    this.counts ??= this.db.consultationRequest
      .groupBy({ by: ["userId"], where: { status: { not: "closed" } }, _count: true })
      .then((rows) => new Map(rows.flatMap((row) => (row.userId === null ? [] : [[row.userId, row._count] as const]))));
    return this.counts;
  }
}
