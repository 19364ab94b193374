/**
 * The notice sender's pace: as close to `ratePerSecond` as Telegram allows, never more than
 * that within any second as Telegram counts it, so that it has no reason for a 429. Pure: every
 * method takes the time (monotonic ms) from the caller.
 *
 * Telegram counts a message when the request reaches it, which is some time after it leaves: a
 * pause of the sender (the garbage collector, another process on the CPU) or of the network
 * between two sends a window apart would put one more into Telegram's window than was sent in
 * ours. So each send is counted in the window from the latest moment it can have reached
 * Telegram: when it left, plus however much longer than the quickest delivering answer so far
 * its answer took. A request not answered yet counts as reaching Telegram now.
 */
export interface PacedSend {
  /** When the send started. */
  readonly startedAt: number;
  /** When it had surely left the process. */
  leftAt: number;
  /** How long its answer took; undefined until answered. */
  roundTrip?: number;
}

/** Kept free at the end of each window besides what the answers tell; grows after a 429, shrinks back while none comes. */
const MARGIN_MIN_MS = 2;
const MARGIN_MAX_MS = 30;
const MARGIN_STEP_MS = 4;
/** Messages accepted in a row after which the margin shrinks by a millisecond. */
const MARGIN_SHRINK_EVERY = 200;
/** How far a send may catch up on the even pace after a stall (a database write, a batch read), in intervals; never faster than twice the pace. */
const CATCH_UP_INTERVALS = 2;
/** The quickest answer is taken over this many answers, so that a slower route later is learnt. */
const ROUND_TRIPS_KEPT = 256;

export class SendPacer {
  private readonly interval: number;
  /** Sends a window may hold, and how long a window is (ms). */
  private readonly windowSends: number;
  private readonly windowMs: number;
  /** When the next send is due on the even pace. */
  private dueAt = Number.NEGATIVE_INFINITY;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private readonly sends: PacedSend[] = [];
  private readonly roundTrips: number[] = [];
  private marginMs = MARGIN_MIN_MS;
  private acceptedInARow = 0;

  constructor(ratePerSecond: number) {
    this.interval = 1000 / ratePerSecond;
    this.windowSends = Math.max(1, Math.floor(ratePerSecond));
    this.windowMs = this.windowSends * this.interval;
  }

  /** When the next send may start (≤ now: at once). */
  nextAt(now: number): number {
    const span = this.windowMs + this.marginMs;
    // Compared with the quickest answer known now, so that a slow first answer (a new connection) is not taken for the norm.
    const quickest = Math.min(...this.roundTrips);
    const counted = this.sends.map((send) =>
      send.roundTrip === undefined ? Math.max(send.leftAt, now) : Math.max(send.leftAt, send.startedAt + send.roundTrip - quickest),
    );
    // Sends that reached Telegram a whole window ago no longer count (the newest ones always do).
    for (let index = this.sends.length - 1; index >= 0; index--) if (counted[index]! <= now - span) this.sends.splice(index, 1);
    const inWindow = counted.filter((at) => at > now - span).sort((a, b) => b - a);
    const windowEnd = inWindow.length >= this.windowSends ? inWindow[this.windowSends - 1]! + span : Number.NEGATIVE_INFINITY;
    const lastStart = this.sends.reduce((latest, send) => Math.max(latest, send.startedAt), Number.NEGATIVE_INFINITY);
    return Math.max(this.pausedUntil, this.dueAt - CATCH_UP_INTERVALS * this.interval, lastStart + this.interval / 2, windowEnd);
  }

  /** A send starts now. */
  start(now: number): PacedSend {
    this.dueAt = Math.max(now, this.dueAt) + this.interval;
    const send: PacedSend = { startedAt: now, leftAt: now };
    this.sends.push(send);
    return send;
  }

  /** The request has surely left the process by `now` (its bytes were written). */
  left(send: PacedSend, now: number): void {
    send.leftAt = Math.max(send.leftAt, now);
  }

  /**
   * Telegram answered at `now`. A refusal (4xx, a 429 included) delivered no message: it takes
   * no place in the window, nor on the pace. A 5xx may have delivered one: pass `delivered` true.
   */
  answered(send: PacedSend, now: number, delivered: boolean): void {
    if (!delivered) {
      const index = this.sends.indexOf(send);
      if (index >= 0) this.sends.splice(index, 1);
      this.dueAt -= this.interval;
      return;
    }
    // Only answers that delivered a message are compared: a refusal comes back sooner.
    const roundTrip = now - send.startedAt;
    this.roundTrips.push(roundTrip);
    if (this.roundTrips.length > ROUND_TRIPS_KEPT) this.roundTrips.shift();
    send.roundTrip = roundTrip;
    if (++this.acceptedInARow >= MARGIN_SHRINK_EVERY) {
      this.acceptedInARow = 0;
      this.marginMs = Math.max(MARGIN_MIN_MS, this.marginMs - 1);
    }
  }

  /** Telegram answered 429 anyway: the margin grows; nothing goes before `until`. */
  rateLimited(until: number): void {
    this.marginMs = Math.min(MARGIN_MAX_MS, this.marginMs + MARGIN_STEP_MS);
    this.acceptedInARow = 0;
    this.pause(until);
  }

  /** Nothing goes before `until` (a 429's retry_after, an outage). */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** The margin now (for tests and logs). */
  get margin(): number {
    return this.marginMs;
  }
}
