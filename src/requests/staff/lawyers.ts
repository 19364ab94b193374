import type { Api } from "grammy";
import type { Logger } from "pino";
import type { Clock } from "../../shared/clock.js";

/** How long a member's status in the staff group is trusted before it is asked again. */
const STATUS_TTL_MS = 3 * 60 * 1000;

/**
 * Who may act for the NGO in the staff group: its administrators (`creator` or `administrator`
 * in `getChatMember`). Plain members may read, but not take, close, answer or ban. Statuses are
 * cached for a few minutes; one that cannot be asked (no network) counts as "not a lawyer".
 */
export class LawyerCheck {
  private readonly statuses = new Map<string, { lawyer: boolean; at: number }>();

  constructor(
    private readonly api: Pick<Api, "getChatMember">,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async isLawyer(chatId: number, userId: number): Promise<boolean> {
    const key = `${chatId}:${userId}`;
    const now = this.clock.monotonicMs();
    const known = this.statuses.get(key);
    if (known && now - known.at < STATUS_TTL_MS) return known.lawyer;
    try {
      const member = await this.api.getChatMember(chatId, userId);
      const lawyer = member.status === "creator" || member.status === "administrator";
      this.statuses.set(key, { lawyer, at: now });
      return lawyer;
    } catch (error) {
      this.logger.warn({ err: error }, "could not check a staff member's status");
      return false;
    }
  }
}
