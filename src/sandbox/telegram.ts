import { randomBytes } from "node:crypto";
import type {
  BotCommand,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  KeyboardButton,
  Message,
  MessageEntity,
  ReplyKeyboardMarkup,
  Update,
  User,
} from "grammy/types";
import { migrant, SANDBOX_ADMIN, SANDBOX_BOT, SANDBOX_GROUP, SANDBOX_STAFF, type SandboxUser } from "./cast.js";
import { checkEntities, FormattingError, parseHtml, withFoundEntities } from "./formatting.js";
import { ApiError, badRequest, Params, type UploadedPart } from "./params.js";

/**
 * The sandbox's Telegram: private chats with the bot, the lawyers' supergroup (with or without
 * forum topics), the admin — with the Bot API methods Hamroh calls, answered with Telegram's
 * semantics and errors (message ids per chat, edits in place and "message is not modified",
 * callback queries answered once, copies without the author, topics, reactions, protected
 * content, files kept in memory), and the actions of the people on the page (writing, pressing
 * buttons, sending files, a contact or a location), which become updates for getUpdates.
 * Everything lives in memory; `reset` starts it afresh.
 */

export type MediaKind = "photo" | "document" | "voice" | "audio" | "video" | "animation";

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  kind: MediaKind;
  bytes: Buffer;
  mime_type: string;
  file_name?: string;
  width?: number;
  height?: number;
  duration?: number;
  /** Where getFile says it can be downloaded (`/file/bot<token>/<path>`). */
  file_path: string;
}

interface StoredMessage {
  message_id: number;
  chatId: number;
  from: User;
  date: number;
  threadId?: number;
  isTopicMessage?: boolean;
  replyTo?: number;
  /** The content fields of Telegram's Message object (text and entities, media and caption, a contact, a service field). */
  body: Record<string, unknown>;
  markup?: InlineKeyboardMarkup;
  protected: boolean;
  editDate?: number;
  /** The bot's reactions. */
  reactions: string[];
  forwardOrigin?: Record<string, unknown>;
}

interface Topic {
  message_thread_id: number;
  name: string;
  icon_color: number;
  closed: boolean;
}

interface SandboxChat {
  id: number;
  type: "private" | "supergroup";
  title?: string;
  isForum: boolean;
  nextMessageId: number;
  messages: Map<number, StoredMessage>;
  topics: Map<number, Topic>;
  /** The reply keyboard the bot gave (private chats), until it is removed or used once. */
  keyboard?: ReplyKeyboardMarkup;
  /** Private chats: the user has written to the bot (before, the bot cannot write first). */
  started: boolean;
  /** Private chats: the user blocked the bot. */
  blocked: boolean;
  pinned?: number;
}

/** What the page is told, as it happens. */
export type SandboxEvent =
  | { type: "message"; chat_id: number; message: PageMessage }
  | { type: "delete"; chat_id: number; message_id: number }
  | { type: "keyboard"; chat_id: number; keyboard: ReplyKeyboardMarkup | null }
  | { type: "answer"; callback_query_id: string; chat_id: number; text?: string; show_alert: boolean; url?: string }
  | { type: "action"; chat_id: number; action: string }
  | { type: "chat"; chat: PageChat }
  | { type: "people"; people: SandboxUser[] }
  | { type: "reset" };

/** A message as the page shows it: Telegram's Message object, with the bot's reactions. */
export type PageMessage = Message & { reactions: string[] };

export interface PageChat {
  id: number;
  type: "private" | "supergroup";
  title: string;
  is_forum: boolean;
  started: boolean;
  blocked: boolean;
  topics: Topic[];
  keyboard: ReplyKeyboardMarkup | null;
}

export interface Snapshot {
  bot: typeof SANDBOX_BOT;
  group_id: number;
  admin_id: number;
  people: SandboxUser[];
  /** The staff group's members and their status (creator and administrators are lawyers). */
  staff: Record<number, "creator" | "administrator" | "member">;
  chats: (PageChat & { messages: PageMessage[] })[];
  commands: Record<string, BotCommand[]>;
}

/** What a person on the page sends. */
export interface UserInput {
  text?: string;
  entities?: MessageEntity[];
  /** A file stored with `storeFile`, sent as its kind (a photo, a document, a voice note …). */
  file_id?: string;
  caption?: string;
  contact?: { phone_number: string; first_name: string; last_name?: string; user_id?: number };
  location?: { latitude: number; longitude: number };
  reply_to_message_id?: number;
  /** In a forum: the topic to write in (none: General). */
  message_thread_id?: number;
}

export const LIMITS = {
  text: 4096,
  caption: 1024,
  callbackData: 64,
  /** Per file, as the Bot API's downloads. */
  fileBytes: 20 * 1024 * 1024,
  /** All files together: the sandbox keeps them in memory. */
  allFileBytes: 200 * 1024 * 1024,
  /** How long getUpdates may wait (Telegram allows 50 s). */
  pollSeconds: 50,
  /** Callback queries remembered (for answerCallbackQuery) and updates kept while no bot polls. */
  queries: 1000,
  pendingUpdates: 10_000,
};

/** Telegram's reactions that bots may set without Premium. */
const REACTIONS = new Set(
  "👍 👎 ❤ 🔥 🥰 👏 😁 🤔 🤯 😱 🤬 😢 🎉 🤩 🤮 💩 🙏 👌 🕊 🤡 🥱 🥴 😍 🐳 ❤‍🔥 🌚 🌭 💯 🤣 ⚡ 🍌 🏆 💔 🤨 😐 🍓 🍾 💋 🖕 😈 😴 😭 🤓 👻 👨‍💻 👀 🎃 🙈 😇 😨 🤝 ✍ 🤗 🫡 🎅 🎄 ☃ 💅 🤪 🗿 🆒 💘 🙉 🦄 😘 💊 🙊 😎 👾 🤷‍♂ 🤷 🤷‍♀ 😡".split(
    " ",
  ),
);
const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);
const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
const QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid";
/** The Bot API's own methods that the sandbox does not carry out: refused with 400, unlike names Telegram does not know (404). */
/** What the bot and the lawyers may do in the staff group: every right Hamroh needs (getChatMember). */
const ADMINISTRATOR_RIGHTS = {
  can_be_edited: false,
  is_anonymous: false,
  can_manage_chat: true,
  can_delete_messages: true,
  can_manage_video_chats: true,
  can_restrict_members: true,
  can_promote_members: false,
  can_change_info: true,
  can_invite_users: true,
  can_post_stories: false,
  can_edit_stories: false,
  can_delete_stories: false,
  can_pin_messages: true,
  can_manage_topics: true,
};

