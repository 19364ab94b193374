import type { Transformer } from "grammy";

/** The calls that post content to a chat, and so take `protect_content`. */
const POSTING = new Set([
  "sendMessage",
  "sendPhoto",
  "sendDocument",
  "sendVoice",
  "sendVideo",
  "sendAudio",
  "sendAnimation",
  "sendMediaGroup",
  "copyMessage",
  "copyMessages",
]);

/**
 * Everything the bot posts to a group is protected: the only groups it writes to are staff
 * groups, and passport photos and questions must not be forwarded or saved out of them.
 */
export const protectGroupContent: Transformer = (call, method, payload, signal) => {
  const to = Number((payload as { chat_id?: unknown }).chat_id);
  if (!POSTING.has(method) || !(to < 0)) return call(method, payload, signal);
  return call(method, { ...payload, protect_content: true }, signal);
};
