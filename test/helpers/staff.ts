import { type Harness, STAFF_CHAT_ID } from "./harness.js";

/** The lawyers' supergroup as it appears in updates. */
export const staffChat = { id: STAFF_CHAT_ID, type: "supergroup" as const, title: "Lawyers" };

export const lawyer = (id: number, name: string) => ({ id, is_bot: false, first_name: name });

/** A lawyer's message in the staff group, numbered in the group's sequence like Telegram does; returns its id. */
export async function lawyerWrites(h: Harness, content: Record<string, unknown>, from = lawyer(900, "Dilnoza")): Promise<number> {
  const messageId = h.telegram.issueId();
  await h.handle({ message: { message_id: messageId, date: 1, chat: staffChat, from, ...content } } as never);
  return messageId;
}

/** A lawyer's reply to one of the bot's messages in the staff group (a card, a relayed message). */
export const replyTo = (messageId: number) => ({ reply_to_message: { message_id: messageId, date: 1, chat: staffChat } });
