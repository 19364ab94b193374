import type { Api } from "grammy";
import type { Logger } from "pino";
import type { Database } from "../db/client.js";
import type { Broadcast } from "../generated/prisma/client.js";
import type { Locale, Translate } from "../i18n.js";
import type { Clock } from "../shared/clock.js";
import { classifyTelegramError, isTelegramRefusal, retryAfterSeconds } from "../telegram/errors.js";
import { type NoticeContent, versionFor } from "./notice.js";
import { type PacedSend, SendPacer } from "./pacer.js";

/** The Bot API calls the sender makes. */
export type SenderApi = Pick<Api, "sendMessage" | "sendPhoto" | "editMessageText">;

export interface SenderOptions {
  /** Messages per second over all chats (Telegram accepts about 30). */
  ratePerSecond: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** How often the admin's progress message is edited. */
  progressEveryMs: number;
}

export interface SenderDeps {
  db: Database;
  /** An Api without auto-retry: the sender paces, pauses and retries by itself. */
  api: SenderApi;
  logger: Logger;
  translate: Record<Locale, Translate>;
  options: SenderOptions;
  /** Wall-clock time for what is stored (retryAt, finishedAt); the monotonic clock for every wait and interval. */
  clock: Clock;
}

type Recipient = { id: number; telegramId: bigint; language: string; noticesOff: boolean };

const MAX_ATTEMPTS = 5;
const STATUS_CHECK_MS = 1000;
/** A real wait; callers compute `ms` from the monotonic clock and check it again after waking. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Until the event loop has done its I/O: a request just made has been written to its socket. */
const letRequestLeave = () => new Promise((resolve) => setImmediate(resolve));

/** Sends a notice's text (and photo) as a user sees it; also used for the admin's preview. */
export function sendNotice(api: Pick<Api, "sendMessage" | "sendPhoto">, chatId: number | string, content: NoticeContent, locale: string) {
  const version = versionFor(content, locale);
  return content.photoFileId
    ? api.sendPhoto(chatId, content.photoFileId, { caption: version.text, caption_entities: version.entities })
    : api.sendMessage(chatId, version.text, { entities: version.entities, link_preview_options: { is_disabled: true } });
}

/**
 * Sends notices outside update handling, one delivery row per recipient: paced to the
 * configured rate and never above it within any second (so that Telegram has no reason for a
 * 429), a 429 pauses everything for `retry_after` (a network outage, until it
 * passes), other failures retry with backoff, blocked users are marked unreachable. Each row is claimed ("sending") before the
 * send and settled after it, so a restart resumes exactly where it stopped; rows caught in
 * flight by a crash are sent again and counted as uncertain.
 *
 * Every wait is measured on the monotonic clock, so a step of the wall clock (backwards or
 * forwards) neither freezes nor hurries sending. A retry's time is stored in wall-clock time
 * (`retryAt`, for a restart) and kept in memory on the monotonic clock, which this process obeys.
 */
export class BroadcastSender {
  /** The pace, the window of the last second, and any pause a 429 or an outage asked for (monotonic clock). */
  private readonly pacer: SendPacer;
  /** Deliveries this process scheduled for a retry, by id: when they are due (monotonic ms). */
  private readonly retryDue = new Map<number, number>();
  /** Sends in a row that got no answer from Telegram: the pause grows 1 s, 2 s, 4 s … 30 s. */
  private unreachableInARow = 0;
  private stopping = false;
  private running: Promise<void> | undefined;

  constructor(private readonly deps: SenderDeps) {
    this.pacer = new SendPacer(deps.options.ratePerSecond);
  }

  /** At start: deliveries left "sending" by a crash go out again, flagged as maybe duplicated. */
  async recoverInFlight(): Promise<number> {
    const { count } = await this.deps.db.broadcastDelivery.updateMany({
      where: { status: "sending" },
      data: { status: "pending", uncertain: true },
    });
    return count;
  }

