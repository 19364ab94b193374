import { createRequire } from "node:module";
import { GrammyError, HttpError } from "grammy";
import type { Logger } from "pino";
import type { Clock } from "../shared/clock.js";

/** The fetch grammY itself uses on Node (node-fetch 2 with keep-alive agents): wrapped, not replaced. */
const nodeFetch = createRequire(import.meta.url)("node-fetch") as typeof fetch;

/** How often a lasting problem is logged again, and how long without a good answer before the Bot API is asked. */
export const REPEAT_MS = 60_000;

/** What the health check says about the Bot API: no tokens, ids or texts, only what happened and when. */
export interface BotApiStatus {
  /** Whether the last call that ended was answered fine; undefined before any ended. */
  ok: boolean | undefined;
  lastCallAt: string | undefined;
  /** When the current problem started (ISO); undefined while all is fine. */
  failingSince: string | undefined;
  /** The current problem: an error code (ECONNREFUSED), "no answer within 10 s", "HTTP 502", "401 Unauthorized" … */
  problem: string | undefined;
}

/**
 * Watches every HTTP call to the Bot API (it is grammY's `client.fetch`, below auto-retry, so it
 * sees each attempt): the health check reads the last outcome, and a problem is logged at once —
 * which address, what failed, that Hamroh keeps trying — then about once a minute while it lasts,
 * and once more when the Bot API answers again. When no call proved the Bot API fine for a minute
 * (an idle webhook, or calls hanging on a route that drops packets), `probe` asks it.
 */
export class BotApiMonitor {
  private last: { ok: boolean; at: number; wall: string } | undefined;
  private failing: { since: number; sinceWall: string; problem: string; toldAt: number } | undefined;
  private lastOkAt: number;
  private timer: NodeJS.Timeout | undefined;
  private probing = false;

  constructor(
    private readonly deps: {
      /** The Bot API's address as the logs name it (never with the token). */
      apiRoot: string;
      logger: Logger;
      clock: Clock;
      /** The fetch that does the work (tests: a fake Bot API). */
      fetch?: typeof fetch;
    },
  ) {
    this.lastOkAt = deps.clock.monotonicMs();
  }

