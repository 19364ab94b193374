import type { Database } from "../db/client.js";

/** "Was this helpful?": one vote per person and question; voting again replaces the earlier vote. */
export class FaqVotes {
  constructor(private readonly db: Database) {}

  async vote(userId: number, questionId: string, helpful: boolean, at: Date): Promise<void> {
    await this.db
      .$executeRaw`INSERT INTO FaqVote (userId, questionId, helpful, votedAt) VALUES (${userId}, ${questionId}, ${helpful}, ${at})
      ON CONFLICT (userId, questionId) DO UPDATE SET helpful = excluded.helpful, votedAt = excluded.votedAt`;
  }
}