  /** Starts sending whatever is due, unless already sending; resolves when all is sent. */
  kick(): Promise<void> {
    this.running ??= this.loop()
      .catch((error: unknown) => this.deps.logger.error({ err: error }, "broadcast sender stopped"))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Lets the messages in flight finish, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const broadcast = await this.deps.db.broadcast.findFirst({ where: { status: "sending" }, orderBy: { id: "asc" } });
      if (!broadcast) return;
      await this.sendAll(broadcast);
    }
  }

  private async sendAll(broadcast: Broadcast): Promise<void> {
    const { db, options, clock } = this.deps;
    const content = JSON.parse(broadcast.content) as NoticeContent;
    /** Deliveries sent and not yet settled; of them, the requests Telegram has not answered yet. */
    const inFlight = new Set<Promise<void>>();
    const requests = new Set<Promise<void>>();
    let lastProgress = clock.monotonicMs();
    let lastStatusCheck = Number.NEGATIVE_INFINITY;
    /** Whether an admin cancelled it (asked at most every second). */
    const cancelled = async () => {
      if (clock.monotonicMs() - lastStatusCheck < STATUS_CHECK_MS) return false;
      lastStatusCheck = clock.monotonicMs();
      return (await db.broadcast.findUniqueOrThrow({ where: { id: broadcast.id }, select: { status: true } })).status !== "sending";
    };
    while (!this.stopping) {
      lastStatusCheck = Number.NEGATIVE_INFINITY;
      if (await cancelled()) break;
      const batch = await db.broadcastDelivery.findMany({ where: this.dueWhere(broadcast.id), orderBy: { id: "asc" }, take: 100 });
      if (batch.length === 0) {
        await Promise.all(inFlight);
        const waiting = await db.broadcastDelivery.count({ where: { broadcastId: broadcast.id, status: "pending" } });
        if (waiting === 0) break;
        await sleep(500);
        continue;
      }
      const users = new Map(
        (
          await db.user.findMany({
            where: { id: { in: batch.map((d) => d.userId) } },
            select: { id: true, telegramId: true, language: true, noticesOff: true },
          })
        ).map((u) => [u.id, u]),
      );
      for (const delivery of batch) {
        if (this.stopping || (await cancelled())) break;
        const user = users.get(delivery.userId);
        // Turned notices off (or erased their data) since the notice was composed: never sent, and no send slot used.
        if (!user || user.noticesOff) {
          await db.broadcastDelivery.updateMany({ where: { id: delivery.id, status: "pending" }, data: { status: "skipped" } });
          continue;
        }
        while (requests.size >= options.concurrency) await Promise.race(requests);
        // Through a 429's pause before the row is claimed, so that a crash meanwhile leaves it pending, not in flight.
        await this.waitForSlot();
        if (this.stopping) break;
        const claimed = await db.broadcastDelivery.updateMany({
          where: { id: delivery.id, status: "pending" },
          data: { status: "sending", attempts: { increment: 1 } },
        });
        if (claimed.count === 0) continue;
        this.retryDue.delete(delivery.id);
        // The slot is taken right before the request leaves: the claim's write never narrows the gap between two sends.
        const paced = await this.takeSlot();
        // The request counts against `concurrency` until Telegram answers; the row is settled after that.
        let answered!: () => void;
        const request = new Promise<void>((resolve) => (answered = resolve));
        requests.add(request);
        void request.then(() => requests.delete(request));
        const sending: Promise<void> = this.deliver(delivery.id, user, content, paced, answered).finally(() => {
          answered();
          inFlight.delete(sending);
        });
        // A failure (the database) surfaces through all() below; if sending stops first, it is not left unhandled.
        sending.catch(() => undefined);
        inFlight.add(sending);
        // Lets the request leave before any other database work (the next claim, a batch, the
        // progress), then counts it from the moment it has surely left: had the process been held
        // up (a pause of the garbage collector, another process on the CPU) before it went, the
        // window still measures from when it really went, and the send a window later keeps its gap.
        await letRequestLeave();
        this.pacer.left(paced, clock.monotonicMs());
        if (clock.monotonicMs() - lastProgress >= options.progressEveryMs) {
          lastProgress = clock.monotonicMs();
          await this.report(broadcast, false);
        }
      }
    }
    await Promise.all(inFlight);
    // One notice at a time: what is left scheduled belongs to this one (cancelled, or stopping).
    this.retryDue.clear();
    if (this.stopping) return;
    await db.broadcast.updateMany({
      where: { id: broadcast.id, status: "sending" },
      data: { status: "done", finishedAt: clock.now().toJSDate() },
    });
    await this.report(broadcast, true);
  }

  /**
   * The pending deliveries of a notice that are due: never tried, or their retry is due. A retry
   * this process scheduled follows the monotonic clock whatever the wall clock says; one left
   * by an earlier process follows its stored `retryAt`.
   */
  private dueWhere(broadcastId: number) {
    const now = this.deps.clock.monotonicMs();
    const due: number[] = [];
    const notYet: number[] = [];
    for (const [id, at] of this.retryDue) (at <= now ? due : notYet).push(id);
    return {
      broadcastId,
      status: "pending",
      ...(notYet.length > 0 ? { id: { notIn: notYet } } : {}),
      OR: [{ retryAt: null }, { retryAt: { lte: this.deps.clock.now().toJSDate() } }, ...(due.length > 0 ? [{ id: { in: due } }] : [])],
    };
  }

  /** Waits until a message may go (monotonic clock), checked again after every wake-up; `stop()` ends the wait unless the row is already claimed. */
  private async waitForSlot(claimed = false): Promise<void> {
    for (;;) {
      const wait = this.pacer.nextAt(this.deps.clock.monotonicMs()) - this.deps.clock.monotonicMs();
      if (wait <= 0 || (this.stopping && !claimed)) return;
      await sleep(wait);
    }
  }

  /** Waits for a send slot and takes it: the message goes now. */
  private async takeSlot(): Promise<PacedSend> {
    await this.waitForSlot(true);
    return this.pacer.start(this.deps.clock.monotonicMs());
  }

  /** Sends one claimed delivery and settles its row. */
  private async deliver(
    deliveryId: number,
    user: Recipient,
    content: NoticeContent,
    paced: PacedSend,
    answered: () => void,
  ): Promise<void> {
    const { db, api, clock } = this.deps;
    try {
      await sendNotice(api, user.telegramId.toString(), content, user.language);
      answered();
      this.pacer.answered(paced, clock.monotonicMs(), true);
      this.unreachableInARow = 0;
      await db.broadcastDelivery.update({ where: { id: deliveryId }, data: { status: "sent" } });
    } catch (error) {
      answered();
      // Telegram's 4xx answer (a 429 included) delivered no message; a 5xx or no answer may have.
      this.pacer.answered(paced, clock.monotonicMs(), !(isTelegramRefusal(error) && error.error_code < 500));
      await this.settleFailure(deliveryId, user.id, error);
    }
  }

  private async settleFailure(deliveryId: number, userId: number, error: unknown): Promise<void> {
    const { db, clock } = this.deps;
    const failure = classifyTelegramError(error);
    // A 429, or no answer at all (network down, timeout; or not Telegram's error): Telegram is out of
    // reach for every chat alike, so the whole notice pauses and this delivery waits without using up an attempt.
    if (failure === "rate-limited" || failure === "unreachable" || failure === undefined) {
      const unanswered = failure !== "rate-limited";
      const seconds = unanswered ? Math.min(30, 2 ** this.unreachableInARow++) : (retryAfterSeconds(error) ?? 1);
      const until = clock.monotonicMs() + seconds * 1000;
      if (unanswered) this.pacer.pause(until);
      else this.pacer.rateLimited(until);
      // After a timeout Telegram may have taken it: sent again, it is counted as maybe duplicated.
      await db.broadcastDelivery.update({
        where: { id: deliveryId },
        data: { status: "pending", attempts: { decrement: 1 }, ...(unanswered ? { uncertain: true } : {}) },
      });
      return;
    }
    // Blocked the bot, deleted the account, or the chat is gone: out of reach until they write again.
    if (failure === "blocked" || failure === "chat-gone") {
      await db.broadcastDelivery.update({ where: { id: deliveryId }, data: { status: "blocked" } });
      await db.user.update({ where: { id: userId }, data: { unreachable: true } });
      return;
    }
    // Telegram's 5xx is retried with backoff; any other refusal is final.
    const delivery = await db.broadcastDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    const failed = delivery.attempts >= MAX_ATTEMPTS || failure !== "server";
    if (failed) {
      await db.broadcastDelivery.update({ where: { id: deliveryId }, data: { status: "failed" } });
      return;
    }
    const waitMs = 2 ** delivery.attempts * 1000;
    this.retryDue.set(deliveryId, clock.monotonicMs() + waitMs);
    await db.broadcastDelivery.update({
      where: { id: deliveryId },
      data: { status: "pending", retryAt: clock.now().plus({ milliseconds: waitMs }).toJSDate() },
    });
  }

  /** Edits the admin's progress message (sent / total, failed, blocked, time left), or the final report. */
  private async report(broadcast: Broadcast, final: boolean): Promise<void> {
    const { db, api, translate } = this.deps;
    const counts = await db.broadcastDelivery.groupBy({ by: ["status"], where: { broadcastId: broadcast.id }, _count: true });
    const count = (status: string) => counts.find((row) => row.status === status)?._count ?? 0;
    const uncertain = await db.broadcastDelivery.count({ where: { broadcastId: broadcast.id, uncertain: true } });
    const admin = await db.user.findUnique({ where: { telegramId: broadcast.createdBy } });
    const t = translate[(admin?.language ?? "en") as Locale] ?? translate.en;
    const sent = count("sent");
    const left = count("pending") + count("sending");
    const values = {
      id: broadcast.id,
      sent,
      total: broadcast.total,
      failed: count("failed"),
      blocked: count("blocked"),
      uncertain,
      minutes: Math.ceil(left / this.deps.options.ratePerSecond / 60),
    };
    const status = (await db.broadcast.findUniqueOrThrow({ where: { id: broadcast.id } })).status;
    const text = final
      ? t(status === "cancelled" ? "broadcast.cancelledReport" : "broadcast.report", values)
      : t("broadcast.progress", values);
    const chatId = broadcast.progressChatId.toString();
    try {
      if (final || !broadcast.progressMessageId) await api.sendMessage(chatId, text);
      else await api.editMessageText(chatId, broadcast.progressMessageId, text);
    } catch (error) {
      this.deps.logger.warn({ broadcast: broadcast.id, err: error }, "progress message not updated");
    }
  }
}
