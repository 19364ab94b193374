import type { Logger } from "pino";
import type { Database } from "../db/client.js";
import type { RequestQuotas } from "../requests/quota.js";
import type { Clock } from "../shared/clock.js";
import { eraseExpiredRequests } from "./erase.js";

const HOUR_MS = 60 * 60 * 1000;

/** Erases, about once an hour, the personal data of requests closed more than `days` ago (and old request counts). */
export class RetentionJob {
  /** When it last ran, on the monotonic clock. */
  private lastRun: number | undefined;

  constructor(
    private readonly db: Database,
    private readonly days: number,
    private readonly quotas: RequestQuotas,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async runIfDue(): Promise<void> {
    const started = this.clock.monotonicMs();
    if (this.lastRun !== undefined && started - this.lastRun < HOUR_MS) return;
    this.lastRun = started;
    const now = this.clock.now().toJSDate();
    const erased = await eraseExpiredRequests(this.db, new Date(now.getTime() - this.days * 24 * HOUR_MS), now);
    await this.quotas.prune(now);
    if (erased > 0) this.logger.info({ erased }, "personal data of old requests erased (retention)");
  }
}
