import type { Database } from "../db/client.js";
import type { Request } from "../generated/prisma/client.js";
import { type ClosedByErasure, eraseUser } from "../privacy/erase.js";
import { type Outcome, REQUEST_LIMITS } from "./domain.js";
import { OpenRequestCounts } from "./open-counts.js";
import { RequestQuotas } from "./quota.js";
import { closeRequests, type LimitReached, type RequestDraft, RequestStore, type RequestWithUser } from "./store.js";

export type SubmitOutcome = { kind: "saved"; request: Request } | { kind: "limit"; limit: LimitReached };
export type TakeOutcome =
  | { kind: "taken"; request: Request }
  | { kind: "already-taken"; lawyerName: string | null; byYou: boolean }
  | { kind: "closed" }
  | { kind: "unknown" };
export type HandOverOutcome =
  | { kind: "handed-over"; request: Request; from: string | null }
  | { kind: "not-taken" }
  | { kind: "closed" }
  | { kind: "unknown" };
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
    const taken = await this.db.request.updateMany({
      where: { id, status: "open" },
      data: { status: "taken", lawyerId: BigInt(lawyer.id), lawyerName: lawyer.name, takenAt: now },
    });
    const request = await this.db.request.findUnique({ where: { id } });
    if (!request) return { kind: "unknown" };
    if (taken.count === 1) {
      await this.note(id, "taken", lawyer, now);
      return { kind: "taken", request };
    }
    if (request.status === "closed") return { kind: "closed" };
    return { kind: "already-taken", lawyerName: request.lawyerName, byYou: request.lawyerId === BigInt(lawyer.id) };
  }

  /** Another lawyer takes over a taken request (after confirming); the card keeps who had it. */
  async handOver(id: number, lawyer: Lawyer, now: Date): Promise<HandOverOutcome> {
    const before = await this.db.request.findUnique({ where: { id } });
    if (!before) return { kind: "unknown" };
    if (before.status === "closed") return { kind: "closed" };
    const moved = await this.db.request.updateMany({
      where: { id, status: "taken", lawyerId: before.lawyerId },
      data: { lawyerId: BigInt(lawyer.id), lawyerName: lawyer.name, takenAt: now },
    });
    if (moved.count === 0) return { kind: "not-taken" };
    await this.note(id, "handed-over", lawyer, now, before.lawyerName);
    return { kind: "handed-over", request: await this.db.request.findUniqueOrThrow({ where: { id } }), from: before.lawyerName };
  }

  /**
   * A lawyer answered the client: an open request is taken by them at once (so that it is no
   * longer announced as waiting), and the card notes who answered, once per lawyer.
   */
  async answered(id: number, lawyer: Lawyer, now: Date): Promise<{ tookIt: boolean }> {
    const taken = await this.take(id, lawyer, now);
    const noted = await this.db.requestEvent.count({ where: { requestId: id, kind: "answered", lawyerName: lawyer.name } });
    if (noted === 0) await this.note(id, "answered", lawyer, now);
    return { tookIt: taken.kind === "taken" };
  }

  /** A ready FAQ answer was sent to the client: the card says which. */
  async faqSent(id: number, lawyer: Lawyer, questionId: string, now: Date): Promise<void> {
    await this.note(id, "faq-sent", lawyer, now, questionId);
  }

  /** A service of the help directory was sent to the client (/refer): the card says which. */
  async referred(id: number, lawyer: Lawyer, serviceId: string, now: Date): Promise<void> {
    await this.note(id, "referred", lawyer, now, serviceId);
  }

  private async note(requestId: number, kind: string, lawyer: Lawyer, at: Date, detail?: string | null): Promise<void> {
    await this.db.requestEvent.create({ data: { requestId, kind, lawyerName: lawyer.name, detail: detail ?? null, at } });
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
