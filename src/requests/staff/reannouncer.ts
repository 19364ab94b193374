import type { Api } from "grammy";
import { DateTime } from "luxon";
import type { Logger } from "pino";
import type { StaffConfig } from "../../config.js";
import type { Database } from "../../db/client.js";
import type { HotlineSchedule } from "../../hotline/schedule.js";
import type { Clock } from "../../shared/clock.js";
import { SerialQueue } from "../../shared/serial-queue.js";
import { classifyTelegramError } from "../../telegram/errors.js";
import type { AdminAlerts } from "../admin-alerts.js";
import { openMillisBetween, referenceOf } from "../domain.js";
import type { RequestStore } from "../store.js";
import type { StaffView } from "./card.js";

export interface ReannouncerDeps {
  db: Database;
  requests: RequestStore;
  api: Pick<Api, "sendMessage">;
  staff: StaffConfig;
  view: StaffView;
  /** The hotline's schedule as it is now (admins' closures change it). */
  schedule: () => HotlineSchedule;
  alerts: AdminAlerts;
  logger: Logger;
  clock: Clock;
}

/** After a refused announcement, the next try waits 1, 2, 4 … at most 60 minutes. */
const MAX_BACKOFF_MS = 60 * 60 * 1000;

/**
 * Announces again the posted requests that nobody took, once they have waited the configured
 * time — counted only while the hotline is open (urgent ones sooner).
 */
export class Reannouncer {
  private readonly queue = new SerialQueue();
  /** Requests whose announcement Telegram refused: how often, and when to try again (monotonic). */
  private readonly refused = new Map<number, { times: number; retryAt: number }>();

  constructor(private readonly deps: ReannouncerDeps) {}

  /** Resolves to how many requests were announced again. */
  announceDue(): Promise<number> {
    return this.queue.run(() => this.announce());
  }

  private async announce(): Promise<number> {
    const { db, requests, api, staff, view, clock } = this.deps;
    const chatId = staff.chatId;
    if (chatId === undefined) return 0;
    let announced = 0;
    for (const request of await requests.waitingForLawyer()) {
      const since = DateTime.fromJSDate(request.announcedAt ?? request.createdAt);
      const minutes = request.urgent ? staff.urgentReannounceMinutes : staff.reannounceMinutes;
      const waited = openMillisBetween(since, clock.now(), this.deps.schedule());
      if (waited < minutes * 60_000) continue;
      const refused = this.refused.get(request.id);
      if (refused && clock.monotonicMs() < refused.retryAt) continue;
      try {
        await api.sendMessage(chatId, view.t("staff.stillWaiting", { reference: referenceOf(request.id) }), {
          message_thread_id: request.staffThreadId ?? undefined,
          reply_parameters: { message_id: request.staffMessageId!, allow_sending_without_reply: true },
        });
        announced++;
        this.refused.delete(request.id);
      } catch (error) {
        // One refused announcement (a deleted topic, say) must not hold up the others; it is tried again later and later.
        const times = (refused?.times ?? 0) + 1;
        this.refused.set(request.id, { times, retryAt: clock.monotonicMs() + Math.min(60_000 * 2 ** (times - 1), MAX_BACKOFF_MS) });
        this.deps.logger.warn({ request: request.id, times, err: error }, "re-announcement failed");
        if (classifyTelegramError(error) === "chat-gone") await this.deps.alerts.raise("staff-removed");
        continue;
      }
      await db.request.update({ where: { id: request.id }, data: { announcedAt: clock.now().toJSDate() } });
    }
    return announced;
  }
}
