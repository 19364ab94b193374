import { GrammyError, HttpError } from "grammy";

/**
 * What a failed Bot API call means, recognised here and nowhere else:
 * - `not-modified`: an edit that changes nothing (the message already shows it);
 * - `message-gone`: the message to edit, copy, delete or reply to does not exist (any more);
 * - `chat-gone`: the chat is out of reach for good (deleted, the bot removed, the user deactivated);
 * - `topic-gone`: the forum topic does not exist (deleted), or the group has no topics (switched off);
 * - `blocked`: the user blocked the bot;
 * - `rate-limited`: 429, wait `retry_after`;
 * - `unreachable`: no answer at all (network down, timeout);
 * - `server`: Telegram's 5xx;
 * - `other`: any other refusal (a 4xx that a retry cannot change).
 * Errors that are not Telegram's (a bug, the database) are `undefined`.
 */
export type TelegramFailure =
  | "not-modified"
  | "message-gone"
  | "chat-gone"
  | "topic-gone"
  | "blocked"
  | "rate-limited"
  | "unreachable"
  | "server"
  | "other";

const NOT_MODIFIED = /message is not modified/i;
const MESSAGE_GONE =
  /message to (edit|copy|delete|reply|forward) not found|message_id_invalid|message not found|replied message not found/i;
const TOPIC_GONE = /the chat is not a forum|message thread not found|topic_id_invalid|topic_deleted/i;
const CHAT_GONE =
  /chat not found|user is deactivated|bot was kicked|not a member|chat was deleted|group chat was upgraded|peer_id_invalid/i;

export function classifyTelegramError(error: unknown): TelegramFailure | undefined {
  if (error instanceof HttpError) return "unreachable";
  if (!(error instanceof GrammyError)) return undefined;
  const { error_code: code, description } = error;
  if (code === 429) return "rate-limited";
  if (code >= 500) return "server";
  if (NOT_MODIFIED.test(description)) return "not-modified";
  if (MESSAGE_GONE.test(description)) return "message-gone";
  if (TOPIC_GONE.test(description)) return "topic-gone";
  if (code === 403) return CHAT_GONE.test(description) ? "chat-gone" : "blocked";
  if (CHAT_GONE.test(description)) return "chat-gone";
  return "other";
}

/**
 * Whether Telegram gave a final answer that a retry cannot change (a 4xx other than 429).
 * Network errors, timeouts, 429 and 5xx pass: the same call may succeed later.
 */
export function isFinalRefusal(error: unknown): error is GrammyError {
  const failure = classifyTelegramError(error);
  return failure !== undefined && failure !== "rate-limited" && failure !== "server" && failure !== "unreachable";
}

/** Whether Telegram refused the call for good; a network error, a timeout or a bug is not a refusal. */
export function isTelegramRefusal(error: unknown): error is GrammyError {
  return error instanceof GrammyError;
}

/** The wait a 429 asks for, in seconds. */
export function retryAfterSeconds(error: unknown): number | undefined {
  return error instanceof GrammyError ? error.parameters.retry_after : undefined;
}
