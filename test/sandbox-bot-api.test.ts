import { request as httpRequest } from "node:http";
import { Api, GrammyError, InlineKeyboard, InputFile, Keyboard } from "grammy";
import type { Update } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SandboxBotApi } from "../src/sandbox/bot-api.js";
import { SANDBOX_ADMIN, SANDBOX_BOT, SANDBOX_GROUP, SANDBOX_STAFF, SANDBOX_TOKEN } from "../src/sandbox/cast.js";
import { checkEntities, type FormattingError, parseHtml, withFoundEntities } from "../src/sandbox/formatting.js";
import { parseMultipart, readParams } from "../src/sandbox/params.js";
import type { SandboxEvent } from "../src/sandbox/telegram.js";

/**
 * The sandbox's Bot API server over real HTTP, through grammY's own client: Telegram's
 * semantics (ids per chat, edits and "not modified", callback queries, copies, topics,
 * reactions, protected content, files) and errors, the updates it serves, and the page's endpoints.
 */

const MIGRANT = 100001;
const GROUP = SANDBOX_GROUP.id;
const DILNOZA = SANDBOX_STAFF[0]!.user.id;
const SITORA = SANDBOX_STAFF[2]!.user.id;

let server: SandboxBotApi;
let api: Api;
let events: SandboxEvent[];
const around: { kinds: string[] } = { kinds: [] };

beforeEach(async () => {
  around.kinds = [];
  server = new SandboxBotApi({
    around: async (kind, change) => {
      around.kinds.push(kind);
      change();
    },
  });
  const url = await server.listen(0);
  api = new Api(SANDBOX_TOKEN, { apiRoot: url });
  events = [];
  server.telegram.subscribe((event) => events.push(event));
});

afterEach(async () => {
  await server.close();
});

const tg = () => server.telegram;
/** The migrant opens the bot (so that it may write to them). */
const opened = () => tg().send(MIGRANT, MIGRANT, { text: "/start" });

async function refusal(call: Promise<unknown>): Promise<{ code: number; description: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GrammyError) return { code: error.error_code, description: error.description };
    throw error;
  }
  throw new Error("the call was not refused");
}

async function page(action: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}/sandbox/${action}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function updates(offset?: number): Promise<Update[]> {
  return api.getUpdates({ offset, timeout: 0 });
}

