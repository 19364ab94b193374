import type { Database } from "../db/client.js";
import type { Locale, Translate } from "../i18n.js";
import { escapeHtml } from "../shared/html.js";
import type { Directory } from "./catalog.js";

export interface DirectoryCount {
  serviceId: string;
  shown: number;
  referred: number;
}

/**
 * How often each service was shown to users and referred by lawyers: anonymous figures (a
 * service id and two numbers, no user, no time, no place) for the admins' /stats.
 */
export class DirectoryCounts {
  constructor(private readonly db: Database) {}

  /** The services on a screen a user saw (one write for all of them). */
  async shown(serviceIds: readonly string[]): Promise<void> {
    if (serviceIds.length === 0) return;
    await this.db.$transaction(
      [...new Set(serviceIds)].map(
        (serviceId) => this.db.$executeRaw`INSERT INTO DirectoryCount (serviceId, shown, referred) VALUES (${serviceId}, 1, 0)
          ON CONFLICT (serviceId) DO UPDATE SET shown = shown + 1`,
      ),
    );
  }

  /** A lawyer sent this service to a client. */
  async referred(serviceId: string): Promise<void> {
    await this.db.$executeRaw`INSERT INTO DirectoryCount (serviceId, shown, referred) VALUES (${serviceId}, 0, 1)
      ON CONFLICT (serviceId) DO UPDATE SET referred = referred + 1`;
  }

  /** Every service's counts, most referred first, then most shown. */
  async report(): Promise<DirectoryCount[]> {
    const rows = await this.db.directoryCount.findMany();
    return rows.sort((a, b) => b.referred - a.referred || b.shown - a.shown || a.serviceId.localeCompare(b.serviceId));
  }
}

/**
 * The /stats section (HTML) in the admin's language: the most referred and shown services, at most
 * `limit` lines; services no longer in the directory are named by their id.
 */
export function directoryStatsText(
  t: Translate,
  locale: Locale,
  counts: readonly DirectoryCount[],
  directory: Directory,
  limit = 10,
): string {
  const lines = counts.slice(0, limit).map((count) => {
    const name = directory.byId.get(count.serviceId)?.name[locale] ?? count.serviceId;
    return `• ${escapeHtml(name)}: ${t("directory.statsLine", { shown: count.shown, referred: count.referred })}`;
  });
  return [`<b>${t("directory.statsTitle")}</b>`, ...(lines.length > 0 ? lines : [t("directory.statsNone")])].join("\n");
}
