import type { Transformer } from "grammy";
import type { Database } from "../../db/client.js";

/**
 * The highest message id known in the staff group — from the bot's own messages and from every
 * message the lawyers send. Message ids in a supergroup only grow, so a message the bot sent but
 * could not record (it stopped in between) can only be above the mark taken before sending it.
 */
export class StaffChatWatermark {
  private highest = 0;
  private loaded: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly chatId: number | undefined,
  ) {}

  see(messageId: number): void {
    this.highest = Math.max(this.highest, messageId);
  }

  /** An API transformer: every message the bot sends to the staff group raises the mark. */
  readonly transformer: Transformer = async (call, method, payload, signal) => {
    const result = await call(method, payload, signal);
    const sentTo = (payload as { chat_id?: unknown }).chat_id;
    const sent = result.ok ? (result.result as { message_id?: unknown }) : undefined;
    if (this.chatId !== undefined && Number(sentTo) === this.chatId && typeof sent?.message_id === "number") this.see(sent.message_id);
    return result;
  };

  /** The mark; after a restart, at least the highest id the database remembers. */
  async current(): Promise<number> {
    this.loaded ??= this.loadRemembered();
    await this.loaded;
    return this.highest;
  }

  private async loadRemembered(): Promise<void> {
    const [requests, attachments, messages] = await Promise.all([
      this.db.request.aggregate({ _max: { staffMessageId: true, cardAfterMessageId: true } }),
      this.db.requestAttachment.aggregate({ _max: { staffMessageId: true } }),
      this.db.requestMessage.aggregate({ _max: { staffChatMessageId: true } }),
    ]);
    const remembered = [
      requests._max.staffMessageId,
      requests._max.cardAfterMessageId,
      attachments._max.staffMessageId,
      messages._max.staffChatMessageId,
    ];
    for (const id of remembered) if (id !== null) this.see(id);
  }
}