describe("the sandbox's Bot API server", () => {
  it("listens on 127.0.0.1 only and answers getMe; another token gets 401, unknown methods 404, unsupported ones 400", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await api.getMe()).toEqual(SANDBOX_BOT);
    expect(await refusal(new Api("123:other", { apiRoot: server.url }).getMe())).toEqual({ code: 401, description: "Unauthorized" });
    const unknown = await fetch(`${server.url}/bot${SANDBOX_TOKEN}/sendTelepathy`, { method: "POST" });
    expect([unknown.status, ((await unknown.json()) as any).description]).toEqual([404, "Not Found"]);
    expect(await refusal(api.sendPoll(GROUP, "?", ["a", "b"]))).toEqual({
      code: 400,
      description: "Bad Request: method sendPoll is not available in the Hamroh sandbox",
    });
    // Method names are matched as Telegram does, whatever their case; parameters may come in the query string.
    const lower = await fetch(`${server.url}/bot${SANDBOX_TOKEN}/getme`);
    expect(((await lower.json()) as any).result.id).toBe(SANDBOX_BOT.id);
    const query = await fetch(`${server.url}/bot${SANDBOX_TOKEN}/getChat?chat_id=${GROUP}`);
    expect(((await query.json()) as any).result).toMatchObject({ id: GROUP, type: "supergroup", title: SANDBOX_GROUP.title });
  });

  it("writes to a user only after they opened the bot and until they block it, as Telegram does", async () => {
    expect(await refusal(api.sendMessage(MIGRANT, "hello"))).toEqual({
      code: 403,
      description: "Forbidden: bot can't initiate conversation with a user",
    });
    expect(await refusal(api.getChat(MIGRANT))).toEqual({ code: 400, description: "Bad Request: chat not found" });
    expect(await refusal(api.sendMessage(42, "hello"))).toEqual({ code: 400, description: "Bad Request: chat not found" });
    opened();
    expect((await api.sendMessage(MIGRANT, "hello")).message_id).toBe(2);
    tg().setBlocked(MIGRANT, true);
    expect(await refusal(api.sendMessage(MIGRANT, "hello"))).toEqual({ code: 403, description: "Forbidden: bot was blocked by the user" });
    const blocked = (await updates()).at(-1)!;
    expect(blocked.my_chat_member).toMatchObject({
      chat: { id: MIGRANT },
      old_chat_member: { status: "member" },
      new_chat_member: { status: "kicked" },
    });
    // Writing again unblocks the bot (Telegram's "Restart").
    tg().send(MIGRANT, MIGRANT, { text: "hi again" });
    expect((await api.sendMessage(MIGRANT, "welcome back")).message_id).toBe(4);
  });

  it("numbers messages per chat, the users' and the bot's in one sequence", async () => {
    opened();
    const first = await api.sendMessage(GROUP, "card");
    const second = await api.sendMessage(MIGRANT, "menu");
    const lawyer = tg().send(DILNOZA, GROUP, { text: "a note" });
    expect([first.message_id, second.message_id, lawyer.message_id]).toEqual([1, 2, 2]);
    expect(first).toMatchObject({
      chat: { id: GROUP, type: "supergroup", title: SANDBOX_GROUP.title },
      from: { id: SANDBOX_BOT.id, is_bot: true },
    });
    expect(
      tg()
        .messagesOf(GROUP)
        .map((message) => message.message_id),
    ).toEqual([1, 2]);
  });

  it("reads Telegram HTML into text and entities, refuses what Telegram refuses, and adds the entities it finds", async () => {
    opened();
    const sent = await api.sendMessage(MIGRANT, '<b>Bold <i>both</i></b> &amp; <a href="https://example.org">a link</a> — see /help', {
      parse_mode: "HTML",
    });
    expect(sent.text).toBe("Bold both & a link — see /help");
    expect(sent.entities).toEqual([
      { type: "bold", offset: 0, length: 9 },
      { type: "italic", offset: 5, length: 4 },
      { type: "text_link", offset: 12, length: 6, url: "https://example.org" },
      { type: "bot_command", offset: 25, length: 5 },
    ]);
    expect(await refusal(api.sendMessage(MIGRANT, "line<br>break", { parse_mode: "HTML" }))).toEqual({
      code: 400,
      description: 'Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 4',
    });
    expect((await refusal(api.sendMessage(MIGRANT, "*bold*", { parse_mode: "MarkdownV2" }))).description).toMatch(/unsupported parse_mode/);
    expect(await refusal(api.sendMessage(MIGRANT, "   "))).toEqual({ code: 400, description: "Bad Request: message text is empty" });
    expect(await refusal(api.sendMessage(MIGRANT, "x".repeat(4097)))).toEqual({
      code: 400,
      description: "Bad Request: message is too long",
    });
    // Entities given as a list (a notice copies the admin's formatting) are kept.
    const notice = await api.sendMessage(MIGRANT, "Hotline closed", { entities: [{ type: "bold", offset: 0, length: 7 }] });
    expect(notice.entities).toEqual([{ type: "bold", offset: 0, length: 7 }]);
  });

  it("edits the bot's messages in place and answers edits that change nothing, or that it cannot make, as Telegram does", async () => {
    opened();
    const keyboard = new InlineKeyboard().text("Take", "req:take:1");
    const card = await api.sendMessage(GROUP, "<b>A-1001</b> open", { parse_mode: "HTML", reply_markup: keyboard });
    events.length = 0;
    const edited = await api.editMessageText(GROUP, card.message_id, "<b>A-1001</b> taken", { parse_mode: "HTML", reply_markup: keyboard });
    expect(edited).toMatchObject({ message_id: card.message_id, text: "A-1001 taken", edit_date: expect.any(Number) });
    expect(events).toEqual([
      { type: "message", chat_id: GROUP, message: expect.objectContaining({ message_id: card.message_id, text: "A-1001 taken" }) },
    ]);
    expect(tg().messagesOf(GROUP)).toHaveLength(1);
    const notModified =
      "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
    expect(
      (await refusal(api.editMessageText(GROUP, card.message_id, "<b>A-1001</b> taken", { parse_mode: "HTML", reply_markup: keyboard })))
        .description,
    ).toBe(notModified);
    expect((await refusal(api.editMessageReplyMarkup(GROUP, card.message_id, { reply_markup: keyboard }))).description).toBe(notModified);
    // Without reply_markup an edit takes the buttons away.
    expect((await api.editMessageReplyMarkup(GROUP, card.message_id)) as unknown).toMatchObject({ message_id: card.message_id });
    expect(tg().messagesOf(GROUP)[0]!.reply_markup).toBeUndefined();
    expect((await refusal(api.editMessageText(GROUP, 99, "x"))).description).toBe("Bad Request: message to edit not found");
    const lawyers = tg().send(DILNOZA, GROUP, { text: "mine" });
    expect((await refusal(api.editMessageReplyMarkup(GROUP, lawyers.message_id, { reply_markup: keyboard }))).description).toBe(
      "Bad Request: message can't be edited",
    );
    expect((await refusal(api.editMessageCaption(GROUP, card.message_id, { caption: "x" }))).description).toBe(
      "Bad Request: there is no caption in the message to edit",
    );
    expect((await refusal(api.editMessageText(GROUP, card.message_id, "x", { inline_message_id: "1" } as never))).description).toBe(
      "Bad Request: MESSAGE_ID_INVALID",
    );
  });

  it("checks inline buttons and turns a press into a callback query that can be answered once", async () => {
    opened();
    expect(
      (await refusal(api.sendMessage(MIGRANT, "x", { reply_markup: new InlineKeyboard().text("Long", "x".repeat(65)) }))).description,
    ).toBe("Bad Request: BUTTON_DATA_INVALID");
    expect(
      (await refusal(api.sendMessage(MIGRANT, "x", { reply_markup: { inline_keyboard: [[{ text: "", callback_data: "a" }]] } })))
        .description,
    ).toMatch(/text buttons/);
    const menu = await api.sendMessage(MIGRANT, "Menu", {
      reply_markup: new InlineKeyboard().text("FAQ", "faq").url("Site", "https://example.org"),
    });
    expect(tg().press(MIGRANT, MIGRANT, menu.message_id, 0, 1)).toEqual({ url: "https://example.org" });
    const { callback_query_id } = tg().press(MIGRANT, MIGRANT, menu.message_id, 0, 0);
    const query = (await updates()).at(-1)!.callback_query!;
    expect(query).toMatchObject({
      id: callback_query_id,
      data: "faq",
      from: { id: MIGRANT },
      message: { message_id: menu.message_id, reply_markup: { inline_keyboard: expect.any(Array) } },
    });
    expect(await api.answerCallbackQuery(query.id, { text: "Thanks!", show_alert: true })).toBe(true);
    expect(events.at(-1)).toEqual({ type: "answer", callback_query_id: query.id, chat_id: MIGRANT, text: "Thanks!", show_alert: true });
    expect((await refusal(api.answerCallbackQuery(query.id))).description).toBe(
      "Bad Request: query is too old and response timeout expired or query ID is invalid",
    );
    expect(() => tg().press(MIGRANT, MIGRANT, menu.message_id, 3, 0)).toThrow("there is no such button");
  });

  it("copies without the author, marks protected content, and refuses to copy it", async () => {
    opened();
    const photo = tg().storeFile(
      "photo",
      { filename: "passport.jpg", contentType: "image/jpeg", bytes: Buffer.from("jpeg bytes") },
      { width: 90, height: 60 },
    );
    const userPhoto = tg().send(MIGRANT, MIGRANT, { file_id: photo.file_id, caption: "my passport" });
    const card = await api.sendMessage(GROUP, "card", { protect_content: true });
    expect(card.has_protected_content).toBe(true);
    const copy = await api.copyMessage(GROUP, MIGRANT, userPhoto.message_id, {
      caption: "A-1001 · 1/1",
      reply_parameters: { message_id: card.message_id },
      protect_content: true,
    });
    const copied = tg()
      .messagesOf(GROUP)
      .find((message) => message.message_id === copy.message_id)!;
    expect(copied).toMatchObject({
      from: { id: SANDBOX_BOT.id },
      caption: "A-1001 · 1/1",
      photo: [{ file_id: photo.file_id, width: 90 }],
      reply_to_message: { message_id: card.message_id },
      has_protected_content: true,
    });
    expect(copied).not.toHaveProperty("forward_origin");
    expect((await refusal(api.copyMessage(MIGRANT, GROUP, copy.message_id))).description).toBe("Bad Request: message can't be copied");
    expect((await refusal(api.copyMessage(GROUP, MIGRANT, 99))).description).toBe("Bad Request: message to copy not found");
    const forwarded = await api.forwardMessage(GROUP, MIGRANT, userPhoto.message_id);
    expect(forwarded.forward_origin).toMatchObject({ type: "user", sender_user: { id: MIGRANT } });
    expect((await refusal(api.copyMessages(MIGRANT, GROUP, []))).description).toMatch(/message_ids/);
    expect(await api.copyMessages(GROUP, MIGRANT, [userPhoto.message_id])).toEqual([{ message_id: expect.any(Number) }]);
    // A reply to a message that is not there is refused unless allowed.
    expect((await refusal(api.sendMessage(GROUP, "x", { reply_parameters: { message_id: 99 } }))).description).toBe(
      "Bad Request: message to be replied not found",
    );
    expect(
      (await api.sendMessage(GROUP, "x", { reply_parameters: { message_id: 99, allow_sending_without_reply: true } })).reply_to_message,
    ).toBeUndefined();
  });

  it("keeps files in memory: uploads, file ids, getFile and downloads, with Telegram's refusals", async () => {
    opened();
    const csv = Buffer.from("reference,topic\nA-1001,unpaid-wages\n");
    const sent = await api.sendDocument(MIGRANT, new InputFile(csv, "export.csv"), {
      caption: "<b>Export</b>",
      parse_mode: "HTML",
      protect_content: true,
    });
    expect(sent).toMatchObject({
      document: { file_name: "export.csv", mime_type: "text/csv; charset=utf-8", file_size: csv.length },
      caption: "Export",
      caption_entities: [{ type: "bold", offset: 0, length: 6 }],
    });
    const file = await api.getFile(sent.document!.file_id);
    const download = await fetch(`${server.url}/file/bot${SANDBOX_TOKEN}/${file.file_path}`);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(csv);
    expect((await fetch(`${server.url}/file/bot123:x/${file.file_path}`)).status).toBe(401);
    expect(Buffer.from(await (await fetch(`${server.url}/sandbox/files/${file.file_id}`)).arrayBuffer())).toEqual(csv);
    expect((await fetch(`${server.url}/sandbox/files/nothing`)).status).toBe(404);
    const voice = await api.sendVoice(MIGRANT, new InputFile(Buffer.from("OggS"), "note.ogg"));
    expect(voice.voice).toMatchObject({ mime_type: "audio/ogg", duration: 0 });
    // Sent again by file id, as the outbox does; of the wrong kind, unknown or from the web it is refused.
    expect((await api.sendDocument(GROUP, sent.document!.file_id)).document!.file_id).toBe(sent.document!.file_id);
    expect((await refusal(api.sendPhoto(GROUP, sent.document!.file_id))).description).toBe("Bad Request: type of file mismatch");
    expect((await refusal(api.sendPhoto(GROUP, "nope"))).description).toBe("Bad Request: wrong file identifier/HTTP URL specified");
    expect((await refusal(api.sendPhoto(GROUP, "https://example.org/a.jpg"))).description).toBe(
      "Bad Request: failed to get HTTP URL content",
    );
    expect((await refusal(api.getFile("nope"))).description).toBe("Bad Request: invalid file_id");
    expect(() => tg().storeFile("photo", { filename: "a", contentType: "", bytes: Buffer.alloc(0) })).toThrow("file must be non-empty");
  });

  it("has forum topics: the thread is the id of the message that opens it, and a topic's messages reply to it", async () => {
    expect((await refusal(api.createForumTopic(GROUP, "A-1001"))).description).toBe("Bad Request: the chat is not a forum");
    tg().setForum(true);
    expect((await api.getChat(GROUP)).is_forum).toBe(true);
    const topic = await api.createForumTopic(GROUP, "A-1001 · Unpaid wages");
    expect(topic).toEqual({ message_thread_id: 1, name: "A-1001 · Unpaid wages", icon_color: 7322096 });
    const card = await api.sendMessage(GROUP, "card", { message_thread_id: topic.message_thread_id });
    expect(card).toMatchObject({
      message_id: 2,
      message_thread_id: 1,
      is_topic_message: true,
      reply_to_message: { message_id: 1, forum_topic_created: { name: "A-1001 · Unpaid wages" } },
    });
    const note = tg().send(DILNOZA, GROUP, { text: "a note", message_thread_id: 1 });
    expect(note).toMatchObject({ message_thread_id: 1, is_topic_message: true, reply_to_message: { message_id: 1 } });
    // A reply to the card goes to the card's topic even without the thread.
    const answer = tg().send(DILNOZA, GROUP, { text: "an answer", reply_to_message_id: card.message_id });
    expect(answer).toMatchObject({ message_thread_id: 1, reply_to_message: { message_id: card.message_id } });
    expect((await refusal(api.sendMessage(GROUP, "x", { message_thread_id: 77 }))).description).toBe(
      "Bad Request: message thread not found",
    );
    expect(await api.editForumTopic(GROUP, 1, { name: "A-1001 · Closed" })).toBe(true);
    expect(await api.closeForumTopic(GROUP, 1)).toBe(true);
    expect((await refusal(api.sendMessage(GROUP, "x", { message_thread_id: 1 }))).description).toBe("Bad Request: TOPIC_CLOSED");
    expect((await refusal(api.closeForumTopic(GROUP, 1))).description).toBe("Bad Request: TOPIC_NOT_MODIFIED");
    expect(await api.reopenForumTopic(GROUP, 1)).toBe(true);
    expect(await api.deleteForumTopic(GROUP, 1)).toBe(true);
    expect(tg().messagesOf(GROUP)).toEqual([]);
    expect(
      tg()
        .snapshot()
        .chats.find((chat) => chat.id === GROUP)!.topics,
    ).toEqual([]);
  });

  it("sets the reactions bots may set, one at a time", async () => {
    const note = tg().send(DILNOZA, GROUP, { text: "a note" });
    expect(await api.setMessageReaction(GROUP, note.message_id, [{ type: "emoji", emoji: "✍" }])).toBe(true);
    expect(tg().messagesOf(GROUP)[0]!.reactions).toEqual(["✍"]);
    expect((await refusal(api.setMessageReaction(GROUP, note.message_id, [{ type: "emoji", emoji: "🦆" as never }]))).description).toBe(
      "Bad Request: REACTION_INVALID",
    );
    expect(
      (
        await refusal(
          api.setMessageReaction(GROUP, note.message_id, [
            { type: "emoji", emoji: "👌" },
            { type: "emoji", emoji: "👍" },
          ]),
        )
      ).description,
    ).toBe("Bad Request: REACTIONS_TOO_MANY");
    expect((await refusal(api.setMessageReaction(GROUP, 99, [{ type: "emoji", emoji: "👌" }]))).description).toBe(
      "Bad Request: MESSAGE_ID_INVALID",
    );
  });

  it("deletes messages and pins them, with Telegram's refusals", async () => {
    const card = await api.sendMessage(GROUP, "card");
    expect(await api.pinChatMessage(GROUP, card.message_id)).toBe(true);
    expect(tg().messagesOf(GROUP).at(-1)).toMatchObject({ pinned_message: { message_id: card.message_id } });
    expect(await api.unpinChatMessage(GROUP, card.message_id)).toBe(true);
    expect(await api.deleteMessage(GROUP, card.message_id)).toBe(true);
    expect(events.at(-1)).toEqual({ type: "delete", chat_id: GROUP, message_id: card.message_id });
    expect((await refusal(api.deleteMessage(GROUP, card.message_id))).description).toBe("Bad Request: message to delete not found");
    expect(await api.deleteMessages(GROUP, [2, 50])).toBe(true);
    expect((await refusal(api.pinChatMessage(GROUP, 50))).description).toBe("Bad Request: message to pin not found");
  });

  it("knows who is who in the staff group: the creator and an administrator are lawyers, a member is not, the bot has the rights", async () => {
    expect(await api.getChatMember(GROUP, DILNOZA)).toMatchObject({ status: "creator", user: { id: DILNOZA } });
    expect(await api.getChatMember(GROUP, SANDBOX_STAFF[1]!.user.id)).toMatchObject({ status: "administrator", can_delete_messages: true });
    expect(await api.getChatMember(GROUP, SITORA)).toMatchObject({ status: "member" });
    expect(await api.getChatMember(GROUP, MIGRANT)).toMatchObject({ status: "left" });
    expect(await api.getChatMember(GROUP, SANDBOX_BOT.id)).toMatchObject({
      status: "administrator",
      can_delete_messages: true,
      can_manage_topics: true,
    });
    expect((await api.getChatAdministrators(GROUP)).map((member) => member.user.id)).toEqual([
      DILNOZA,
      SANDBOX_STAFF[1]!.user.id,
      SANDBOX_BOT.id,
    ]);
    expect(await api.getChatMemberCount(GROUP)).toBe(4);
    expect((await refusal(api.getChatMember(GROUP, 5))).description).toBe("Bad Request: user not found");
    expect(() => tg().send(MIGRANT, GROUP, { text: "let me in" })).toThrow("cannot write in that chat");
  });

  it("keeps command menus per language, and answers the calls around polling", async () => {
    await api.setMyCommands([{ command: "start", description: "Начать" }], { language_code: "ru" });
    await api.setMyCommands([{ command: "start", description: "Start" }]);
    expect(await api.getMyCommands({ language_code: "ru" })).toEqual([{ command: "start", description: "Начать" }]);
    expect(tg().snapshot().commands).toEqual({
      "default:::ru": [{ command: "start", description: "Начать" }],
      "default:::": [{ command: "start", description: "Start" }],
    });
    expect((await refusal(api.setMyCommands([{ command: "Bad Command", description: "x" }]))).description).toBe(
      "Bad Request: BOT_COMMAND_INVALID",
    );
    expect(await api.deleteMyCommands({ language_code: "ru" })).toBe(true);
    expect(await api.getWebhookInfo()).toMatchObject({ url: "", pending_update_count: 0 });
    expect((await refusal(api.setWebhook("https://example.org/hook"))).description).toMatch(/getUpdates only/);
    expect(await api.deleteWebhook({ drop_pending_updates: true })).toBe(true);
    expect(await api.sendChatAction(GROUP, "typing")).toBe(true);
    expect(events.at(-1)).toEqual({ type: "action", chat_id: GROUP, action: "typing" });
    expect((await refusal(api.sendChatAction(GROUP, "dancing" as never))).description).toBe(
      "Bad Request: wrong parameter action in request",
    );
    expect(await api.setMyDescription("x")).toBe(true);
    expect(await api.getMyName()).toEqual({ name: SANDBOX_BOT.first_name });
    const contact = await api.sendContact(GROUP, "+992 918 85 34 34", "Hotline");
    const location = await api.sendLocation(GROUP, 38.56, 68.78);
    expect([contact.contact?.first_name, location.location?.latitude]).toEqual(["Hotline", 38.56]);
  });

  it("serves updates to getUpdates: a long poll wakes when someone writes, the offset confirms, a second poll ends the first", async () => {
    opened();
    const [first] = await updates();
    expect(first!.message).toMatchObject({
      text: "/start",
      entities: [{ type: "bot_command", offset: 0, length: 6 }],
      from: { id: MIGRANT, language_code: "ru" },
    });
    expect(await updates(first!.update_id + 1)).toEqual([]);
    const waiting = api.getUpdates({ offset: first!.update_id + 1, timeout: 5 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    tg().send(MIGRANT, MIGRANT, { text: "patent" });
    const woken = await waiting;
    expect(woken.map((update) => update.message?.text)).toEqual(["patent"]);
    const next = woken[0]!.update_id + 1;
    const ended = api.getUpdates({ offset: next, timeout: 5 }).catch((error: GrammyError) => error.error_code);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await updates(next);
    expect(await ended).toBe(409);
    // Updates of kinds the bot did not ask for are dropped.
    tg().send(MIGRANT, MIGRANT, { text: "x" });
    expect(await api.getUpdates({ allowed_updates: ["callback_query"], timeout: 0 })).toEqual([]);
    expect(tg().pendingUpdates()).toBe(0);
  });

  it("gives reply keyboards: a key sends its text, the contact key the user's own number; one-time keyboards go after use", async () => {
    opened();
    await api.sendMessage(MIGRANT, "Your number?", {
      reply_markup: new Keyboard().requestContact("📱 Share my number").row().text("Cancel").resized().oneTime(),
    });
    expect(events.at(-1)).toMatchObject({
      type: "keyboard",
      chat_id: MIGRANT,
      keyboard: { keyboard: [[{ text: "📱 Share my number", request_contact: true }], [{ text: "Cancel" }]] },
    });
    const shared = tg().pressKey(MIGRANT, MIGRANT, 0, 0);
    expect(shared.contact).toEqual({ phone_number: "+79000000001", first_name: "Rustam", user_id: MIGRANT });
    expect(
      tg()
        .snapshot()
        .chats.find((chat) => chat.id === MIGRANT)!.keyboard,
    ).toBeNull();
    await api.sendMessage(MIGRANT, "Where?", {
      reply_markup: { keyboard: [[{ text: "📍 Here", request_location: true }, "Cancel" as never]] },
    });
    expect(tg().pressKey(MIGRANT, MIGRANT, 0, 0, { latitude: 55.79, longitude: 49.1 }).location).toEqual({
      latitude: 55.79,
      longitude: 49.1,
    });
    expect(tg().pressKey(MIGRANT, MIGRANT, 0, 1).text).toBe("Cancel");
    await api.sendMessage(MIGRANT, "Thanks", { reply_markup: { remove_keyboard: true } });
    expect(() => tg().pressKey(MIGRANT, MIGRANT, 0, 0)).toThrow("no such key");
  });
});

