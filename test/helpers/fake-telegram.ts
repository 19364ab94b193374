import type { Update, UserFromGetMe } from "grammy/types";

export const BOT_TOKEN = "123456789:TEST-token-for-hamroh-tests-abcdefgh";

/** A person's /start in a private chat, as Telegram sends it (the update without its id). */
export function startMessage(userId: number, languageCode?: string) {
  return {
    message: {
      message_id: 1,
      date: 1,
      chat: { id: userId, type: "private" as const, first_name: "Test" },
      from: { id: userId, is_bot: false, first_name: "Test", ...(languageCode ? { language_code: languageCode } : {}) },
      text: "/start",
      entities: [{ type: "bot_command" as const, offset: 0, length: 6 }],
    },
  };
}

export const botInfo: UserFromGetMe = {
  id: 123456789,
  is_bot: true,
  first_name: "Hamroh",
  username: "hamroh_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

export interface ApiCall {
  method: string;
  payload: Record<string, any>;
  /** When the call arrived (ms). */
  at: number;
  /** The id of the message it made, if it made one. */
  messageId?: number;
  /** Whether it was answered with an error. */
  refused?: boolean;
}

interface Failure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

/** A call that gets no answer: the bot stops while waiting ("crash"), or grammY gives up ("timeout"). */
interface Silence {
  method: string;
  chatId?: number;
  /** Whether Telegram carried the call out before the answer was lost. */
  accepted: boolean;
  /** Only a call that carries buttons (a request's card, not the notes around it). */
  withButtons?: boolean;
  kind: "crash" | "timeout";
  reached?: () => void;
}

const FIRST_MESSAGE_ID = 1000;

/**
 * A stand-in for the Bot API server, installed through grammY's `client.fetch`: it records
 * every call and answers the way Telegram does (message objects with fresh ids, `true` for
 * actions, the edit errors of the real API). Faults can be injected: `failNext` (a Telegram
 * error answer), `goDown` (no network at all), `silenceNext` (a timeout or the bot stopping
 * while it waits, with or without Telegram having carried the call out).
 */
export class FakeTelegram {
  readonly calls: ApiCall[] = [];
  private nextMessageId = FIRST_MESSAGE_ID;
  private readonly failures = new Map<string, { failure: Failure; chatId?: number }[]>();
  private readonly silences: Silence[] = [];
  /** The bot's messages, by id: their chat, caption and buttons (what edits compare against). */
  private readonly sent = new Map<number, { chatId: number; media: boolean; caption?: string; markup?: unknown }>();
  private downUntil = 0;
  /** What was injected, for tests to report. */
  readonly injected = { refusedWhileDown: 0, failures: 0, timeouts: 0, crashes: 0 };
  private nextThreadId = 500;
  /** Updates waiting for getUpdates, and when (Date.now) each getUpdates call came, answered or not. */
  private readonly pendingUpdates: Update[] = [];
  readonly polls: number[] = [];
  /** Whether the staff group has forum topics (getChat's is_forum). */
  forum = false;
  /** Members' status in the staff group (getChatMember); everyone else is an administrator (a lawyer). */
  readonly memberStatus = new Map<number, "creator" | "administrator" | "member" | "left" | "kicked">();

  /** `record: false` keeps no history (benchmarks, where it would only grow memory). */
  constructor(private readonly options: { record: boolean } = { record: true }) {}

  /** The next `times` calls of `method` (to `chatId` only, if given) fail with `failure`. */
  failNext(method: string, failure: Failure, times = 1, chatId?: number): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push({ failure, chatId });
    this.failures.set(method, queue);
  }

  /** An id for a message that a test makes up in a group (a lawyer's), in the same sequence as the bot's. */
  issueId(): number {
    return this.nextMessageId++;
  }

  /** An update that getUpdates hands out (for a bot that polls: receiveByPolling). */
  queueUpdate(update: Update): void {
    this.pendingUpdates.push(update);
  }

  /** A long poll: the updates from `offset` on, as soon as there are any, within `timeout` seconds. */
  private async updatesFrom(payload: { offset?: number; timeout?: number }, signal?: AbortSignal | null): Promise<Update[]> {
    for (let waited = 0; waited < (payload.timeout ?? 0) * 1000; waited += 100) {
      const ready = this.pendingUpdates.filter((update) => update.update_id >= (payload.offset ?? 0));
      if (ready.length > 0) return ready;
      if (signal?.aborted) throw new DOMException("The operation was aborted.", "AbortError");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return [];
  }

  /** For `ms` from now, every call fails as if the network were down. */
  goDown(ms: number): void {
    this.downUntil = Date.now() + ms;
  }

  /** The next call of `method` (to `chatId`, if given) never gets its answer; resolves once that call is made. */
  silenceNext(silence: Silence): Promise<void> {
    return new Promise((reached) => this.silences.push({ ...silence, reached }));
  }

  readonly fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = url.slice(url.lastIndexOf("/") + 1);
    if (method === "getUpdates") this.polls.push(Date.now());
    if (Date.now() < this.downUntil) {
      this.injected.refusedWhileDown++;
      throw new TypeError("fetch failed");
    }
    const payload = typeof init?.body === "string" ? JSON.parse(init.body) : { multipart: await readAll(init?.body) };
    if (method === "getUpdates") {
      const updates = await this.updatesFrom(payload, init?.signal);
      return { json: async () => ({ ok: true, result: updates }) } as Response;
    }
    const silence = this.silences.findIndex(
      (entry) =>
        entry.method === method &&
        (entry.chatId === undefined || entry.chatId === Number(payload.chat_id)) &&
        (!entry.withButtons || payload.reply_markup !== undefined),
    );
    if (silence >= 0) {
      const [{ accepted, kind, reached }] = this.silences.splice(silence, 1) as [Silence];
      if (accepted) this.answer(method, payload);
      reached?.();
      if (kind === "crash") {
        this.injected.crashes++;
        return new Promise<never>(() => undefined);
      }
      this.injected.timeouts++;
      throw new DOMException("The operation timed out.", "TimeoutError");
    }
    const { body } = this.answer(method, payload);
    // grammY reads only `json()` of the response: a plain object spares building a full Response.
    return { json: async () => body } as Response;
  }) as typeof fetch;

  /** Records the call and gives the status and JSON body that Telegram would answer with. */
  answer(method: string, payload: Record<string, any>): { status: number; body: unknown } {
    const call: ApiCall = { method, payload, at: Date.now() };
    if (this.options.record) this.calls.push(call);
    const queue = this.failures.get(method) ?? [];
    const index = queue.findIndex((entry) => entry.chatId === undefined || entry.chatId === Number(payload.chat_id));
    if (index >= 0) {
      const [{ failure }] = queue.splice(index, 1) as [{ failure: Failure }];
      this.injected.failures++;
      call.refused = true;
      return { status: failure.error_code, body: { ok: false, ...failure } };
    }
    const refusal =
      this.editRefusal(method, payload) ?? (method === "createForumTopic" && !this.forum ? "the chat is not a forum" : undefined);
    call.refused = refusal !== undefined;
    if (refusal) return { status: 400, body: { ok: false, error_code: 400, description: `Bad Request: ${refusal}` } };
    const result = this.resultOf(method, payload);
    const messageId = (result as { message_id?: number }).message_id;
    if (messageId !== undefined && !method.startsWith("edit")) {
      call.messageId = messageId;
      this.sent.set(messageId, {
        chatId: Number(payload.chat_id),
        media: method !== "sendMessage",
        caption: payload.caption,
        markup: payload.reply_markup,
      });
    }
    return { status: 200, body: { ok: true, result } };
  }

  /**
   * Edits of buttons and captions in groups answer as Telegram does: a message above the last id
   * is not found, someone else's can't be edited, an edit that changes nothing is refused. Ids
   * below the first the fake gave out stand for messages tests made up, and are edited.
   */
  private editRefusal(method: string, payload: Record<string, any>): string | undefined {
    if ((method !== "editMessageReplyMarkup" && method !== "editMessageCaption") || Number(payload.chat_id) > 0) return undefined;
    const id = Number(payload.message_id);
    if (id >= this.nextMessageId) return "message to edit not found";
    if (id < FIRST_MESSAGE_ID) return undefined;
    const message = this.sent.get(id);
    if (!message || message.chatId !== Number(payload.chat_id)) return "message can't be edited";
    if (method === "editMessageCaption" && !message.media) return "there is no caption in the message to edit";
    const caption = method === "editMessageCaption" ? payload.caption : message.caption;
    if (caption === message.caption && JSON.stringify(payload.reply_markup ?? null) === JSON.stringify(message.markup ?? null)) {
      return "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
    }
    Object.assign(message, { caption, markup: payload.reply_markup });
    return undefined;
  }

  private resultOf(method: string, payload: Record<string, any>): unknown {
    switch (method) {
      case "getMe":
        return botInfo;
      case "getChat":
        return { id: Number(payload.chat_id), type: "supergroup", title: "Lawyers", is_forum: this.forum };
      case "getChatMember":
        return {
          status: this.memberStatus.get(Number(payload.user_id)) ?? "administrator",
          user: { id: Number(payload.user_id), is_bot: false, first_name: "Member" },
        };
      case "createForumTopic":
        return { message_thread_id: this.nextThreadId++, name: payload.name, icon_color: 7322096 };
      case "copyMessage":
        return { message_id: this.nextMessageId++ };
      case "sendMessage":
      case "sendPhoto":
      case "sendDocument":
      case "sendVoice":
      case "editMessageText":
        return {
          message_id: method === "editMessageText" ? payload.message_id : this.nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: payload.chat_id, type: Number(payload.chat_id) > 0 ? "private" : "supergroup" },
          from: { id: botInfo.id, is_bot: true, first_name: botInfo.first_name },
          text: payload.text,
          reply_markup: payload.reply_markup,
        };
      default:
        return true;
    }
  }

  /** The calls Telegram carried out in a chat (`method` only, if given), refused ones left out. */
  carriedOut(chatId: number, method?: string): ApiCall[] {
    return this.calls.filter(
      (call) => !call.refused && Number(call.payload.chat_id) === chatId && (method === undefined || call.method === method),
    );
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Messages sent or edited in a chat, oldest first. */
  screensIn(chatId: number): Screen[] {
    return this.calls
      .filter((call) => (call.method === "sendMessage" || call.method === "editMessageText") && Number(call.payload.chat_id) === chatId)
      .map((call) => toScreen(call));
  }

  clear(): void {
    this.calls.length = 0;
  }
}

export interface Screen {
  method: string;
  text: string;
  messageId?: number;
  buttons: { text: string; data: string }[][];
  parseMode?: string;
}

function toScreen(call: ApiCall): Screen {
  const keyboard: any[][] = call.payload.reply_markup?.inline_keyboard ?? [];
  return {
    method: call.method,
    text: call.payload.text,
    messageId: call.messageId ?? call.payload.message_id,
    parseMode: call.payload.parse_mode,
    buttons: keyboard.map((row) => row.map((button) => ({ text: button.text, data: button.callback_data }))),
  };
}

/** The raw text of a multipart upload (sendDocument with a file), for tests to read. */
async function readAll(body: unknown): Promise<string> {
  if (!body || typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== "function") return "";
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}
