import type { Database } from "../db/client.js";
import type { Request } from "../generated/prisma/client.js";
import { eraseUser, type ClosedByErasure } from "../privacy/erase.js";
import { REQUEST_LIMITS, type Outcome } from "./domain.js";
import { OpenRequestCounts } from "./open-counts.js";
import { RequestQuotas } from "./quota.js";
import { closeRequests, RequestStore, type LimitReached, type RequestDraft, type RequestWithUser } from "./store.js";

export type SubmitOutcome = { kind: "saved"; request: Request } | { kind: "limit"; limit: LimitReached };
export type TakeOutcome = { kind: "taken"; request: Request } | { kind: "already-taken"; lawyerName: string | null } | { kind: "closed" } | { kind: "unknown" };
export type CloseOutcome = { kind: "closed"; request: RequestWithUser } | { kind: "already-closed" } | { kind: "unknown" };

/** Who leaves a request: their profile's id and their Telegram id (for the daily limit). */
export interface Requester {
  id: number;
  telegramId: bigint;
  /** Shown to the lawyer on the card. */
  citizenship?: string | null;
}

export interface Lawyer {
  id: number;
  name: string;
}

/**
 * A request's life: submitted (saved, then posted by the outbox) → taken by a lawyer → closed,
 * or erased with its user. Every change of status goes through here, and so does the count of
 * each user's open requests that it keeps in memory.
 */
export class RequestLifecycle {
  readonly store: RequestStore;
  readonly quotas: RequestQuotas;
  private readonly openCounts: OpenRequestCounts;

  constructor(private readonly db: Database) {
    this.store = new RequestStore(db);
    this.quotas = new RequestQuotas(db);
    this.openCounts = new OpenRequestCounts(() => this.store.openCountsByUser());
  }

  /** Whether the user has a request that is not closed (asked on every message they type). */
  hasOpen(userId: number): Promise<boolean> {
    return this.openCounts.has(userId);
  }

  /** Whether this user may leave another request now: a few open at once, a few a day (also across /forget). */
  async limitReached(user: Requester, now: Date): Promise<LimitReached | undefined> {
    if ((await this.store.countOpen(user.id)) >= REQUEST_LIMITS.open) return "too-many-open";
    return (await this.quotas.used(user.telegramId, now)) >= REQUEST_LIMITS.perDay ? "too-many-today" : undefined;
  }

  /** Saves the request unless the user's limits are reached; the same draft sent twice is saved once. */
  async submit(user: Requester, language: string, draft: RequestDraft, now: Date): Promise<SubmitOutcome> {
    const saved = await this.store.findByDraft(draft.id);
    if (saved) return { kind: "saved", request: saved };
    const limit = await this.limitReached(user, now);
    if (limit) return { kind: "limit", limit };
    const request = await this.store.save(user.id, language, user.citizenship ?? null, draft, now);
    await this.quotas.count(user.telegramId, now);
    await this.openCounts.opened(user.id);
    return { kind: "saved", request };
  }

  /** Atomic: of two lawyers tapping Take at once, only one finds the request still open. */
  async take(id: number, lawyer: Lawyer, now: Date): Promise<TakeOutcome> {
    const taken = await this.db.request.updateMany({ where: { id, status: "open" }, data: { status: "taken", lawyerId: BigInt(lawyer.id), lawyerName: lawyer.name, takenAt: now } });
    const request = await this.db.request.findUnique({ where: { id } });
    if (!request) return { kind: "unknown" };
    if (taken.count === 1) return { kind: "taken", request };
    return request.status === "closed" ? { kind: "closed" } : { kind: "already-taken", lawyerName: request.lawyerName };
  }

  async close(id: number, outcome: Outcome, now: Date): Promise<CloseOutcome> {
    const closed = await closeRequests(this.db, [id], outcome, now);
    const request = await this.store.find(id);
    if (!request) return { kind: "unknown" };
    if (closed === 0) return { kind: "already-closed" };
    if (request.userId !== null) await this.openCounts.closed(request.userId);
    return { kind: "closed", request };
  }

  /** /forget: the user's open requests are closed and every request loses its personal part. */
  async eraseUser(userId: number, now: Date): Promise<ClosedByErasure[]> {
    const closed = await eraseUser(this.db, userId, now);
    if (closed.length > 0) await this.openCounts.closed(userId, closed.length);
    return closed;
  }
}
