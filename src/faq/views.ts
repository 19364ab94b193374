import type { Database } from "../db/client.js";

/**
 * How often each answer is opened, counted in memory and written in one transaction every few
 * seconds (and at shutdown): a write on every answer shown would cost more than the answer.
 * A crash loses at most the last few seconds of these anonymous figures.
 */
export class FaqViewCounter {
  private pending = new Map<string, number>();

  constructor(private readonly db: Database) {}

  count(questionId: string): void {
    this.pending.set(questionId, (this.pending.get(questionId) ?? 0) + 1);
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.db.$transaction(
        [...batch].map(
          ([questionId, views]) => this.db.$executeRaw`INSERT INTO FaqView (questionId, views) VALUES (${questionId}, ${views})
            ON CONFLICT (questionId) DO UPDATE SET views = views + ${views}`,
        ),
      );
    } catch (error) {
      for (const [questionId, views] of batch) this.pending.set(questionId, (this.pending.get(questionId) ?? 0) + views);
      throw error;
    }
  }
}
