import type { Logger } from "pino";
import type { BroadcastSender } from "./broadcast/sender.js";
import type { FaqViewCounter } from "./faq/views.js";
import type { RetentionJob } from "./privacy/retention.js";
import type { WeeklyReport } from "./reports/weekly.js";
import type { StaffCleaner } from "./requests/staff/cleanup.js";
import type { StaffOutbox } from "./requests/staff/outbox.js";
import type { Reannouncer } from "./requests/staff/reannouncer.js";
import type { Relays } from "./requests/staff/relays.js";

export interface JobServices {
  outbox: StaffOutbox;
  relays: Relays;
  reannouncer: Reannouncer;
  cleaner: StaffCleaner;
  faqViews: FaqViewCounter;
  retention: RetentionJob;
  broadcastSender: BroadcastSender;
  weeklyReport: WeeklyReport;
  logger: Logger;
}

/** How often the periodic jobs run. */
export const JOBS_INTERVAL_MS = 5_000;

export interface BackgroundJobs {
  /** Posts new requests to the staff group, then delivers the relays that wait for them. */
  deliverToStaff(): Promise<void>;
  /** One run of every periodic job; a failing job is logged and does not stop the others. */
  runOnce(): Promise<void>;
  /** At start: notices interrupted by a stop or a crash go on; then every job runs on a timer. */
  start(intervalMs?: number): Promise<void>;
  /** Stops the timer and the notice sender (letting messages in flight finish), then runs every job once more. */
  stop(): Promise<void>;
}

/** The one list of background work: used by main.ts and by the tests alike (the admins' weekly report included). */
export function createBackgroundJobs(services: JobServices): BackgroundJobs {
  const { outbox, relays, reannouncer, cleaner, faqViews, retention, broadcastSender, weeklyReport, logger } = services;
  const deliverToStaff = async () => {
    await outbox.run();
    await relays.deliverDue();
  };
  const periodic: { name: string; run: () => Promise<unknown> }[] = [
    { name: "staff outbox and relays", run: deliverToStaff },
    { name: "re-announcements", run: () => reannouncer.announceDue() },
    { name: "staff group cleanup after erasure", run: () => cleaner.run() },
    { name: "FAQ view counts", run: () => faqViews.flush() },
    { name: "retention", run: () => retention.runIfDue() },
    { name: "weekly report", run: () => weeklyReport.runIfDue() },
  ];
  const runOnce = async () => {
    await Promise.all(
      periodic.map((job) => job.run().catch((error: unknown) => logger.error({ job: job.name, err: error }, "background job failed"))),
    );
  };
  let timer: NodeJS.Timeout | undefined;
  return {
    deliverToStaff,
    runOnce,
    async start(intervalMs = JOBS_INTERVAL_MS) {
      const resent = await broadcastSender.recoverInFlight();
      if (resent > 0) logger.warn({ resent }, "notices that were in flight at the last stop are sent again");
      void broadcastSender.kick();
      timer = setInterval(() => void runOnce(), intervalMs);
      void runOnce();
    },
    async stop() {
      clearInterval(timer);
      await broadcastSender.stop();
      await runOnce();
    },
  };
}