const UNSUPPORTED = new Set(
  (
    "logOut close forwardMessages sendVideoNote sendPaidMedia sendMediaGroup sendVenue sendPoll sendChecklist sendDice sendMessageDraft getUserProfilePhotos setUserEmojiStatus " +
    "banChatMember unbanChatMember restrictChatMember promoteChatMember setChatAdministratorCustomTitle banChatSenderChat unbanChatSenderChat setChatPermissions " +
    "exportChatInviteLink createChatInviteLink editChatInviteLink createChatSubscriptionInviteLink editChatSubscriptionInviteLink revokeChatInviteLink approveChatJoinRequest " +
    "declineChatJoinRequest setChatPhoto deleteChatPhoto setChatTitle setChatDescription unpinAllChatMessages leaveChat setChatStickerSet deleteChatStickerSet " +
    "getForumTopicIconStickers unpinAllForumTopicMessages editGeneralForumTopic closeGeneralForumTopic reopenGeneralForumTopic hideGeneralForumTopic unhideGeneralForumTopic " +
    "unpinAllGeneralForumTopicMessages getUserChatBoosts getBusinessConnection setMyDefaultAdministratorRights getMyDefaultAdministratorRights editMessageMedia " +
    "editMessageLiveLocation stopMessageLiveLocation editMessageChecklist stopPoll sendSticker getStickerSet getCustomEmojiStickers uploadStickerFile createNewStickerSet " +
    "addStickerToSet setStickerPositionInSet deleteStickerFromSet replaceStickerInSet setStickerEmojiList setStickerKeywords setStickerMaskPosition setStickerSetTitle " +
    "setStickerSetThumbnail setCustomEmojiStickerSetThumbnail deleteStickerSet answerInlineQuery answerWebAppQuery savePreparedInlineMessage sendInvoice createInvoiceLink " +
    "answerShippingQuery answerPreCheckoutQuery getStarTransactions refundStarPayment editUserStarSubscription setPassportDataErrors sendGame setGameScore getGameHighScores " +
    "verifyUser verifyChat removeUserVerification removeChatVerification getAvailableGifts sendGift giftPremiumSubscription readBusinessMessage deleteBusinessMessages " +
    "postStory editStory deleteStory approveSuggestedPost declineSuggestedPost getMyStarBalance"
  )
    .split(" ")
    .map((name) => name.toLowerCase()),
);

type Method = (params: Params, signal?: AbortSignal) => unknown;

export class SandboxTelegram {
  private chats = new Map<number, SandboxChat>();
  private people = new Map<number, SandboxUser>();
  private groupMembers = new Map<number, "creator" | "administrator" | "member">();
  private files = new Map<string, StoredFile>();
  private fileBytes = 0;
  private nextFile = 1;
  private updates: Update[] = [];
  private nextUpdateId = 1;
  private allowedUpdates: string[] | undefined;
  private poll: { wake: () => void; conflict: () => void } | undefined;
  private queries = new Map<string, { answered: boolean; chatId: number }>();
  private commands = new Map<string, BotCommand[]>();
  private migrants = 0;
  private readonly listeners = new Set<(event: SandboxEvent) => void>();
  private readonly methods: Record<string, Method>;

  constructor(options: { forum?: boolean } = {}) {
    this.methods = this.bindMethods();
    this.reset(options.forum ?? false);
  }

  // ─── the page's side ──────────────────────────────────────────────────────────────────────

  /** Everything back to the start: one migrant, the staff group, the admin; no messages, files or updates. */
  reset(forum = this.group().isForum): void {
    this.chats = new Map();
    this.people = new Map();
    this.groupMembers = new Map();
    this.files = new Map();
    this.fileBytes = 0;
    this.updates = [];
    this.queries = new Map();
    this.commands = new Map();
    this.migrants = 0;
    // A bot waiting for updates gets none and asks again, of the new sandbox.
    this.poll?.wake();
    this.addChat({ id: SANDBOX_GROUP.id, type: "supergroup", title: SANDBOX_GROUP.title, isForum: forum, started: true });
    for (const { user, status } of SANDBOX_STAFF) {
      this.people.set(user.id, { ...user });
      this.groupMembers.set(user.id, status);
    }
    this.addPerson(SANDBOX_ADMIN);
    this.newMigrant("ru");
    this.emit({ type: "reset" });
  }

