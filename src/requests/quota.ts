import { createHmac, randomBytes } from "node:crypto";
import type { Database } from "../db/client.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const SALT_KEY = "request-quota-salt";

/**
 * How many requests someone left in the current 24 hours, by a salted hash of their Telegram
 * id and nothing else: the count survives /forget (so erasing does not reset the daily limit)
 * without keeping who it belongs to. The salt is made once and kept in the database.
 */
export class RequestQuotas {
  private salt: Promise<string> | undefined;

  constructor(private readonly db: Database) {}

  /** Requests left in the current window. */
  async used(telegramId: bigint, now: Date): Promise<number> {
    const row = await this.db.requestQuota.findUnique({ where: { userHash: await this.hash(telegramId) } });
    return row && now.getTime() - row.windowStart.getTime() < DAY_MS ? row.count : 0;
  }

  /** Counts one more request; a window older than a day starts again. */
  async count(telegramId: bigint, now: Date): Promise<void> {
    const userHash = await this.hash(telegramId);
    const row = await this.db.requestQuota.findUnique({ where: { userHash } });
    const fresh = !row || now.getTime() - row.windowStart.getTime() >= DAY_MS;
    await this.db.requestQuota.upsert({
      where: { userHash },
      create: { userHash, count: 1, windowStart: now },
      update: fresh ? { count: 1, windowStart: now } : { count: { increment: 1 } },
    });
  }

  /** Windows that ended long ago say nothing any more (run with retention). */
  async prune(now: Date): Promise<void> {
    await this.db.requestQuota.deleteMany({ where: { windowStart: { lt: new Date(now.getTime() - DAY_MS) } } });
  }

  private async hash(telegramId: bigint): Promise<string> {
    this.salt ??= this.loadSalt();
    return createHmac("sha256", await this.salt)
      .update(telegramId.toString())
      .digest("hex");
  }

  private async loadSalt(): Promise<string> {
    const candidate = randomBytes(32).toString("hex");
    // Two starts racing both keep the first salt written.
    await this.db.setting.upsert({ where: { key: SALT_KEY }, create: { key: SALT_KEY, value: candidate }, update: {} });
    return (await this.db.setting.findUniqueOrThrow({ where: { key: SALT_KEY } })).value;
  }
}
