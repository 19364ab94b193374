import { type ApiCall, botInfo, FakeTelegram } from "./fake-telegram.js";

/** The bot's own membership in a group, as getChatMember answers for the bot. */
export type BotMembership =
  | { status: "member" | "left" | "kicked" }
  | { status: "administrator"; can_delete_messages: boolean; can_manage_topics?: boolean };

export const EVERY_RIGHT: BotMembership = { status: "administrator", can_delete_messages: true, can_manage_topics: true };
export const NO_RIGHTS: BotMembership = { status: "administrator", can_delete_messages: false, can_manage_topics: false };

/**
 * The fake Bot API with what the doctor and the staff-group setup ask about a group: the bot's
 * membership and rights (getChatMember for the bot), the group's administrators
 * (getChatAdministrators) and the webhook (getWebhookInfo). Everything else answers as FakeTelegram.
 */
export class GroupTelegram extends FakeTelegram {
  botMembership: BotMembership = EVERY_RIGHT;
  /** Human administrators of the group (the lawyers), besides the bot. */
  lawyers = 2;
  webhook: { url: string; pending_update_count: number; last_error_date?: number; last_error_message?: string } = {
    url: "",
    pending_update_count: 0,
  };

  override answer(method: string, payload: Record<string, any>): { status: number; body: unknown } {
    const result = this.groupResult(method, payload);
    if (result === undefined) return super.answer(method, payload);
    this.calls.push({ method, payload, at: Date.now() } satisfies ApiCall);
    return { status: 200, body: { ok: true, result } };
  }

  private groupResult(method: string, payload: Record<string, any>): unknown {
    const bot = { id: botInfo.id, is_bot: true, first_name: botInfo.first_name, username: botInfo.username };
    if (method === "getChatMember" && Number(payload.user_id) === botInfo.id)
      return { user: bot, can_be_edited: false, ...this.botMembership };
    if (method === "getChatAdministrators") {
      const lawyers = Array.from({ length: this.lawyers }, (_, i) => ({
        status: i === 0 ? "creator" : "administrator",
        user: { id: 7000 + i, is_bot: false, first_name: "Lawyer" },
      }));
      return this.botMembership.status === "administrator" ? [...lawyers, { user: bot, ...this.botMembership }] : lawyers;
    }
    if (method === "getWebhookInfo") return this.webhook;
    return undefined;
  }
}
