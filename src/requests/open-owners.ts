import type { Database } from "../db/client.js";

/**
 * Who has a request that is not closed yet. Asked on every message a user types (while a request
 * is open, messages go to its lawyer), so it is kept in memory: loaded once, then updated by the
 * only writer, this process.
 */
export class OpenRequestOwners {
  private owners: Promise<Set<number>> | undefined;

  constructor(private readonly db: Database) {}

  async has(userId: number): Promise<boolean> {
    return (await this.load()).has(userId);
  }

  async opened(userId: number): Promise<void> {
    (await this.load()).add(userId);
  }

  /** After one of the user's requests was closed: they may still have another one open. */
  async closed(userId: number): Promise<void> {
    const stillOpen = await this.db.consultationRequest.count({ where: { userId, status: { not: "closed" } } });
    if (stillOpen === 0) (await this.load()).delete(userId);
  }

  private load(): Promise<Set<number>> {
    this.owners ??= this.db.consultationRequest
      .findMany({ where: { status: { not: "closed" } }, select: { userId: true }, distinct: ["userId"] })
      .then((rows) => new Set(rows.map((row) => row.userId)));
    return this.owners;
  }
}