describe("the page's endpoints", () => {
  it("serves the page with a nonce for its one script and nothing else allowed, and its stylesheet", async () => {
    const response = await fetch(`${server.url}/`);
    const html = await response.text();
    const policy = response.headers.get("content-security-policy")!;
    const nonce = /script-src 'nonce-([^']+)'/.exec(policy)![1];
    expect(html).toContain(`<script type="module" nonce="${nonce}">`);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'self'");
    const css = await fetch(`${server.url}/page.css`);
    expect(css.headers.get("content-type")).toContain("text/css");
    expect((await fetch(`${server.url}/favicon.ico`)).status).toBe(204);
    expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
  });

  it("answers only requests for 127.0.0.1 from its own page", async () => {
    expect((await page("send", { from: MIGRANT, chat_id: MIGRANT, text: "/start" }, { origin: "https://evil.example" })).status).toBe(403);
    // A DNS name made to point at 127.0.0.1 (DNS rebinding) is not the page's address.
    const rebound = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${server.url}/sandbox/state`, { headers: { host: "evil.example" } }, (response) => {
        response.resume();
        resolve(response.statusCode!);
      });
      request.on("error", reject).end();
    });
    expect(rebound).toBe(403);
    expect(tg().pendingUpdates()).toBe(0);
    expect((await page("send", { from: MIGRANT, chat_id: MIGRANT, text: "/start" }, { origin: server.url })).status).toBe(200);
  });

  it("lets people write, upload, press, edit, switch language, block, add a migrant, switch topics and reset", async () => {
    const sent = await page("send", {
      from: MIGRANT,
      chat_id: MIGRANT,
      text: "hello **there**",
      entities: [{ type: "bold", offset: 6, length: 5 }],
    });
    expect(sent.body.result).toMatchObject({ message_id: 1, text: "hello **there**", entities: [{ type: "bold", offset: 6, length: 5 }] });
    const form = new FormData();
    for (const [key, value] of Object.entries({ from: MIGRANT, chat_id: MIGRANT, kind: "voice", duration: 3, caption: "listen" }))
      form.append(key, String(value));
    form.append("file", new Blob([Buffer.from("OggS voice")], { type: "audio/ogg" }), "voice.ogg");
    const voice = (await (await fetch(`${server.url}/sandbox/send`, { method: "POST", body: form })).json()) as any;
    expect(voice.result).toMatchObject({ voice: { duration: 3, mime_type: "audio/ogg" }, caption: "listen" });
    const menu = await api.sendMessage(MIGRANT, "Menu", { reply_markup: new InlineKeyboard().text("FAQ", "faq") });
    expect(
      (await page("press", { from: MIGRANT, chat_id: MIGRANT, message_id: menu.message_id, row: 0, column: 0 })).body.result
        .callback_query_id,
    ).toMatch(/^\d+$/);
    await api.sendMessage(MIGRANT, "Number?", { reply_markup: new Keyboard().requestContact("Share").oneTime() });
    expect((await page("key", { from: MIGRANT, chat_id: MIGRANT, row: 0, column: 0 })).body.result.contact.user_id).toBe(MIGRANT);
    expect((await page("edit", { from: MIGRANT, chat_id: MIGRANT, message_id: 1, text: "hello again" })).body.result).toMatchObject({
      text: "hello again",
      edit_date: expect.any(Number),
    });
    expect((await page("edit", { from: MIGRANT, chat_id: MIGRANT, message_id: menu.message_id, text: "mine now" })).body).toMatchObject({
      ok: false,
      error_code: 400,
      description: "Bad Request: message can't be edited",
    });
    const kinds = (await updates()).map((update) => Object.keys(update).find((key) => key !== "update_id"));
    expect(kinds).toEqual(["message", "message", "callback_query", "message", "edited_message"]);
    await page("language", { user_id: MIGRANT, language_code: "tg" });
    expect(
      tg()
        .snapshot()
        .people.find((person) => person.id === MIGRANT)!.language_code,
    ).toBe("tg");
    await page("block", { user_id: MIGRANT, blocked: true });
    expect(
      tg()
        .snapshot()
        .chats.find((chat) => chat.id === MIGRANT)!.blocked,
    ).toBe(true);
    const added = (await page("migrants", { language_code: "uz" })).body.result;
    expect(added).toMatchObject({ id: 100002, first_name: "Zarina", language_code: "uz", role: "migrant" });
    expect((await page("forum", { on: true })).body.result).toBe(true);
    expect((await api.getChat(GROUP)).is_forum).toBe(true);
    expect((await page("reset", {})).body.result).toBe(true);
    expect(around.kinds).toEqual(["forum", "reset"]);
    expect(tg().snapshot()).toMatchObject({
      people: expect.arrayContaining([expect.objectContaining({ id: MIGRANT }), expect.objectContaining({ id: SANDBOX_ADMIN.id })]),
      chats: expect.any(Array),
    });
    expect(
      tg()
        .snapshot()
        .people.map((person) => person.id),
    ).not.toContain(100002);
    expect(tg().messagesOf(MIGRANT)).toEqual([]);
    expect((await page("nothing", {})).status).toBe(404);
    expect((await page("send", { from: 5, chat_id: 5, text: "x" })).body.description).toBe(
      "Bad Request: there is no such person in the sandbox",
    );
    expect((await fetch(`${server.url}/sandbox/state`, { method: "DELETE" })).status).toBe(405);
  });

  it("streams the state, then every change, as Server-Sent Events", async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/sandbox/events`, { signal: controller.signal });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.getReader();
    let received = "";
    const until = async (text: string) => {
      while (!received.includes(text)) received += new TextDecoder().decode((await reader.read()).value);
    };
    await until("event: snapshot");
    opened();
    await until("event: message");
    expect(received).toContain('"text":"/start"');
    controller.abort();
    await reader.cancel().catch(() => undefined);
  });
});

