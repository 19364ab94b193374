import type { Api } from "grammy";
import type { Logger } from "pino";
import type { Locale, Translate } from "../i18n.js";
import type { UserStore } from "../users/store.js";

/**
 * What admins must hear about once: the bot cannot work in the staff group (out of it, not an
 * administrator, or an administrator without a right it needs), or its holiday data ends soon.
 */
export type AdminAlert = "staff-removed" | "staff-not-admin" | "staff-missing-rights" | "holidays-ending";

const MESSAGE_KEY: Record<AdminAlert, string> = {
  "staff-removed": "staff.alarmRemoved",
  "staff-not-admin": "staff.alarmNotAdmin",
  // With `context: "delete"` or `"topics"` when only one of the two rights is missing.
  "staff-missing-rights": "staff.alarmMissingRights",
  "holidays-ending": "admin.holidaysEnding",
};

/** The staff group's problems exclude each other: the bot is out of the group, not an administrator, or one without a right. */
const STAFF_PROBLEMS: AdminAlert[] = ["staff-removed", "staff-not-admin", "staff-missing-rights"];

/**
 * Tells every admin (ADMIN_IDS) once, in their language, about a problem they must fix; told
 * again only after the problem was cleared and came back.
 */
export class AdminAlerts {
  private readonly raised = new Set<AdminAlert>();

  constructor(
    private readonly deps: {
      api: Pick<Api, "sendMessage">;
      adminIds: number[];
      users: UserStore;
      translate: Record<Locale, Translate>;
      fallback: Locale;
      logger: Logger;
    },
  ) {}

  async raise(alert: AdminAlert, values: Record<string, string> = {}): Promise<void> {
    if (this.raised.has(alert)) return;
    if (STAFF_PROBLEMS.includes(alert)) for (const other of STAFF_PROBLEMS) this.raised.delete(other);
    this.raised.add(alert);
    const { api, adminIds, users, translate, fallback, logger } = this.deps;
    logger.warn({ alert }, "admins are told of a problem");
    for (const adminId of adminIds) {
      const admin = await users.profile(BigInt(adminId));
      const t = translate[(admin?.language as Locale | undefined) ?? fallback] ?? translate[fallback];
      await api
        .sendMessage(adminId, t(MESSAGE_KEY[alert], values))
        .catch((error: unknown) => logger.warn({ err: error }, "could not tell an admin"));
    }
  }

  /** The bot is an administrator of the staff group again. */
  clearStaffProblems(): void {
    for (const alert of STAFF_PROBLEMS) this.raised.delete(alert);
  }
}
