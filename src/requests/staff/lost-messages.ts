import type { Logger } from "pino";
import type { Database } from "../../db/client.js";
import { classifyTelegramError, isTelegramRefusal } from "../../telegram/errors.js";
import type { StaffChatWatermark } from "./watermark.js";

/** How far above its mark a lost message is looked for, and how many missing ids in a row end the search. */
const LOST_MESSAGE_SEARCH_LIMIT = 100;
const END_OF_CHAT_AFTER_MISSING = 5;

/**
 * Messages the bot sent to the staff group whose answer never came back (a crash, a timeout):
 * each send is marked first, so that a lost message can be looked for above its mark instead
 * of being sent twice.
 */
export class LostMessageSearch {
  constructor(
    private readonly db: Database,
    private readonly watermark: StaffChatWatermark,
    private readonly logger: Logger,
  ) {}

  /**
   * Sends with the staff chat's mark saved first (`mark`), so that a message Telegram took but
   * whose answer never came back can be found above it. Telegram's own refusal means there is
   * no message, and the mark is cleared; after a network error there may be one.
   */
  async sendMarked(mark: (after: number | null) => Promise<unknown>, send: () => Promise<{ message_id: number }>): Promise<number> {
    const after = await this.watermark.current();
    // Before the bot has seen any message in the group there is no mark to look above.
    await mark(after > 0 ? after : null);
    try {
      return (await send()).message_id;
    } catch (error) {
      if (isTelegramRefusal(error)) await mark(null);
      throw error;
    }
  }

  /**
   * Finds a message that was sent above the mark `after` but never recorded. The Bot API cannot
   * read messages back, so each message above the mark that the database does not know is
   * edited with `probe` to exactly what the lost message holds: only that message answers
   * "message is not modified". Where an edit goes through, `undo` takes it back. Missing ids in
   * a row mean the end of the chat.
   */
  async find(
    after: number | null,
    probe: (id: number) => Promise<unknown>,
    undo?: (id: number) => Promise<unknown>,
  ): Promise<number | undefined> {
    if (after === null) return undefined;
    const known = await this.recordedMessagesAbove(after);
    let missing = 0;
    for (let id = after + 1; id <= after + LOST_MESSAGE_SEARCH_LIMIT && missing < END_OF_CHAT_AFTER_MISSING; id++) {
      if (known.has(id)) {
        missing = 0;
        continue;
      }
      try {
        await probe(id);
        await undo?.(id);
        missing = 0;
      } catch (error) {
        const failure = classifyTelegramError(error);
        if (failure === "not-modified") return id;
        if (failure === "message-gone") missing++;
        else if (failure === "other") missing = 0;
        else throw error;
      }
    }
    this.logger.info({ chat: "staff", after }, "no lost message found above the mark: it is sent now");
    return undefined;
  }

  /** The staff chat's messages above `after` that the database knows (other cards, attachments, relays). */
  private async recordedMessagesAbove(after: number): Promise<Set<number>> {
    const [cards, attachments, relays] = await Promise.all([
      this.db.request.findMany({ where: { staffMessageId: { gt: after } }, select: { staffMessageId: true } }),
      this.db.requestAttachment.findMany({ where: { staffMessageId: { gt: after } }, select: { staffMessageId: true } }),
      this.db.requestMessage.findMany({ where: { staffChatMessageId: { gt: after } }, select: { staffChatMessageId: true } }),
    ]);
    const ids = [
      ...cards.map((row) => row.staffMessageId),
      ...attachments.map((row) => row.staffMessageId),
      ...relays.map((row) => row.staffChatMessageId),
    ];
    return new Set(ids.filter((id): id is number => id !== null));
  }
}
