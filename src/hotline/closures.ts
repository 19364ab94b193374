import type { Database } from "../db/client.js";
import type { HotlineConfig } from "./config.js";
import type { Closure } from "./schedule.js";

/**
 * Closures admins add (/closure) on top of the configured schedule. Every change makes a new
 * schedule object (schedules are never changed in place: their days are cached).
 */
export class ClosureStore {
  private loaded: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    /** The bot's own copy of the hotline configuration; `schedule` is replaced on each change. */
    private readonly hotline: HotlineConfig,
    private readonly configured: Closure[] = hotline.schedule.closures,
  ) {}

  /** Loads the stored closures once; every update waits for it. A failed load is tried again by the next update. */
  ready(): Promise<void> {
    this.loaded ??= this.refresh().catch((error: unknown) => {
      this.loaded = undefined;
      throw error;
    });
    return this.loaded;
  }

  async add(closure: Closure, createdBy: number): Promise<number> {
    const row = await this.db.hotlineClosure.create({ data: { ...closure, from: closure.from ?? null, to: closure.to ?? null, createdBy: BigInt(createdBy) } });
    await this.refresh();
    return row.id;
  }

  async remove(id: number): Promise<boolean> {
    const removed = await this.db.hotlineClosure.deleteMany({ where: { id } });
    await this.refresh();
    return removed.count > 0;
  }

  /** Closures from `fromDate` on (ISO date), with their ids. */
  upcoming(fromDate: string) {
    return this.db.hotlineClosure.findMany({ where: { date: { gte: fromDate } }, orderBy: [{ date: "asc" }, { from: "asc" }] });
  }

  private async refresh(): Promise<void> {
    const rows = await this.db.hotlineClosure.findMany();
    const stored = rows.map((row) => ({ date: row.date, from: row.from ?? undefined, to: row.to ?? undefined, reason: row.reason }));
    this.hotline.schedule = { ...this.hotline.schedule, closures: [...this.configured, ...stored] };
  }
}
