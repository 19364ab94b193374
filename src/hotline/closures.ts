import type { Database } from "../db/client.js";
import type { HotlineClosure } from "../generated/prisma/client.js";
import { type ClosureInput, type ClosureKind, daysOf, isClosureKind } from "./closure-input.js";
import type { HotlineConfig } from "./config.js";
import type { Closure } from "./schedule.js";

/** A stored closure as admins see it (/closures): its days, hours, what users read, the note for staff. */
export interface StoredClosure {
  id: number;
  from: string;
  until: string;
  hours?: { from: string; to: string };
  /** Undefined for closures added before kinds: users read `reason` as it was typed. */
  kind?: ClosureKind;
  reason?: string;
  note?: string;
}

/**
 * Closures admins add (/closure) on top of the configured schedule: a day or a range of days,
 * whole or some hours of each, with a kind that users read in their own language and a note
 * for staff only. Every change makes a new schedule object (schedules are never changed in
 * place: their days are cached).
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

  async add(closure: ClosureInput & { kind: ClosureKind }, createdBy: number): Promise<number> {
    const row = await this.db.hotlineClosure.create({
      data: {
        date: closure.from,
        until: closure.until === closure.from ? null : closure.until,
        from: closure.hours?.from ?? null,
        to: closure.hours?.to ?? null,
        kind: closure.kind,
        note: closure.note ?? null,
        createdBy: BigInt(createdBy),
      },
    });
    await this.refresh();
    return row.id;
  }

  async remove(id: number): Promise<boolean> {
    const removed = await this.db.hotlineClosure.deleteMany({ where: { id } });
    await this.refresh();
    return removed.count > 0;
  }

  /** Closures that are not over on `fromDate` (ISO date), first days first. */
  async upcoming(fromDate: string): Promise<StoredClosure[]> {
    const rows = await this.db.hotlineClosure.findMany({
      where: { OR: [{ date: { gte: fromDate } }, { until: { gte: fromDate } }] },
      orderBy: [{ date: "asc" }, { from: "asc" }],
    });
    return rows.map(storedClosure);
  }

  private async refresh(): Promise<void> {
    const rows = await this.db.hotlineClosure.findMany();
    const stored = rows.flatMap((row) => {
      const closure = storedClosure(row);
      return daysOf(closure.from, closure.until).map(
        (date): Closure => ({
          date,
          ...(closure.hours ? { from: closure.hours.from, to: closure.hours.to } : {}),
          ...(closure.kind ? { kind: closure.kind } : closure.reason ? { reason: closure.reason } : {}),
        }),
      );
    });
    this.hotline.schedule = { ...this.hotline.schedule, closures: [...this.configured, ...stored] };
  }
}

function storedClosure(row: HotlineClosure): StoredClosure {
  return {
    id: row.id,
    from: row.date,
    until: row.until ?? row.date,
    ...(row.from && row.to ? { hours: { from: row.from, to: row.to } } : {}),
    // A kind this version does not know (written by a later one) reads as "other".
    ...(row.kind ? { kind: isClosureKind(row.kind) ? row.kind : "other" } : {}),
    ...(row.reason ? { reason: row.reason } : {}),
    ...(row.note ? { note: row.note } : {}),
  };
}