  /** Tells `listener` everything that changes; returns the way to stop. */
  subscribe(listener: (event: SandboxEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A new migrant, with the Telegram app in `languageCode`, who has not opened the bot yet. */
  newMigrant(languageCode?: string): SandboxUser {
    const user = migrant(this.migrants++, languageCode);
    this.addPerson(user);
    this.emit({ type: "people", people: [...this.people.values()] });
    return user;
  }

  /** The language of a person's Telegram app (sent in every update from then on). */
  setAppLanguage(userId: number, languageCode: string | undefined): void {
    const person = this.person(userId);
    if (languageCode) person.language_code = languageCode;
    else delete person.language_code;
    this.emit({ type: "people", people: [...this.people.values()] });
  }

  /** Turns the group's topics on or off (Telegram's group settings); messages stay where they are. */
  setForum(on: boolean): void {
    const group = this.group();
    group.isForum = on;
    this.emit({ type: "chat", chat: this.pageChat(group) });
  }

  /** A user blocks (or unblocks) the bot: Telegram tells the bot with a my_chat_member update. */
  setBlocked(userId: number, blocked: boolean): void {
    const chat = this.privateChat(userId);
    if (chat.blocked === blocked) return;
    chat.blocked = blocked;
    this.enqueue({
      my_chat_member: {
        chat: this.chatObject(chat),
        from: this.userObject(userId),
        date: now(),
        old_chat_member: blocked ? { status: "member", user: botUser() } : { status: "kicked", user: botUser(), until_date: 0 },
        new_chat_member: blocked ? { status: "kicked", user: botUser(), until_date: 0 } : { status: "member", user: botUser() },
      },
    } as Omit<Update, "update_id">);
    this.emit({ type: "chat", chat: this.pageChat(chat) });
  }

  /** Keeps a file a person sends (in memory), as Telegram does before the message goes out. */
  storeFile(kind: MediaKind, upload: UploadedPart, meta: { width?: number; height?: number; duration?: number } = {}): StoredFile {
    if (upload.bytes.length === 0) throw badRequest("file must be non-empty");
    if (upload.bytes.length > LIMITS.fileBytes) throw new ApiError(413, "Request Entity Too Large");
    if (this.fileBytes + upload.bytes.length > LIMITS.allFileBytes)
      throw badRequest("the sandbox keeps at most 200 MB of files: reset it to free them");
    const n = this.nextFile++;
    const extension = extensionOf(kind, upload.filename, upload.contentType);
    const file: StoredFile = {
      file_id: `SBX${kind.slice(0, 2).toUpperCase()}${n}_${randomBytes(9).toString("base64url")}`,
      file_unique_id: `sbx${n}`,
      kind,
      bytes: upload.bytes,
      mime_type: mimeOf(kind, upload.contentType, upload.filename),
      ...(kind === "document" || kind === "audio" ? { file_name: upload.filename || `file${n}.${extension}` } : {}),
      ...meta,
      file_path: `${kind === "photo" ? "photos" : `${kind}s`}/file_${n}.${extension}`,
    };
    this.files.set(file.file_id, file);
    this.fileBytes += upload.bytes.length;
    return file;
  }

  fileById(fileId: string): StoredFile | undefined {
    return this.files.get(fileId);
  }

  fileByPath(path: string): StoredFile | undefined {
    for (const file of this.files.values()) if (file.file_path === path) return file;
    return undefined;
  }

  /** A person writes (or sends a file, a contact, a location) in a chat: the bot gets it as an update. */
  send(userId: number, chatId: number, input: UserInput): PageMessage {
    const person = this.person(userId);
    const chat = this.chatOfPerson(person, chatId);
    const body = this.userBody(input);
    const opening = chat.type === "private" && !chat.started;
    if (chat.blocked) this.setBlocked(userId, false);
    chat.started = true;
    const placed = this.place(chat, input.message_thread_id, input.reply_to_message_id, false);
    const stored = this.store(chat, { from: this.userObject(userId), body, protected: false, ...placed });
    this.enqueue({ message: this.toMessage(stored) } as Omit<Update, "update_id">);
    if (opening) this.emit({ type: "chat", chat: this.pageChat(chat) });
    return this.pageMessage(stored);
  }

  /** A person presses a reply-keyboard key: its text, or their own contact, or a location. */
  pressKey(userId: number, chatId: number, row: number, column: number, location?: { latitude: number; longitude: number }): PageMessage {
    const chat = this.chatOfPerson(this.person(userId), chatId);
    const button = chat.keyboard?.keyboard[row]?.[column] as KeyboardButton | string | undefined;
    if (button === undefined) throw badRequest("there is no such key on the keyboard");
    const key: { text: string; request_contact?: boolean; request_location?: boolean } =
      typeof button === "string" ? { text: button } : button;
    const person = this.person(userId);
    const input: UserInput = key.request_contact
      ? {
          contact: {
            phone_number: person.phone_number,
            first_name: person.first_name,
            ...(person.last_name ? { last_name: person.last_name } : {}),
            user_id: person.id,
          },
        }
      : key.request_location
        ? { location: location ?? { latitude: 55.7558, longitude: 37.6173 } }
        : { text: key.text };
    if (chat.keyboard?.one_time_keyboard) this.setKeyboard(chat, undefined);
    return this.send(userId, chatId, input);
  }

  /** A person edits their own text message: the bot gets an edited_message update. */
  edit(userId: number, chatId: number, messageId: number, text: string, entities: MessageEntity[] = []): PageMessage {
    const chat = this.chatOfPerson(this.person(userId), chatId);
    const stored = chat.messages.get(messageId);
    if (!stored || stored.from.id !== userId || typeof stored.body.text !== "string") throw badRequest("message can't be edited");
    const clean = text.trim();
    if (clean === "") throw badRequest("message text is empty");
    stored.body = { text: clean, ...entitiesField("entities", withFoundEntities(clean, checkEntities(clean, entities))) };
    stored.editDate = now();
    this.enqueue({ edited_message: this.toMessage(stored) } as Omit<Update, "update_id">);
    this.emit({ type: "message", chat_id: chat.id, message: this.pageMessage(stored) });
    return this.pageMessage(stored);
  }

  /**
   * A person presses an inline button. A callback button becomes a callback query for the bot
   * (answered with answerCallbackQuery); a URL button only shows its address (no network here).
   */
  press(userId: number, chatId: number, messageId: number, row: number, column: number): { callback_query_id?: string; url?: string } {
    const chat = this.chatOfPerson(this.person(userId), chatId);
    const stored = chat.messages.get(messageId);
    const button = stored?.markup?.inline_keyboard[row]?.[column];
    if (!stored || !button) throw badRequest("there is no such button on the message");
    if ("url" in button && button.url) return { url: button.url };
    if (!("callback_data" in button) || button.callback_data === undefined)
      throw badRequest("the sandbox presses callback and URL buttons only");
    const id = `${Date.now()}${randomBytes(4).readUInt32BE()}`;
    this.queries.set(id, { answered: false, chatId });
    // Telegram forgets queries after a while: the oldest go first.
    if (this.queries.size > LIMITS.queries) this.queries.delete(this.queries.keys().next().value!);
    this.enqueue({
      callback_query: {
        id,
        from: this.userObject(userId),
        message: this.toMessage(stored),
        chat_instance: chatInstance(chatId),
        data: button.callback_data,
      },
    } as Omit<Update, "update_id">);
    return { callback_query_id: id };
  }

  snapshot(): Snapshot {
    return {
      bot: SANDBOX_BOT,
      group_id: SANDBOX_GROUP.id,
      admin_id: SANDBOX_ADMIN.id,
      people: [...this.people.values()],
      staff: Object.fromEntries(this.groupMembers),
      chats: [...this.chats.values()].map((chat) => ({
        ...this.pageChat(chat),
        messages: [...chat.messages.values()].map((stored) => this.pageMessage(stored)),
      })),
      commands: Object.fromEntries(this.commands),
    };
  }

  /** The messages of one chat, oldest first (what its pane shows). */
  messagesOf(chatId: number): PageMessage[] {
    const chat = this.chats.get(chatId);
    return chat ? [...chat.messages.values()].map((stored) => this.pageMessage(stored)) : [];
  }

  /** Updates waiting for the bot (not yet confirmed with getUpdates' offset). */
  pendingUpdates(): number {
    return this.updates.length;
  }

  // ─── the Bot API ──────────────────────────────────────────────────────────────────────────

  /**
   * Carries out one Bot API call; resolves to its result or rejects with an ApiError. Method
   * names are matched without regard to case, as Telegram does.
   */
  async call(method: string, params: Params, signal?: AbortSignal): Promise<unknown> {
    const name = method.toLowerCase();
    const carryOut = this.methods[name];
    if (carryOut) {
      try {
        return await carryOut(params, signal);
      } catch (error) {
        if (error instanceof FormattingError) throw new ApiError(400, error.description);
        throw error;
      }
    }
    if (UNSUPPORTED.has(name)) throw badRequest(`method ${method} is not available in the Hamroh sandbox`);
    throw new ApiError(404, "Not Found");
  }

  private bindMethods(): Record<string, Method> {
    const methods: Record<string, Method> = {
      getMe: () => SANDBOX_BOT,
      getUpdates: (p, signal) => this.getUpdates(p, signal),
      setWebhook: (p) => {
        if (p.has("url")) throw badRequest("bad webhook: the sandbox has no network and delivers updates by getUpdates only");
        return true;
      },
      deleteWebhook: (p) => {
        if (p.boolean("drop_pending_updates")) this.updates = [];
        return true;
      },
      getWebhookInfo: () => ({ url: "", has_custom_certificate: false, pending_update_count: this.updates.length }),
      sendMessage: (p) => this.sendMessage(p),
      sendPhoto: (p) => this.sendMedia(p, "photo"),
      sendDocument: (p) => this.sendMedia(p, "document"),
      sendVoice: (p) => this.sendMedia(p, "voice"),
      sendAudio: (p) => this.sendMedia(p, "audio"),
      sendVideo: (p) => this.sendMedia(p, "video"),
      sendAnimation: (p) => this.sendMedia(p, "animation"),
      sendContact: (p) =>
        this.sendContent(p, {
          contact: {
            phone_number: p.requiredString("phone_number"),
            first_name: p.requiredString("first_name"),
            ...optional("last_name", p.string("last_name")),
          },
        }),
      sendLocation: (p) =>
        this.sendContent(p, { location: { latitude: requiredNumber(p, "latitude"), longitude: requiredNumber(p, "longitude") } }),
      copyMessage: (p) => ({ message_id: this.copy(p, false).message_id }),
      forwardMessage: (p) => this.toMessage(this.copy(p, true)),
      copyMessages: (p) => this.copyMany(p),
      editMessageText: (p) => this.editText(p),
      editMessageCaption: (p) => this.editCaption(p),
      editMessageReplyMarkup: (p) => this.editMarkup(p),
      deleteMessage: (p) => this.deleteMessage(this.chatOf(p), p.requiredInteger("message_id")),
      deleteMessages: (p) => {
        const chat = this.chatOf(p);
        const ids = p.json<number[]>("message_ids") ?? [];
        if (ids.length === 0 || ids.length > 100) throw badRequest("message_ids must hold 1 to 100 ids");
        for (const id of ids) if (chat.messages.has(id)) this.deleteMessage(chat, id);
        return true;
      },
      setMessageReaction: (p) => this.react(p),
      sendChatAction: (p) => {
        const chat = this.writableChat(p);
        const action = p.requiredString("action");
        if (!CHAT_ACTIONS.has(action)) throw badRequest("wrong parameter action in request");
        this.emit({ type: "action", chat_id: chat.id, action });
        return true;
      },
      answerCallbackQuery: (p) => {
        const id = p.requiredString("callback_query_id");
        const query = this.queries.get(id);
        if (!query || query.answered) throw badRequest(QUERY_INVALID);
        const text = p.string("text");
        if (text !== undefined && text.length > 200) throw badRequest("MESSAGE_TOO_LONG");
        query.answered = true;
        this.emit({
          type: "answer",
          callback_query_id: id,
          chat_id: query.chatId,
          ...optional("text", text),
          show_alert: p.boolean("show_alert"),
          ...optional("url", p.string("url")),
        });
        return true;
      },
      getChat: (p) => this.chatInfo(this.chatOf(p)),
      getChatMember: (p) => this.member(this.chatOf(p), p.requiredInteger("user_id")),
      getChatAdministrators: (p) => {
        const chat = this.chatOf(p);
        if (chat.type === "private") throw badRequest("there are no administrators in the private chat");
        return [...this.groupMembers.entries()]
          .filter(([, status]) => status !== "member")
          .map(([id]) => this.member(chat, id))
          .concat(this.member(chat, SANDBOX_BOT.id));
      },
      getChatMemberCount: (p) => (this.chatOf(p).type === "private" ? 2 : this.groupMembers.size + 1),
      getFile: (p) => {
        const file = this.files.get(p.requiredString("file_id"));
        if (!file) throw badRequest("invalid file_id");
        return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.bytes.length, file_path: file.file_path };
      },
      createForumTopic: (p) => this.createTopic(p),
      editForumTopic: (p) => this.topicService(p, "forum_topic_edited"),
      closeForumTopic: (p) => this.topicService(p, "forum_topic_closed"),
      reopenForumTopic: (p) => this.topicService(p, "forum_topic_reopened"),
      deleteForumTopic: (p) => this.deleteTopic(p),
      pinChatMessage: (p) => this.pin(p, true),
      unpinChatMessage: (p) => this.pin(p, false),
      setMyCommands: (p) => {
        const commands = p.json<BotCommand[]>("commands") ?? [];
        if (commands.length > 100 || commands.some((command) => !/^[a-z0-9_]{1,32}$/.test(command.command) || !command.description))
          throw badRequest("BOT_COMMAND_INVALID");
        this.commands.set(commandsKey(p), commands);
        return true;
      },
      getMyCommands: (p) => this.commands.get(commandsKey(p)) ?? [],
      deleteMyCommands: (p) => this.commands.delete(commandsKey(p)) || true,
      setMyName: () => true,
      getMyName: () => ({ name: SANDBOX_BOT.first_name }),
      setMyDescription: () => true,
      getMyDescription: () => ({ description: "" }),
      setMyShortDescription: () => true,
      getMyShortDescription: () => ({ short_description: "" }),
      setChatMenuButton: () => true,
      getChatMenuButton: () => ({ type: "commands" }),
    };
    return Object.fromEntries(Object.entries(methods).map(([name, method]) => [name.toLowerCase(), method]));
  }

  private async getUpdates(p: Params, signal?: AbortSignal): Promise<Update[]> {
    const offset = p.integer("offset");
    const limit = Math.min(Math.max(p.integer("limit") ?? 100, 1), 100);
    const timeout = Math.min(Math.max(p.integer("timeout") ?? 0, 0), LIMITS.pollSeconds);
    const allowed = p.json<string[]>("allowed_updates");
    if (allowed !== undefined) this.allowedUpdates = allowed.length > 0 ? allowed : undefined;
    // A new call ends a waiting one, as Telegram does when two instances poll.
    this.poll?.conflict();
    this.poll = undefined;
    if (offset !== undefined) this.confirm(offset);
    const ready = () => this.deliverable().slice(0, limit);
    if (ready().length > 0 || timeout === 0) return ready();
    if (signal?.aborted) return [];
    await new Promise<void>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        if (this.poll === poll) this.poll = undefined;
      };
      const done = () => {
        finish();
        resolve();
      };
      const poll = {
        wake: done,
        conflict: () => {
          finish();
          reject(new ApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"));
        },
      };
      const timer = setTimeout(done, timeout * 1000);
      signal?.addEventListener("abort", done, { once: true });
      this.poll = poll;
    });
    return ready();
  }

  /** Updates below `offset` are confirmed and forgotten; a negative offset keeps only the last ones. */
  private confirm(offset: number): void {
    if (offset < 0) this.updates = this.updates.slice(offset);
    else this.updates = this.updates.filter((update) => update.update_id >= offset);
  }

  /** Updates of kinds the bot did not ask for are dropped, as Telegram does. */
  private deliverable(): Update[] {
    const allowed = this.allowedUpdates;
    if (allowed)
      this.updates = this.updates.filter((update) => Object.keys(update).some((key) => key !== "update_id" && allowed.includes(key)));
    return this.updates;
  }

  private enqueue(update: Omit<Update, "update_id">): void {
    this.updates.push({ update_id: this.nextUpdateId++, ...update } as Update);
    // With no bot polling, the oldest updates are dropped (Telegram keeps them for a day).
    if (this.updates.length > LIMITS.pendingUpdates) this.updates.shift();
    this.poll?.wake();
  }

  private sendMessage(p: Params): Message {
    const { text, entities } = this.formatted(p, "text", "entities", LIMITS.text);
    if (text === "") throw badRequest("message text is empty");
    return this.sendContent(p, { text, ...entitiesField("entities", entities) });
  }

  private sendMedia(p: Params, kind: MediaKind): Message {
    const given = p.file(kind);
    if (!given) throw badRequest(`there is no ${kind} in the request`);
    let file: StoredFile;
    if ("upload" in given) {
      file = this.storeFile(kind, given.upload, {
        ...optional("duration", p.integer("duration")),
        ...optional("width", p.integer("width")),
        ...optional("height", p.integer("height")),
      });
    } else if (/^https?:\/\//i.test(given.reference)) {
      throw badRequest("failed to get HTTP URL content");
    } else {
      const known = this.files.get(given.reference);
      if (!known) throw badRequest("wrong file identifier/HTTP URL specified");
      if (known.kind !== kind) throw badRequest("type of file mismatch");
      file = known;
    }
    const caption = this.formatted(p, "caption", "caption_entities", LIMITS.caption);
    return this.sendContent(p, { ...mediaField(file), ...captionFields(caption) });
  }

  /** Posts the bot's message: checks the chat, the reply, the topic and the buttons first. */
  private sendContent(p: Params, body: Record<string, unknown>): Message {
    const chat = this.writableChat(p);
    const markup = this.readMarkup(p);
    const replyTo = p.json<{ message_id: number; allow_sending_without_reply?: boolean; chat_id?: number }>("reply_parameters");
    const replyId = replyTo?.message_id ?? p.integer("reply_to_message_id");
    const allowWithout = replyTo?.allow_sending_without_reply ?? p.boolean("allow_sending_without_reply");
    if (replyTo?.chat_id !== undefined && Number(replyTo.chat_id) !== chat.id)
      throw badRequest("replies to other chats are not available in the Hamroh sandbox");
    const placed = this.place(chat, p.integer("message_thread_id"), replyId, allowWithout);
    const stored = this.store(chat, {
      from: botUser(),
      body,
      protected: p.boolean("protect_content"),
      ...placed,
      ...optional("markup", markup.inline),
    });
    if (markup.keyboard !== undefined) this.setKeyboard(chat, markup.keyboard ?? undefined);
    return this.toMessage(stored);
  }

  /**
   * Where a message goes: its topic (a forum's topics must exist; a reply goes to the topic of
   * the message it answers) and the message it replies to (which must exist, unless allowed).
   */
  private place(
    chat: SandboxChat,
    threadId: number | undefined,
    replyId: number | undefined,
    allowWithoutReply: boolean,
  ): Pick<StoredMessage, "threadId" | "isTopicMessage" | "replyTo"> {
    let replied = replyId !== undefined ? chat.messages.get(replyId) : undefined;
    if (replyId !== undefined && !replied && !allowWithoutReply) throw badRequest("message to be replied not found");
    if (chat.type === "private") return replied ? { replyTo: replied.message_id } : {};
    if (chat.isForum) {
      const thread = threadId ?? (replied?.isTopicMessage ? replied.threadId : undefined);
      if (thread !== undefined) {
        const topic = chat.topics.get(thread);
        if (!topic) throw badRequest("message thread not found");
        if (topic.closed) throw badRequest("TOPIC_CLOSED");
        if (replied && replied.threadId !== thread) replied = undefined;
        // In a topic, a message that replies to nothing replies to the topic's first message.
        return { threadId: thread, isTopicMessage: true, replyTo: replied?.message_id ?? thread };
      }
      if (replied?.isTopicMessage) replied = undefined;
      return replied ? { replyTo: replied.message_id } : {};
    }
    if (threadId !== undefined && !chat.messages.has(threadId)) throw badRequest("message thread not found");
    if (!replied) return threadId !== undefined ? { threadId } : {};
    // Replies in a supergroup belong to the thread of the message they answer.
    return { replyTo: replied.message_id, threadId: replied.threadId ?? replied.message_id };
  }

  private copy(p: Params, forward: boolean): StoredMessage {
    const from = this.chatOf(p, "from_chat_id");
    const source = from.messages.get(p.requiredInteger("message_id"));
    if (!source) throw badRequest(forward ? "message to forward not found" : "message to copy not found");
    if (isService(source)) throw badRequest(forward ? "message can't be forwarded" : "message can't be copied");
    if (source.protected) throw badRequest(forward ? "message can't be forwarded" : "message can't be copied");
    const chat = this.writableChat(p);
    let body = { ...source.body };
    if (!forward && (p.has("caption") || p.has("caption_entities")) && isMedia(source)) {
      const caption = this.formatted(p, "caption", "caption_entities", LIMITS.caption);
      body = { ...withoutCaption(body), ...captionFields(caption) };
    }
    const markup = forward ? {} : this.readMarkup(p);
    const replyTo = p.json<{ message_id: number; allow_sending_without_reply?: boolean }>("reply_parameters");
    const placed = this.place(
      chat,
      p.integer("message_thread_id"),
      replyTo?.message_id ?? p.integer("reply_to_message_id"),
      replyTo?.allow_sending_without_reply ?? false,
    );
    const stored = this.store(chat, {
      from: botUser(),
      body,
      protected: p.boolean("protect_content"),
      ...placed,
      ...optional("markup", markup.inline),
      ...(forward ? { forwardOrigin: { type: "user", sender_user: source.from, date: source.date } } : {}),
    });
    return stored;
  }

  private copyMany(p: Params): { message_id: number }[] {
    const ids = p.json<number[]>("message_ids") ?? [];
    if (ids.length === 0 || ids.length > 100) throw badRequest("message_ids must hold 1 to 100 ids");
    return ids.map((id) => {
      const values = {
        chat_id: p.raw("chat_id"),
        from_chat_id: p.raw("from_chat_id"),
        message_id: id,
        protect_content: p.raw("protect_content"),
        message_thread_id: p.raw("message_thread_id"),
      };
      return { message_id: this.copy(new Params(values), false).message_id };
    });
  }

  /** The bot's own message to edit; Telegram's errors for a missing or someone else's one. */
  private editable(p: Params): { chat: SandboxChat; stored: StoredMessage } {
    if (p.has("inline_message_id")) throw badRequest("MESSAGE_ID_INVALID");
    const chat = this.chatOf(p);
    const stored = chat.messages.get(p.requiredInteger("message_id"));
    if (!stored) throw badRequest("message to edit not found");
    if (stored.from.id !== SANDBOX_BOT.id || isService(stored) || stored.forwardOrigin) throw badRequest("message can't be edited");
    return { chat, stored };
  }

  private editText(p: Params): Message {
    const { chat, stored } = this.editable(p);
    if (typeof stored.body.text !== "string") throw badRequest("there is no text in the message to edit");
    const { text, entities } = this.formatted(p, "text", "entities", LIMITS.text);
    if (text === "") throw badRequest("message text is empty");
    return this.applyEdit(chat, stored, { text, ...entitiesField("entities", entities) }, this.readMarkup(p, true).inline);
  }

  private editCaption(p: Params): Message {
    const { chat, stored } = this.editable(p);
    if (!isMedia(stored)) throw badRequest("there is no caption in the message to edit");
    const caption = this.formatted(p, "caption", "caption_entities", LIMITS.caption);
    return this.applyEdit(chat, stored, { ...withoutCaption(stored.body), ...captionFields(caption) }, this.readMarkup(p, true).inline);
  }

  private editMarkup(p: Params): Message {
    const { chat, stored } = this.editable(p);
    return this.applyEdit(chat, stored, stored.body, this.readMarkup(p, true).inline);
  }

  /** An edit replaces the content and the buttons (none given: none left); one that changes nothing is refused. */
  private applyEdit(
    chat: SandboxChat,
    stored: StoredMessage,
    body: Record<string, unknown>,
    markup: InlineKeyboardMarkup | undefined,
  ): Message {
    if (
      canonical(body) === canonical(stored.body) &&
      canonical(markup?.inline_keyboard ?? null) === canonical(stored.markup?.inline_keyboard ?? null)
    ) {
      throw badRequest(NOT_MODIFIED);
    }
    stored.body = body;
    if (markup) stored.markup = markup;
    else delete stored.markup;
    stored.editDate = now();
    this.emit({ type: "message", chat_id: chat.id, message: this.pageMessage(stored) });
    return this.toMessage(stored);
  }

  private deleteMessage(chat: SandboxChat, messageId: number): true {
    const stored = chat.messages.get(messageId);
    if (!stored) throw badRequest("message to delete not found");
    // In the group the bot is an administrator who may delete messages; in private chats it may delete both sides.
    chat.messages.delete(messageId);
    if (chat.pinned === messageId) delete chat.pinned;
    this.emit({ type: "delete", chat_id: chat.id, message_id: messageId });
    return true;
  }

  private react(p: Params): true {
    const chat = this.chatOf(p);
    const stored = chat.messages.get(p.requiredInteger("message_id"));
    if (!stored || isService(stored)) throw badRequest("MESSAGE_ID_INVALID");
    const reactions = p.json<{ type: string; emoji?: string }[]>("reaction") ?? [];
    if (reactions.length > 1) throw badRequest("REACTIONS_TOO_MANY");
    for (const reaction of reactions)
      if (reaction.type !== "emoji" || !REACTIONS.has(reaction.emoji ?? "")) throw badRequest("REACTION_INVALID");
    stored.reactions = reactions.map((reaction) => reaction.emoji!);
    this.emit({ type: "message", chat_id: chat.id, message: this.pageMessage(stored) });
    return true;
  }

  private createTopic(p: Params): Topic {
    const chat = this.chatOf(p);
    if (chat.type !== "supergroup" || !chat.isForum) throw badRequest("the chat is not a forum");
    const name = p.string("name")?.trim() ?? "";
    if (name === "") throw badRequest("TOPIC_TITLE_EMPTY");
    if (name.length > 128) throw badRequest("TOPIC_TITLE_TOO_LONG");
    const iconColor = p.integer("icon_color") ?? 7322096;
    // The topic's id is the id of the service message that opens it.
    const opening = this.store(chat, { from: botUser(), body: { forum_topic_created: { name, icon_color: iconColor } }, protected: false });
    opening.threadId = opening.message_id;
    opening.isTopicMessage = true;
    const topic = { message_thread_id: opening.message_id, name, icon_color: iconColor, closed: false };
    chat.topics.set(topic.message_thread_id, topic);
    this.emit({ type: "chat", chat: this.pageChat(chat) });
    this.emit({ type: "message", chat_id: chat.id, message: this.pageMessage(opening) });
    const { closed: _, ...answer } = topic;
    return answer as Topic;
  }

  private existingTopic(p: Params): { chat: SandboxChat; topic: Topic } {
    const chat = this.chatOf(p);
    if (!chat.isForum) throw badRequest("the chat is not a forum");
    const topic = chat.topics.get(p.requiredInteger("message_thread_id"));
    if (!topic) throw badRequest("message thread not found");
    return { chat, topic };
  }

  private topicService(p: Params, kind: "forum_topic_edited" | "forum_topic_closed" | "forum_topic_reopened"): true {
    const { chat, topic } = this.existingTopic(p);
    if (kind === "forum_topic_edited") {
      const name = p.string("name")?.trim();
      if (name === undefined || name === topic.name) throw badRequest("TOPIC_NOT_MODIFIED");
      topic.name = name;
    } else {
      const closing = kind === "forum_topic_closed";
      if (topic.closed === closing) throw badRequest("TOPIC_NOT_MODIFIED");
      topic.closed = closing;
    }
    const body = { [kind]: kind === "forum_topic_edited" ? { name: topic.name } : {} };
    this.store(chat, {
      from: botUser(),
      body,
      protected: false,
      threadId: topic.message_thread_id,
      isTopicMessage: true,
      replyTo: topic.message_thread_id,
    });
    this.emit({ type: "chat", chat: this.pageChat(chat) });
    return true;
  }

  /** Deletes a topic with every message in it. */
  private deleteTopic(p: Params): true {
    const { chat, topic } = this.existingTopic(p);
    for (const stored of [...chat.messages.values()])
      if (stored.threadId === topic.message_thread_id) this.deleteMessage(chat, stored.message_id);
    chat.topics.delete(topic.message_thread_id);
    this.emit({ type: "chat", chat: this.pageChat(chat) });
    return true;
  }

  private pin(p: Params, pin: boolean): true {
    const chat = this.chatOf(p);
    const id = p.integer("message_id") ?? chat.pinned;
    if (id === undefined || !chat.messages.has(id)) throw badRequest("message to pin not found");
    if (pin) {
      chat.pinned = id;
      if (chat.type === "supergroup")
        this.store(chat, { from: botUser(), body: { pinned_message: this.toMessage(chat.messages.get(id)!, 1) }, protected: false });
    } else if (chat.pinned === id) {
      delete chat.pinned;
    }
    return true;
  }

  // ─── helpers ──────────────────────────────────────────────────────────────────────────────

  private addPerson(user: SandboxUser): void {
    this.people.set(user.id, { ...user });
    this.addChat({ id: user.id, type: "private", isForum: false, started: false });
  }

  private addChat(chat: Pick<SandboxChat, "id" | "type" | "isForum" | "started"> & { title?: string }): void {
    this.chats.set(chat.id, { ...chat, nextMessageId: 1, messages: new Map(), topics: new Map(), blocked: false });
  }

  private person(userId: number): SandboxUser {
    const person = this.people.get(userId);
    if (!person) throw badRequest("there is no such person in the sandbox");
    return person;
  }

  private group(): SandboxChat {
    return this.chats.get(SANDBOX_GROUP.id)!;
  }

  private privateChat(userId: number): SandboxChat {
    this.person(userId);
    return this.chats.get(userId)!;
  }

  /** The chat a person may write in: their own chat with the bot, or the group they belong to. */
  private chatOfPerson(person: SandboxUser, chatId: number): SandboxChat {
    if (chatId === person.id) return this.chats.get(chatId)!;
    if (chatId === SANDBOX_GROUP.id && this.groupMembers.has(person.id)) return this.group();
    throw badRequest("this person cannot write in that chat");
  }

  private userObject(userId: number): User {
    const { id, first_name, last_name, language_code } = this.person(userId);
    return { id, is_bot: false, first_name, ...optional("last_name", last_name), ...optional("language_code", language_code) };
  }

  private userBody(input: UserInput): Record<string, unknown> {
    if (input.contact) return { contact: { ...input.contact, phone_number: String(input.contact.phone_number) } };
    if (input.location) return { location: { latitude: Number(input.location.latitude), longitude: Number(input.location.longitude) } };
    if (input.file_id) {
      const file = this.files.get(input.file_id);
      if (!file) throw badRequest("wrong file identifier/HTTP URL specified");
      const caption = (input.caption ?? "").trim();
      if (caption.length > LIMITS.caption) throw badRequest("message caption is too long");
      return {
        ...mediaField(file),
        ...captionFields({ text: caption, entities: withFoundEntities(caption, checkEntities(caption, input.entities)) }),
      };
    }
    const text = (input.text ?? "").trim();
    if (text === "") throw badRequest("message text is empty");
    if (text.length > LIMITS.text) throw badRequest("message is too long");
    return { text, ...entitiesField("entities", withFoundEntities(text, checkEntities(text, input.entities))) };
  }

  /** Text or a caption: HTML parsed, or entities checked; Telegram's own finds added; the length checked. */
  private formatted(p: Params, field: string, entitiesName: string, limit: number): { text: string; entities: MessageEntity[] } {
    const raw = p.string(field) ?? "";
    const mode = p.string("parse_mode");
    let parsed: { text: string; entities: MessageEntity[] };
    if (mode === undefined || mode === "") parsed = { text: raw.trim(), entities: checkEntities(raw.trim(), p.json(entitiesName)) };
    else if (mode.toLowerCase() === "html") parsed = parseHtml(raw);
    else throw badRequest("unsupported parse_mode: the Hamroh sandbox reads HTML only");
    if (parsed.text.length > limit) throw badRequest(field === "text" ? "message is too long" : "message caption is too long");
    return { text: parsed.text, entities: withFoundEntities(parsed.text, parsed.entities) };
  }

  /** reply_markup: an inline keyboard (checked like Telegram: text, one action, data of 1–64 bytes) or a reply keyboard. */
  private readMarkup(p: Params, inlineOnly = false): { inline?: InlineKeyboardMarkup; keyboard?: ReplyKeyboardMarkup | null } {
    const markup = p.json<Record<string, unknown>>("reply_markup");
    if (!markup) return {};
    if (Array.isArray(markup.inline_keyboard)) {
      const rows = markup.inline_keyboard as InlineKeyboardButton[][];
      for (const row of rows) {
        if (!Array.isArray(row))
          throw badRequest('can\'t parse inline keyboard button: field "inline_keyboard" must be an Array of Arrays');
        for (const button of row) checkButton(button);
      }
      const kept = rows.filter((row) => row.length > 0);
      return kept.length > 0 ? { inline: { inline_keyboard: kept } } : {};
    }
    if (inlineOnly) throw badRequest("inline keyboard expected");
    if (Array.isArray(markup.keyboard)) {
      for (const row of markup.keyboard as (KeyboardButton | string)[][]) {
        for (const key of row)
          if ((typeof key === "string" ? key : (key?.text ?? "")) === "") throw badRequest("keyboard button text is empty");
      }
      return { keyboard: markup as unknown as ReplyKeyboardMarkup };
    }
    if (markup.remove_keyboard === true) return { keyboard: null };
    if (markup.force_reply === true) return {};
    throw badRequest("can't parse reply keyboard markup JSON object");
  }

  private setKeyboard(chat: SandboxChat, keyboard: ReplyKeyboardMarkup | undefined): void {
    if (keyboard) chat.keyboard = keyboard;
    else delete chat.keyboard;
    this.emit({ type: "keyboard", chat_id: chat.id, keyboard: keyboard ?? null });
  }

  /** The chat named by `chat_id` (or another parameter), as the bot may see it. */
  private chatOf(p: Params, field = "chat_id"): SandboxChat {
    const raw = p.string(field);
    if (raw === undefined || raw === "") throw badRequest(`${field} is empty`);
    const chat = /^-?\d+$/.test(raw) ? this.chats.get(Number(raw)) : undefined;
    if (!chat || (chat.type === "private" && !chat.started)) throw badRequest("chat not found");
    return chat;
  }

  /** A chat the bot may write in: a private chat the user opened and did not block, or the group. */
  private writableChat(p: Params): SandboxChat {
    const raw = p.string("chat_id");
    const chat = raw !== undefined && /^-?\d+$/.test(raw) ? this.chats.get(Number(raw)) : undefined;
    if (!chat) throw badRequest("chat not found");
    if (chat.type === "private" && !chat.started) throw new ApiError(403, "Forbidden: bot can't initiate conversation with a user");
    if (chat.blocked) throw new ApiError(403, "Forbidden: bot was blocked by the user");
    return chat;
  }

  private chatInfo(chat: SandboxChat): Record<string, unknown> {
    const base = {
      ...this.chatObject(chat),
      accent_color_id: 0,
      max_reaction_count: 11,
      accepted_gift_types: { unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false },
    };
    if (chat.type === "private") return base;
    return {
      ...base,
      is_forum: chat.isForum,
      permissions: { can_send_messages: true, can_manage_topics: false },
      join_to_send_messages: true,
    };
  }

  private member(chat: SandboxChat, userId: number): Record<string, unknown> {
    if (userId === SANDBOX_BOT.id) {
      if (chat.type === "private") return { status: "member", user: SANDBOX_BOT };
      return { status: "administrator", user: botUser(), ...ADMINISTRATOR_RIGHTS };
    }
    const person = this.people.get(userId);
    if (!person) throw badRequest("user not found");
    if (chat.type === "private") return { status: chat.id === userId ? "member" : "left", user: this.userObject(userId) };
    const status = this.groupMembers.get(userId);
    if (status === "administrator") {
      return { status, user: this.userObject(userId), ...ADMINISTRATOR_RIGHTS };
    }
    if (status === "creator") return { status, user: this.userObject(userId), is_anonymous: false };
    return { status: status ?? "left", user: this.userObject(userId) };
  }

  private store(chat: SandboxChat, fields: Omit<StoredMessage, "message_id" | "chatId" | "date" | "reactions">): StoredMessage {
    const stored: StoredMessage = { ...fields, message_id: chat.nextMessageId++, chatId: chat.id, date: now(), reactions: [] };
    chat.messages.set(stored.message_id, stored);
    this.emit({ type: "message", chat_id: chat.id, message: this.pageMessage(stored) });
    return stored;
  }

  private chatObject(chat: SandboxChat): Message["chat"] {
    if (chat.type === "private") {
      const { first_name, last_name } = this.person(chat.id);
      return { id: chat.id, type: "private", first_name, ...optional("last_name", last_name) };
    }
    return { id: chat.id, type: "supergroup", title: chat.title!, ...(chat.isForum ? { is_forum: true as const } : {}) } as Message["chat"];
  }

  /** Telegram's Message object; a reply carries the message it answers, one level deep. */
  private toMessage(stored: StoredMessage, depth = 0): Message {
    const chat = this.chats.get(stored.chatId)!;
    const replied = stored.replyTo !== undefined && depth === 0 ? chat.messages.get(stored.replyTo) : undefined;
    return {
      message_id: stored.message_id,
      from: stored.from,
      chat: this.chatObject(chat),
      date: stored.date,
      ...optional("message_thread_id", stored.threadId),
      ...(stored.isTopicMessage ? { is_topic_message: true } : {}),
      ...(stored.forwardOrigin ? { forward_origin: stored.forwardOrigin } : {}),
      ...(replied ? { reply_to_message: this.toMessage(replied, depth + 1) } : {}),
      ...(stored.editDate ? { edit_date: stored.editDate } : {}),
      ...(stored.protected ? { has_protected_content: true } : {}),
      ...stored.body,
      ...optional("reply_markup", stored.markup),
    } as Message;
  }

  private pageMessage(stored: StoredMessage): PageMessage {
    return { ...this.toMessage(stored), reactions: stored.reactions };
  }

  private pageChat(chat: SandboxChat): PageChat {
    const title = chat.type === "private" ? this.person(chat.id).first_name : chat.title!;
    return {
      id: chat.id,
      type: chat.type,
      title,
      is_forum: chat.isForum,
      started: chat.started,
      blocked: chat.blocked,
      topics: [...chat.topics.values()],
      keyboard: chat.keyboard ?? null,
    };
  }

  private emit(event: SandboxEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function botUser(): User {
  return { id: SANDBOX_BOT.id, is_bot: true, first_name: SANDBOX_BOT.first_name, username: SANDBOX_BOT.username };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function requiredNumber(p: Params, name: string): number {
  const value = p.number(name);
  if (value === undefined) throw badRequest(`${name} is empty`);
  return value;
}

function entitiesField(name: string, entities: MessageEntity[]): Record<string, MessageEntity[]> {
  return entities.length > 0 ? { [name]: entities } : {};
}

function captionFields(caption: { text: string; entities: MessageEntity[] }): Record<string, unknown> {
  return caption.text === "" ? {} : { caption: caption.text, ...entitiesField("caption_entities", caption.entities) };
}

function withoutCaption(body: Record<string, unknown>): Record<string, unknown> {
  const { caption: _, caption_entities: __, ...rest } = body;
  return rest;
}

function isMedia(stored: StoredMessage): boolean {
  return ["photo", "document", "voice", "audio", "video", "animation"].some((kind) => kind in stored.body);
}

function isService(stored: StoredMessage): boolean {
  return ["forum_topic_created", "forum_topic_edited", "forum_topic_closed", "forum_topic_reopened", "pinned_message"].some(
    (kind) => kind in stored.body,
  );
}

/** The media field of a message (`photo` is a list of sizes; the sandbox keeps one). */
function mediaField(file: StoredFile): Record<string, unknown> {
  const common = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.bytes.length };
  switch (file.kind) {
    case "photo":
      return { photo: [{ ...common, width: file.width ?? 0, height: file.height ?? 0 }] };
    case "voice":
      return { voice: { ...common, duration: file.duration ?? 0, mime_type: file.mime_type } };
    case "audio":
      return { audio: { ...common, duration: file.duration ?? 0, mime_type: file.mime_type, ...optional("file_name", file.file_name) } };
    case "video":
    case "animation":
      return {
        [file.kind]: {
          ...common,
          width: file.width ?? 0,
          height: file.height ?? 0,
          duration: file.duration ?? 0,
          mime_type: file.mime_type,
        },
      };
    default:
      return { document: { ...common, file_name: file.file_name, mime_type: file.mime_type } };
  }
}

function checkButton(button: InlineKeyboardButton): void {
  if (typeof button !== "object" || button === null || typeof button.text !== "string" || button.text === "")
    throw badRequest("text buttons are unallowed in the inline keyboard");
  const actions = Object.keys(button).filter((key) => key !== "text" && key !== "style" && key !== "icon_custom_emoji_id");
  if (actions.length !== 1) throw badRequest("can't parse inline keyboard button: exactly one of the optional fields must be used");
  if ("callback_data" in button) {
    const bytes = Buffer.byteLength(button.callback_data ?? "", "utf8");
    if (bytes < 1 || bytes > LIMITS.callbackData) throw badRequest("BUTTON_DATA_INVALID");
  }
  if ("url" in button && !/^(https?|tg):\/\//i.test(button.url ?? "")) throw badRequest("inline keyboard button URL is invalid");
}

/** JSON with sorted keys, to compare content whatever order its fields came in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

function commandsKey(p: Params): string {
  const scope = p.json<{ type: string; chat_id?: number; user_id?: number }>("scope") ?? { type: "default" };
  return [scope.type, scope.chat_id ?? "", scope.user_id ?? "", p.string("language_code") ?? ""].join(":");
}

function chatInstance(chatId: number): string {
  return String(BigInt.asUintN(63, BigInt(chatId) * 2654435761n));
}

function extensionOf(kind: MediaKind, filename: string, contentType: string): string {
  const fromName = /\.([a-z0-9]{1,8})$/i.exec(filename)?.[1];
  if (fromName) return fromName.toLowerCase();
  const fromType = /\/([a-z0-9]+)/i.exec(contentType)?.[1];
  if (fromType && fromType !== "octet") return fromType === "jpeg" ? "jpg" : fromType;
  return { photo: "jpg", voice: "ogg", audio: "mp3", video: "mp4", animation: "mp4", document: "dat" }[kind];
}

const MIME_BY_EXTENSION: Record<string, string> = {
  txt: "text/plain; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  pdf: "application/pdf",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  ogg: "audio/ogg",
  oga: "audio/ogg",
  webm: "audio/webm",
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  mp4: "video/mp4",
};

/** grammY uploads every file as application/octet-stream: the name says more. */
function mimeOf(kind: MediaKind, contentType: string, filename: string): string {
  if (contentType && contentType !== "application/octet-stream") return contentType;
  const byName = MIME_BY_EXTENSION[/\.([a-z0-9]{1,8})$/i.exec(filename)?.[1]?.toLowerCase() ?? ""];
  if (byName) return byName;
  return {
    photo: "image/jpeg",
    voice: "audio/ogg",
    audio: "audio/mpeg",
    video: "video/mp4",
    animation: "video/mp4",
    document: "application/octet-stream",
  }[kind];
}
