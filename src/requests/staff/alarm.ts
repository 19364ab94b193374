import type { Api } from "grammy";
import type { Logger } from "pino";
import type { Locale, Translate } from "../../i18n.js";
import type { UserStore } from "../../users/store.js";

export type StaffGroupProblem = "removed" | "not-admin";

/**
 * Tells the admins, once, when the bot can no longer work in the staff group: it was removed,
 * or it lost its administrator rights. Told again only after the problem was fixed and came back.
 */
export class StaffGroupAlarm {
  private raised: StaffGroupProblem | undefined;

  constructor(
    private readonly deps: { api: Pick<Api, "sendMessage">; adminIds: number[]; users: UserStore; translate: Record<Locale, Translate>; fallback: Locale; logger: Logger },
  ) {}

  async raise(problem: StaffGroupProblem): Promise<void> {
    if (this.raised === problem) return;
    this.raised = problem;
    const { api, adminIds, users, translate, fallback, logger } = this.deps;
    logger.error({ problem }, "the bot cannot work in the staff group");
    for (const adminId of adminIds) {
      const admin = await users.profile(BigInt(adminId));
      const t = translate[(admin?.language as Locale | undefined) ?? fallback] ?? translate[fallback];
      await api.sendMessage(adminId, t(problem === "removed" ? "staff.alarmRemoved" : "staff.alarmNotAdmin")).catch((error: unknown) => logger.warn({ err: error }, "could not tell an admin"));
    }
  }

  /** The bot is an administrator of the staff group again. */
  clear(): void {
    this.raised = undefined;
  }
}
