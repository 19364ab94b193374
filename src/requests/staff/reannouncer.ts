import type { Api } from "grammy";
import { DateTime } from "luxon";
import type { Logger } from "pino";
import type { StaffConfig } from "../../config.js";
import type { Database } from "../../db/client.js";
import type { HotlineSchedule } from "../../hotline/schedule.js";
import type { Clock } from "../../shared/clock.js";
import { SerialQueue } from "../../shared/serial-queue.js";
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
  logger: Logger;
  clock: Clock;
}

/**
 * Announces again the posted requests that nobody took, once they have waited the configured
 * time — counted only while the hotline is open (urgent ones sooner).
 */
export class Reannouncer {
  private readonly queue = new SerialQueue();

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
      try {
        await api.sendMessage(chatId, view.t("staff.stillWaiting", { reference: referenceOf(request.id) }), {
          message_thread_id: request.staffThreadId ?? undefined,
          reply_parameters: { message_id: request.staffMessageId!, allow_sending_without_reply: true },
        });
        announced++;
      } catch (error) {
        // One refused announcement (a deleted topic, say) must not hold up the others; retried next time.
        this.deps.logger.warn({ request: request.id, err: error }, "re-announcement failed");
        continue;
      }
      await db.request.update({ where: { id: request.id }, data: { announcedAt: clock.now().toJSDate() } });
    }
    return announced;
  }
}