describe("Telegram's formatting in the sandbox", () => {
  it("parses nested tags, character references, code blocks with a language, quotes, spoilers and custom emoji", () => {
    expect(parseHtml("  <b>a<i>b</i></b>&lt;&#x41;&#66;&quot;&nbsp;  ")).toEqual({
      text: 'ab<AB"&nbsp;',
      entities: [
        { type: "bold", offset: 0, length: 2 },
        { type: "italic", offset: 1, length: 1 },
      ],
    });
    expect(
      parseHtml(
        '<pre><code class="language-ts">x</code></pre><blockquote expandable>q</blockquote><span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler><tg-emoji emoji-id="5">😀</tg-emoji>',
      ).entities,
    ).toEqual([
      { type: "pre", offset: 0, length: 1, language: "ts" },
      { type: "expandable_blockquote", offset: 1, length: 1 },
      { type: "spoiler", offset: 2, length: 1 },
      { type: "spoiler", offset: 3, length: 1 },
      { type: "custom_emoji", offset: 4, length: 2, custom_emoji_id: "5" },
    ]);
    // Offsets count UTF-16 code units, as the Bot API's do; byte offsets in errors count UTF-8.
    expect(parseHtml("🇹🇯 <u>Ҳуқуқ</u>").entities).toEqual([{ type: "underline", offset: 5, length: 5 }]);
    expect(parseHtml("<code>a</code> <s>b</s> <a href=''>c</a> <a href=x>d</a>").entities).toEqual([
      { type: "code", offset: 0, length: 1 },
      { type: "strikethrough", offset: 2, length: 1 },
      { type: "text_link", offset: 6, length: 1, url: "x" },
    ]);
  });

  it("refuses malformed HTML with Telegram's words", () => {
    const error = (html: string) => {
      try {
        parseHtml(html);
      } catch (caught) {
        return (caught as FormattingError).description.replace("Bad Request: can't parse entities: ", "");
      }
      return "accepted";
    };
    expect(error("<b>bold")).toBe('Can\'t find end tag corresponding to start tag "b"');
    expect(error("<b>x</i>")).toBe('Unmatched end tag at byte offset 4, expected "</b>", found "</i>"');
    expect(error("x</b>")).toBe("Unexpected end tag at byte offset 1");
    expect(error("ё<span>x</span>")).toBe('Tag "span" must have class "tg-spoiler" at byte offset 2');
    expect(error("<b")).toBe("Unclosed start tag at byte offset 0");
    expect(error('<a href="x>y</a>')).toBe("Unclosed start tag at byte offset 0");
    expect(error("<b>x</b")).toBe("Can't find end of the tag at byte offset 4");
    expect(error("a < b")).toBe('Unsupported start tag "" at byte offset 2');
  });

  it("finds commands, links, e-mail addresses, mentions and hashtags, but not inside code or links", () => {
    const text = "Send /start@hamroh_bot, see https://example.org/a, write to ngo@example.org, ask @hamroh_team #patent `/notacommand`";
    const found = withFoundEntities(text, [{ type: "code", offset: text.indexOf("`"), length: 14 }]);
    expect(found.map((entity) => [entity.type, text.slice(entity.offset, entity.offset + entity.length)])).toEqual([
      ["bot_command", "/start@hamroh_bot"],
      ["url", "https://example.org/a"],
      ["email", "ngo@example.org"],
      ["mention", "@hamroh_team"],
      ["hashtag", "#patent"],
      ["code", "`/notacommand`"],
    ]);
    expect(checkEntities("abc", [{ type: "bold", offset: 1, length: 10 }])).toEqual([{ type: "bold", offset: 1, length: 2 }]);
    expect(() => checkEntities("abc", [{ type: "blink", offset: 0, length: 1 }])).toThrow("wrong entity");
    expect(() => checkEntities("abc", "bold")).toThrow("can't parse entities JSON object");
  });

  it("reads parameters from JSON, forms, multipart bodies and the query string", () => {
    const boundary = "b0undary";
    const body = Buffer.from(
      `--${boundary}\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n-100\r\n--${boundary}\r\ncontent-disposition:form-data;name="reply_markup"\r\n\r\n{"remove_keyboard":true}\r\n--${boundary}\r\ncontent-disposition:form-data;name="abc";filename=a.txt\r\ncontent-type:application/octet-stream\r\n\r\nhello\r\n--${boundary}\r\nContent-Disposition: form-data; name="document"\r\n\r\nattach://abc\r\n--${boundary}--\r\n`,
    );
    const params = readParams(`multipart/form-data; boundary=${boundary}`, body, new URLSearchParams("parse_mode=HTML"));
    expect([params.integer("chat_id"), params.json("reply_markup"), params.string("parse_mode")]).toEqual([
      -100,
      { remove_keyboard: true },
      "HTML",
    ]);
    expect(params.file("document")).toEqual({
      upload: { filename: "a.txt", contentType: "application/octet-stream", bytes: Buffer.from("hello") },
    });
    expect(parseMultipart(body, boundary)).toHaveLength(4);
    const form = readParams("application/x-www-form-urlencoded", Buffer.from("chat_id=5&protect_content=true"), new URLSearchParams());
    expect([form.integer("chat_id"), form.boolean("protect_content"), form.boolean("missing")]).toEqual([5, true, false]);
    expect(() => readParams("application/json", Buffer.from("{"), new URLSearchParams())).toThrow("can't parse JSON object");
    expect(() => readParams("application/json", Buffer.from('{"chat_id":"x"}'), new URLSearchParams()).integer("chat_id")).toThrow(
      "invalid chat_id specified",
    );
    expect(() => readParams("multipart/form-data", Buffer.from("x"), new URLSearchParams())).toThrow("without a boundary");
    expect(() =>
      readParams("application/json", Buffer.from('{"document":"attach://gone"}'), new URLSearchParams()).file("document"),
    ).toThrow("multipart/form-data part named gone");
    expect(() => readParams("application/json", Buffer.from('{"markup":"{"}'), new URLSearchParams()).json("markup")).toThrow(
      "can't parse markup JSON object",
    );
  });
});
