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

/** A lawyer presses a button in the staff group (on a card, or on the bot's message `messageId`). */
export async function pressInGroup(
  h: Harness,
  data: string,
  from = lawyer(900, "Dilnoza"),
  messageId = 1,
  chat: { id: number; type: "supergroup"; title: string } = staffChat,
) {
  await h.handle({
    callback_query: {
      id: String(Math.random()),
      from,
      chat_instance: "s",
      data,
      message: { message_id: messageId, date: 1, chat, text: "card" },
    },
  } as never);
}
