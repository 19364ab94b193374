import type { Logger } from "pino";
import type { Database } from "../db/client.js";
import { eraseExpiredRequests } from "./erase.js";

const HOUR_MS = 60 * 60 * 1000;

/** Erases, about once an hour, the personal data of requests closed more than `days` ago. */
export class RetentionJob {
  private lastRun = 0;

  constructor(
    private readonly db: Database,
    private readonly days: number,
    private readonly logger: Logger,
  ) {}

  async runIfDue(now = new Date()): Promise<void> {
    if (now.getTime() - this.lastRun < HOUR_MS) return;
    this.lastRun = now.getTime();
    const erased = await eraseExpiredRequests(this.db, new Date(now.getTime() - this.days * 24 * HOUR_MS), now);
    if (erased > 0) this.logger.info({ erased }, "personal data of old requests erased (retention)");
  }
}
