import { describe, expect, it } from "vitest";
import { callback, requestDialogButton } from "../src/bot/callbacks.js";
import { FLOOD_LIMIT } from "../src/bot/middleware/flood.js";
import { buttonData, runOnFastTime, STAFF_CHAT_ID, useHarness } from "./helpers/harness.js";

const h = useHarness();

const uz = (await import("../locales/uz/bot.json", { with: { type: "json" } })).default;

const uzbekUser = (id = 4001) => h.registered(id, "uz");

const file = { file_id: "AgAC", file_unique_id: "u1" };

describe("anything else a user sends, in the user's language", () => {
  it.each([
    ["a sticker", { sticker: { ...file, type: "regular", width: 512, height: 512, is_animated: false, is_video: false } }],
    ["a photo", { photo: [{ ...file, width: 90, height: 90 }], caption: "look" }],
    ["a document", { document: { ...file, file_name: "contract.pdf" } }],
    ["a contact", { contact: { phone_number: "+79990000000", first_name: "X" } }],
  ])("%s gets a short hint and the menu", async (_kind, content) => {
    const person = await uzbekUser();
    const [reply] = await person.sendOther(content);
    expect(reply!.text).toBe(uz.fallback.unsupported);
    expect(buttonData(reply!)).toEqual(["faq", "hot", "ask", "myreq", "sos", "dir", "lang", "cit", "zone", "notices", "privacy"]);
  });

  it("a voice note is offered to a lawyer: one tap starts the request with it as the question", async () => {
    const person = await uzbekUser();
    const [offer] = await person.sendOther({ voice: { ...file, duration: 3 } });
    expect(offer!.text).toBe(uz.voice.offer);
    expect(buttonData(offer!)).toEqual([callback.askByVoice.pack(), callback.menu.pack()]);
    await person.press(callback.askByVoice.pack());
    await person.press(requestDialogButton.topic.pack({ topic: "unpaid-wages" }));
    await person.press(requestDialogButton.country.pack({ country: "russia" }));
    await person.press(requestDialogButton.skip.pack());
    // The voice note is the question: the next step only offers to add more.
    expect(person.lastScreen().text).toContain(uz.ask.attachments.split("(")[0]!.trim().slice(0, 20));
    await person.press(requestDialogButton.continue.pack());
    await person.press(requestDialogButton.replyVia.pack({ via: "telegram" }));
    await person.press(requestDialogButton.consent.pack({ answer: "yes" }));
    await person.press(requestDialogButton.send.pack());
    const request = await h.db.request.findFirstOrThrow({ include: { attachments: true } });
    expect(request).toMatchObject({ question: "", attachments: [{ kind: "voice", fileId: "AgAC" }] });
    await h.outbox.run();
    const card = h.telegram.carriedOut(STAFF_CHAT_ID, "sendMessage").find((call) => String(call.payload.text).includes("A-1001"))!;
    expect(card.payload.text).toContain("🎤");
    expect(h.telegram.callsOf("sendVoice")).toHaveLength(1);
  });

  it("an unknown command gets the menu", async () => {
    const person = await uzbekUser();
    const [reply] = await person.send("/weather");
    expect(reply!.text).toContain(uz.fallback.unknownCommand);
    expect(buttonData(reply!)).toEqual(["faq", "hot", "ask", "myreq", "sos", "dir", "lang", "cit", "zone", "notices", "privacy"]);
  });

  it("an edited message gets a hint to send it anew", async () => {
    const person = await uzbekUser();
    await h.handle({
      edited_message: { message_id: 5, date: 1, edit_date: 2, chat: person.chat, from: person.from, text: "патент" },
    } as never);
    expect(person.lastScreen().text).toBe(uz.fallback.edited);
  });

  it("unusual Unicode and right-to-left text never crash", async () => {
    const person = await uzbekUser();
    for (const text of ["\u202Eپاسپورت\u202C", "👨‍👩‍👧‍👦".repeat(100), "\u0000\uFFFF\uD800", "ز".repeat(4096), " "]) {
      const replies = await person.send(text);
      expect(replies).toHaveLength(1);
    }
  });

  it("a user who never chose a language gets answers in the suggested one", async () => {
    const person = h.person(4002, "ru");
    const [reply] = await person.sendOther({
      sticker: { ...file, type: "regular", width: 1, height: 1, is_animated: false, is_video: false },
    });
    expect(buttonData(reply!)).toContain("lang:ru"); // first contact: the picker
  });
});