  /** For grammY's `client.fetch`: every call goes through it and its outcome is recorded. */
  readonly fetch = (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    try {
      const response = await (this.deps.fetch ?? nodeFetch)(input, init);
      // Judged once grammY has read the answer: a proxy or a wrong address may answer with anything but the Bot API's JSON.
      const json = response.json.bind(response);
      (response as { json: () => Promise<unknown> }).json = async () => {
        try {
          const body: unknown = await json();
          this.record(problemOfStatus(response.status, (body as { description?: unknown } | null)?.description));
          return body;
        } catch (error) {
          const problem = `HTTP ${response.status}, not JSON`;
          this.record(problem);
          // grammY wraps it in an HttpError: whoever records that one names the same problem.
          throw Object.assign(error as object, { botApiProblem: problem });
        }
      };
      return response;
    } catch (error) {
      // An aborted call is grammY's timeout or the bot stopping: the caller, which knows which, records a timeout.
      if (!isAbort(error)) this.record(networkProblem(error));
      throw error;
    }
  }) as typeof fetch;

  /** The outcome of a call: undefined when it was answered fine, else the problem. */
  record(problem: string | undefined): void {
    const { clock, logger, apiRoot } = this.deps;
    const at = clock.monotonicMs();
    this.last = { ok: problem === undefined, at, wall: clock.now().toUTC().toISO()! };
    if (problem === undefined) {
      this.lastOkAt = at;
      if (this.failing) {
        logger.info({ apiRoot, seconds: Math.round((at - this.failing.since) / 1000) }, `the Bot API at ${apiRoot} answers again`);
        this.failing = undefined;
      }
      return;
    }
    if (!this.failing) {
      this.failing = { since: at, sinceWall: this.last.wall, problem, toldAt: at };
      logger.warn({ apiRoot, problem }, describeProblem(apiRoot, problem));
      return;
    }
    this.failing.problem = problem;
    this.tellIfDue();
  }

  /** The outcome of a call that threw (grammY's HttpError or GrammyError). */
  recordError(error: unknown): void {
    this.record(error instanceof GrammyError ? problemOfStatus(error.error_code, error.description) : networkProblem(error));
  }

  status(): BotApiStatus {
    return { ok: this.last?.ok, lastCallAt: this.last?.wall, failingSince: this.failing?.sinceWall, problem: this.failing?.problem };
  }

  get isFailing(): boolean {
    return this.failing !== undefined;
  }

  /**
   * Once a minute: a lasting problem is logged again; without a good answer for a minute, the
   * Bot API is asked (`probe` records its own outcome). The timer is started by `start`.
   */
  async check(probe: () => Promise<unknown>): Promise<void> {
    if (!this.probing && this.deps.clock.monotonicMs() - this.lastOkAt >= REPEAT_MS) {
      this.probing = true;
      try {
        await probe();
        this.record(undefined);
      } catch (error) {
        this.recordError(error);
      } finally {
        this.probing = false;
      }
    }
    this.tellIfDue();
  }

  start(probe: () => Promise<unknown>, everyMs = REPEAT_MS / 4): void {
    this.timer ??= setInterval(() => void this.check(probe), everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tellIfDue(): void {
    const failing = this.failing;
    const now = this.deps.clock.monotonicMs();
    if (!failing || now - failing.toldAt < REPEAT_MS) return;
    failing.toldAt = now;
    const { apiRoot, logger } = this.deps;
    const minutes = Math.round((now - failing.since) / 60_000);
    logger.warn(
      { apiRoot, problem: failing.problem, since: failing.sinceWall, minutes },
      `${describeProblem(apiRoot, failing.problem)} (for ${minutes} min now)`,
    );
  }
}

/** What the problem means and what to do, in one log line. */
function describeProblem(apiRoot: string, problem: string): string {
  if (problem.startsWith("401"))
    return `the Bot API at ${apiRoot} refuses BOT_TOKEN (${problem}): it was revoked or mistyped; get the current one from @BotFather`;
  if (problem.startsWith("409"))
    return `the Bot API at ${apiRoot} answers ${problem}: another instance of the bot is receiving its updates`;
  if (problem.endsWith("not JSON"))
    return `${apiRoot} does not answer like a Bot API (${problem}): Hamroh keeps trying. Check TELEGRAM_API_ROOT, or a proxy in between`;
  if (problem.startsWith("HTTP")) return `the Bot API at ${apiRoot} answers ${problem}: Hamroh keeps trying`;
  return `no route to the Bot API at ${apiRoot} (${problem}): Hamroh keeps trying. Check this machine's network, DNS and firewall (outgoing HTTPS), or TELEGRAM_API_ROOT`;
}

/** Telegram answered: a 5xx, 401 (the token) and 409 (a conflict) are problems; any other answer shows it works. */
function problemOfStatus(status: number, description?: unknown): string | undefined {
  if (status >= 500) return `HTTP ${status}`;
  if (status === 401) return "401 Unauthorized";
  if (status === 409) return `409 Conflict${typeof description === "string" ? ` (${description.replace(/^Conflict:\s*/, "")})` : ""}`;
  return undefined;
}

/**
 * A network failure in a few words, without the URL (which holds the token): the system's code
 * (ECONNREFUSED, ENOTFOUND, ETIMEDOUT …) or grammY's timeout.
 */
export function networkProblem(error: unknown): string {
  const inner = error instanceof HttpError ? error.error : error;
  const code = codeOf(inner) ?? codeOf((inner as { cause?: unknown } | undefined)?.cause);
  if (code) return code;
  const known = (inner as { botApiProblem?: unknown } | undefined)?.botApiProblem;
  if (typeof known === "string") return known;
  const message = inner instanceof Error ? inner.message : String(inner);
  const timeout = /timed out after (\d+) seconds/.exec(message);
  if (timeout) return `no answer within ${timeout[1]} s`;
  return inner instanceof Error ? inner.name : "network error";
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && /^[A-Z_]+$/.test(code) ? code : undefined;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || (error as { type?: string }).type === "aborted");
}