describe("groups and channels get silence", () => {
  const group = { id: -1001234567890, type: "supergroup" as const, title: "Some group" };

  it.each([
    ["a text", { text: "hello" }],
    ["a command", { text: "/start", entities: [{ type: "bot_command", offset: 0, length: 6 }] }],
    ["a sticker", { sticker: { ...file, type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }],
  ])("%s in a group", async (_kind, content) => {
    await h.handle({
      message: { message_id: 1, date: 1, chat: group, from: { id: 4003, is_bot: false, first_name: "G" }, ...content },
    } as never);
    expect(h.telegram.calls).toEqual([]);
  });

  it("a channel post, a bot added to a group, a button in a group", async () => {
    await h.handle({ channel_post: { message_id: 1, date: 1, chat: { id: -100999, type: "channel", title: "C" }, text: "news" } } as never);
    await h.handle({
      my_chat_member: {
        chat: group,
        from: { id: 4003, is_bot: false, first_name: "G" },
        date: 1,
        old_chat_member: { status: "left", user: { id: 123456789, is_bot: true, first_name: "Hamroh" } },
        new_chat_member: { status: "member", user: { id: 123456789, is_bot: true, first_name: "Hamroh" } },
      },
    } as never);
    await h.handle({
      callback_query: {
        id: "9",
        from: { id: 4003, is_bot: false, first_name: "G" },
        chat_instance: "2",
        data: "faq",
        message: { message_id: 1, date: 1, chat: group, text: "x" },
      },
    } as never);
    expect(h.telegram.calls).toEqual([]);
    expect(await h.db.user.count()).toBe(0);
  });
});

describe("faults", () => {
  it("a failing database answers with an apology in the user's language, and the next update works", async () => {
    const person = await uzbekUser(4004);
    // Fault injection on the real database: the statement that stores a vote fails once.
    const original = h.db.$executeRaw.bind(h.db);
    (h.db as { $executeRaw: unknown }).$executeRaw = () => Promise.reject(new Error("disk I/O error"));
    const [apology] = await person.press(callback.faqVote.pack({ questionId: "wages-not-paid", helpful: true }));
    expect(apology!.text).toBe(uz.fallback.error);
    (h.db as { $executeRaw: unknown }).$executeRaw = original;
    await person.press(callback.faqVote.pack({ questionId: "wages-not-paid", helpful: true }));
    expect(h.telegram.callsOf("answerCallbackQuery").at(-1)!.payload.text).toBe(uz.faq.thanks);
  });

  it("retries when Telegram asks to slow down (429)", async () => {
    runOnFastTime();
    const person = await uzbekUser(4005);
    h.telegram.failNext("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
    });
    const replies = await person.send("/help");
    expect(
      h.telegram
        .callsOf("sendMessage")
        .slice(-2)
        .map((c) => c.payload.text),
    ).toEqual([replies[0]!.text, replies[0]!.text]);
    expect(replies).toHaveLength(2); // the refused attempt and the retry
  });
});

describe("flood", () => {
  it("one person sending 100 messages in a few seconds gets one polite notice; others keep their answers", async () => {
    await h.recreate({ floodLimit: FLOOD_LIMIT });
    const flooder = await uzbekUser(4100);
    const other = await h.registered(4101, "en");
    let otherAnswers = 0;
    const before = h.telegram.screensIn(4100).length;
    for (let i = 0; i < 100; i++) {
      h.setNow(`2026-11-23T10:00:${String(Math.floor(i / 25)).padStart(2, "0")}`);
      await flooder.send(`патент ${i}`);
      if (i % 10 === 0) otherAnswers += (await other.send("patent payment")).length;
    }
    const replies = h.telegram.screensIn(4100).slice(before);
    expect(replies.filter((reply) => reply.text === uz.fallback.slowDown)).toHaveLength(1);
    expect(replies.length).toBeLessThanOrEqual(21);
    expect(otherAnswers).toBe(10);
    h.setNow("2026-11-23T10:00:30");
    expect(await flooder.send("патент")).toHaveLength(1); // the window has passed
  });
});
