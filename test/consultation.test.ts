import { describe, expect, it } from "vitest";
import { callback, dialogButton, requestDialogButton } from "../src/bot/callbacks.js";
import type { Topic } from "../src/requests/domain.js";
import { staffButton } from "../src/requests/staff/card.js";
import { answerRequestDialog, photoMessage, sendRequest, writeToLawyer } from "./helpers/dialog.js";
import { buttonData, type Person, STAFF_CHAT_ID, useHarness } from "./helpers/harness.js";
import { lawyer, pressInGroup, staffChat, lawyerWrites as writeInGroup } from "./helpers/staff.js";

const h = useHarness();

const bundles = {
  en: (await import("../locales/en/bot.json", { with: { type: "json" } })).default,
  uz: (await import("../locales/uz/bot.json", { with: { type: "json" } })).default,
};

const registered = (id: number, locale?: string) => h.registered(id, locale);

const photo = photoMessage;

/** Goes through the whole dialog; returns the user's final message. */
const askFully = (person: Person, options: { topic?: Topic; question?: string; call?: boolean } = {}) =>
  sendRequest(person, { topic: options.topic, question: options.question, phone: options.call ? "+7 999 123-45-67" : undefined });

const staffCalls = () => h.telegram.calls.filter((call) => Number(call.payload.chat_id) === STAFF_CHAT_ID);

const press = (data: string, from = lawyer(900, "Dilnoza"), messageId = 1) => pressInGroup(h, data, from, messageId);

const lawyerWrites = (content: Record<string, unknown>, from = lawyer(900, "Dilnoza")) => writeInGroup(h, content, from);

describe("the request dialog", () => {
  it.each(["en", "uz"] as const)("runs from the menu to a saved request with a reference, in %s", async (locale) => {
    h.setNow("2026-11-23T10:00"); // Monday, open
    const person = await registered(5001, locale);
    const done = await askFully(person);
    expect(done.text).toContain("A-1001");
    expect(done.text).toContain(bundles[locale].requests.expectOpen);
    const request = await h.db.request.findFirstOrThrow();
    expect(request).toMatchObject({
      topic: "unpaid-wages",
      country: "russia",
      city: "Kazan",
      replyVia: "telegram",
      phone: null,
      language: locale,
      status: "open",
      urgent: false,
    });
    expect(await h.db.dialogState.count()).toBe(0); // the dialog is over
  });

  it("gives an honest expectation when the hotline is closed, in the user's time", async () => {
    h.setNow("2026-11-28T15:00"); // Saturday afternoon
    const person = await registered(5002);
    await person.press(callback.hotline.pack());
    await person.press(callback.zoneCity.pack({ city: "moscow" }));
    const done = await askFully(person);
    expect(done.text).toContain("A lawyer will answer after it opens on Monday, 30 November at 08:00 Dushanbe time (06:00 your time)");
  });

  it("marks trafficking and detention requests urgent and keeps the phone only for a call back", async () => {
    const person = await registered(5003);
    await askFully(person, { topic: "trafficking", call: true });
    expect(await h.db.request.findFirstOrThrow()).toMatchObject({ urgent: true, replyVia: "call", phone: "+79991234567" });
  });

  it("pre-fills the topic from an FAQ answer, and is reachable from /ask and the closed hotline screen", async () => {
    h.setNow("2026-11-29T10:00"); // Sunday
    const person = await registered(5004);
    const [answer] = await person.press(callback.faqQuestion.pack({ questionId: "detention-first-steps" }));
    expect(buttonData(answer!)).toContain("ask:faq:detention-first-steps");
    const [country] = await person.press(callback.askAbout.pack({ questionId: "detention-first-steps" }));
    expect(buttonData(country!)).toContain("ask:country:russia"); // the topic step was skipped
    await person.send("/cancel");
    const [topic] = await person.send("/ask");
    expect(buttonData(topic!)).toContain("ask:topic:detention");
    await person.send("/cancel");
    await person.press(callback.hotline.pack());
    const [closed] = await person.press(callback.zoneCity.pack({ city: "dushanbe" }));
    expect(buttonData(closed!)).toContain("ask");
  });

  it("answers every wrong kind of input with a hint and the same question", async () => {
    const person = await registered(5005);
    const t = bundles.en.ask;
    await person.press(callback.ask.pack());
    expect((await person.send("hello"))[0]!.text).toContain(t.useButtons);
    await person.press(requestDialogButton.topic.pack({ topic: "other" }));
    await person.press(requestDialogButton.country.pack({ country: "other" }));
    expect((await person.send("x".repeat(61)))[0]!.text).toContain("Please write only the city name");
    await person.press(requestDialogButton.skip.pack());
    expect((await person.send("help me"))[0]!.text).toContain("This is too short (7 characters)");
    expect((await person.send("y".repeat(3001)))[0]!.text).toContain("This is too long (3001 characters)");
    expect(
      (
        await person.sendOther({
          sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false },
        })
      )[0]!.text,
    ).toContain(t.questionHint);
    await person.send("I was stopped by the police and fined.");
    expect(
      (
        await person.sendOther({
          sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false },
        })
      )[0]!.text,
    ).toContain(t.attachmentsHint);
    await person.sendOther(photo("P1"));
    // Words typed at the files step are added to the question, not thrown away.
    expect((await person.send("It happened on Monday."))[0]!.text).toBe(t.textAdded);
    await person.press(requestDialogButton.continue.pack());
    await person.press(requestDialogButton.replyVia.pack({ via: "call" }));
    expect((await person.sendOther({ contact: { phone_number: "+79990000000", first_name: "Friend", user_id: 777 } }))[0]!.text).toContain(
      t.notYourContact,
    );
    expect((await person.send("call me"))[0]!.text).toContain(t.phoneHint);
    await person.sendOther({ contact: { phone_number: "79995554433", first_name: "Me", user_id: 5005 } });
    await person.press(requestDialogButton.consent.pack({ answer: "yes" }));
    await person.press(requestDialogButton.send.pack());
    expect(await h.db.request.findFirstOrThrow({ include: { attachments: true } })).toMatchObject({
      city: null,
      phone: "+79995554433",
      question: "I was stopped by the police and fined.\nIt happened on Monday.",
      attachments: [{ kind: "photo", fileId: "P1" }],
    });
  });

  it.each([
    ["the topic", 0],
    ["the country", 1],
    ["the city", 2],
    ["the question", 3],
    ["the attachments", 4],
    ["how to answer", 5],
    ["the consent", 6],
    ["the summary", 7],
  ])("can be cancelled at %s, by button and by /cancel, storing nothing", async (_step, stepIndex) => {
    const person = await registered(5006);
    const steps = [
      () => person.press(requestDialogButton.topic.pack({ topic: "family" })),
      () => person.press(requestDialogButton.country.pack({ country: "tajikistan" })),
      () => person.press(requestDialogButton.skip.pack()),
      () => person.send("Can my child study in a Russian school?"),
      () => person.press(requestDialogButton.continue.pack()),
      () => person.press(requestDialogButton.replyVia.pack({ via: "telegram" })),
      () => person.press(requestDialogButton.consent.pack({ answer: "yes" })),
    ];
    for (const cancel of [() => person.press(requestDialogButton.cancel.pack()), () => person.send("/cancel")]) {
      await person.press(callback.ask.pack());
      for (const step of steps.slice(0, stepIndex)) await step();
      const [reply] = await cancel();
      expect(reply!.text).toBe(bundles.en.ask.cancelled);
    }
    expect(await h.db.request.count()).toBe(0);
    expect(await h.db.dialogState.count()).toBe(0);
    // After a cancel, typed text is an FAQ search again.
    expect(buttonData((await person.send("patent payment"))[0]!).some((data) => data.startsWith("faq:q:"))).toBe(true);
  });

  it("stores nothing when consent is declined", async () => {
    const person = await registered(5007);
    await answerRequestDialog(person, { topic: "other", city: null, question: "A question that I will not send after all." });
    const [reply] = await person.press(requestDialogButton.consent.pack({ answer: "no" }));
    expect(reply!.text).toBe(bundles.en.ask.consentDeclined);
    expect(await h.db.request.count()).toBe(0);
    expect(await h.db.outboxTask.count()).toBe(0);
  });

  it("lets the user change a field from the summary", async () => {
    const person = await registered(5008);
    await answerRequestDialog(person, { topic: "other", city: null, question: "First version of my question." });
    await person.press(requestDialogButton.consent.pack({ answer: "yes" }));
    await person.press(requestDialogButton.edit.pack());
    await person.press(requestDialogButton.field.pack({ field: "place" }));
    await person.press(requestDialogButton.country.pack({ country: "kazakhstan" }));
    const [summary] = await person.send("Almaty");
    expect(summary!.text).toContain("Kazakhstan, Almaty");
    await person.press(requestDialogButton.send.pack());
    expect(await h.db.request.findFirstOrThrow()).toMatchObject({ country: "kazakhstan", city: "Almaty" });
  });

  it("resumes at the same step after a restart of the bot", async () => {
    const person = await registered(5009);
    await person.press(callback.ask.pack());
    await person.press(requestDialogButton.topic.pack({ topic: "entry-ban" }));
    await person.press(requestDialogButton.country.pack({ country: "russia" }));
    expect(await h.db.dialogState.count()).toBe(1);
    await h.restart();
    const [question] = await person.send("Novosibirsk");
    expect(question!.text).toContain("Write your question");
    await person.send("Am I on the list of controlled persons?");
    await person.press(requestDialogButton.continue.pack());
    await person.press(requestDialogButton.replyVia.pack({ via: "telegram" }));
    await person.press(requestDialogButton.consent.pack({ answer: "yes" }));
    await person.press(requestDialogButton.send.pack());
    expect(await h.db.request.findFirstOrThrow()).toMatchObject({ topic: "entry-ban", city: "Novosibirsk" });
  });

  it("drops a draft left for more than 24 hours, with a note", async () => {
    h.setNow("2026-11-23T10:00");
    const person = await registered(5010);
    await person.press(callback.ask.pack());
    await person.press(requestDialogButton.topic.pack({ topic: "other" }));
    h.setNow("2026-11-24T10:01");
    const [note] = await person.press(requestDialogButton.country.pack({ country: "russia" }));
    expect(note!.text).toBe(bundles.en.ask.expired);
    expect(await h.db.dialogState.count()).toBe(0);
  });

  it("limits open requests to 3 and new requests per day", async () => {
    const person = await registered(5011);
    for (let i = 0; i < 3; i++) await askFully(person, { question: `Question number ${i} about my work.` });
    const [limit] = await person.press(callback.ask.pack());
    expect(limit!.text).toBe(bundles.en.requests.tooManyOpen);
    await h.db.request.updateMany({ data: { status: "closed" } });
    for (let i = 0; i < 2; i++) await askFully(person, { question: `Another question number ${i}.` });
    const [daily] = await person.press(callback.ask.pack());
    expect(daily!.text).toBe(bundles.en.requests.tooManyToday);
    expect(await h.db.request.count()).toBe(5);
  });
});

describe("delivery to the staff group", () => {
  it("posts a card with a pseudonym and copies attachments, never the user's name or id", async () => {
    const person = await registered(5012);
    await person.press(callback.ask.pack());
    await person.press(requestDialogButton.topic.pack({ topic: "unpaid-wages" }));
    await person.press(requestDialogButton.country.pack({ country: "russia" }));
    await person.press(requestDialogButton.skip.pack());
    await person.send("They owe me 80 000 roubles since August.");
    await person.sendOther(photo("CONTRACT"));
    await person.press(requestDialogButton.continue.pack());
    await person.press(requestDialogButton.replyVia.pack({ via: "telegram" }));
    await person.press(requestDialogButton.consent.pack({ answer: "yes" }));
    await person.press(requestDialogButton.send.pack());
    await h.outbox.run();
    const [card, attachment] = staffCalls().filter((call) => call.method !== "getChat");
    expect(card!.method).toBe("sendMessage");
    expect(card!.payload.text).toContain("Client A-1001 asks");
    expect(card!.payload.text).toContain("They owe me 80 000 roubles");
    expect(card!.payload.text).not.toContain("5012");
    expect(card!.payload.text).not.toContain("Test"); // the user's first name
    expect(card!.payload.reply_markup.inline_keyboard[0].map((b: { callback_data: string }) => b.callback_data)).toEqual([
      "req:take:1",
      "req:close:1",
    ]);
    expect(attachment).toMatchObject({ method: "sendPhoto", payload: { photo: "CONTRACT" } });
    expect(h.telegram.callsOf("forwardMessage")).toEqual([]);
  });

  it("saves the request before posting, retries refusals with backoff, and posts exactly one card", async () => {
    h.setNow("2026-11-23T10:00");
    const person = await registered(5013);
    h.telegram.failNext("sendMessage", { error_code: 502, description: "Bad Gateway" }, 2, STAFF_CHAT_ID);
    await askFully(person);
    await h.outbox.run(); // the kick after saving failed once
    h.setNow("2026-11-23T10:00:06");
    await h.outbox.run(); // due again after 5 s: the second failure
    const task = await h.db.outboxTask.findFirstOrThrow();
    expect(task.doneAt).toBeNull();
    expect(task.attempts).toBe(2);
    expect(await h.db.request.count()).toBe(1);
    expect(await h.outbox.run()).toBe(0); // not due yet: 10 s backoff
    h.setNow("2026-11-23T10:01");
    await h.restart(); // and a restart continues it
    expect(await h.outbox.run()).toBe(1);
    await h.outbox.run();
    // Two refused attempts, then the one card that arrived.
    expect(staffCalls().filter((call) => call.method === "sendMessage")).toHaveLength(3);
    expect((await h.db.outboxTask.findFirstOrThrow()).doneAt).not.toBeNull();
    expect((await h.db.request.findFirstOrThrow()).staffMessageId).not.toBeNull();
  });

  it("honours retry_after on 429", async () => {
    h.setNow("2026-11-23T10:00");
    h.telegram.failNext("getChat", {
      error_code: 429,
      description: "Too Many Requests: retry after 120",
      parameters: { retry_after: 120 },
    });
    await askFully(await registered(5014));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const task = await h.db.outboxTask.findFirstOrThrow();
    expect(task.runAt.toISOString()).toBe("2026-11-23T05:02:00.000Z");
  });

  it("gives each request its own forum topic when the group has topics", async () => {
    h.telegram.forum = true;
    await askFully(await registered(5015));
    await h.outbox.run();
    const [topic] = h.telegram.callsOf("createForumTopic");
    expect(topic!.payload.name).toContain("A-1001");
    const card = staffCalls().find((call) => call.method === "sendMessage")!;
    const request = await h.db.request.findFirstOrThrow();
    expect(card.payload.message_thread_id).toBe(request.staffThreadId);
    // A lawyer's reply to the card in the topic reaches the user (a message that is no reply is an internal note: see safety.test.ts).
    await lawyerWrites({
      message_thread_id: request.staffThreadId,
      is_topic_message: true,
      text: "Please send a photo of your contract.",
      reply_to_message: { message_id: request.staffMessageId!, date: 1, chat: staffChat },
    });
    expect(h.telegram.screensIn(5015).at(-1)!.text).toContain("Please send a photo of your contract.");
  });

  it("asks again whether the group has topics: switched on while the bot runs, or off, every card still arrives once", async () => {
    const posted = async (userId: number) => {
      await askFully(await registered(userId));
      await h.outbox.run();
      const request = await h.db.request.findFirstOrThrow({ where: { user: { telegramId: BigInt(userId) } } });
      expect(await h.db.outboxTask.findFirstOrThrow({ where: { requestId: request.id } })).toMatchObject({
        doneAt: expect.any(Date),
        attempts: 1,
      });
      const cards = h.telegram
        .carriedOut(STAFF_CHAT_ID, "sendMessage")
        .filter((call) => String(call.payload.text).includes(`Client A-${1000 + request.id} asks`));
      expect(cards).toHaveLength(1);
      return { request, thread: cards[0]!.payload.message_thread_id as number | undefined };
    };
    // No topics: the card goes to the group itself.
    expect(await posted(5016)).toMatchObject({ thread: undefined, request: { staffThreadId: null } });
    // An admin switches topics on; once the bot asks again (after 5 minutes), requests get their topics.
    h.telegram.forum = true;
    h.clock.advance(5 * 60_000 + 1);
    const second = await posted(5017);
    expect(second.thread).toBe(second.request.staffThreadId);
    expect(second.thread).toBeDefined();
    // Switched off again: Telegram refuses the new topic, the bot asks again and posts in the group, in the same run.
    h.telegram.forum = false;
    expect(await posted(5018)).toMatchObject({ thread: undefined, request: { staffThreadId: null } });
    expect(h.telegram.callsOf("createForumTopic").filter((call) => call.refused)).toHaveLength(1);
  });

  it("a topic deleted before the card reached it: the card goes to a new topic at once", async () => {
    h.telegram.forum = true;
    h.telegram.failNext("sendMessage", { error_code: 400, description: "Bad Request: message thread not found" }, 1, STAFF_CHAT_ID);
    await askFully(await registered(5019));
    await h.outbox.run();
    const request = await h.db.request.findFirstOrThrow();
    expect(await h.db.outboxTask.findFirstOrThrow()).toMatchObject({ doneAt: expect.any(Date), attempts: 1 });
    const topics = h.telegram.carriedOut(STAFF_CHAT_ID, "createForumTopic");
    expect(topics).toHaveLength(2);
    const card = h.telegram
      .carriedOut(STAFF_CHAT_ID, "sendMessage")
      .filter((call) => String(call.payload.text).includes("Client A-1001 asks"));
    expect(card).toHaveLength(1);
    expect(card[0]!.payload.message_thread_id).toBe(request.staffThreadId);
    expect(request.staffThreadId).not.toBe(h.telegram.callsOf("sendMessage").find((call) => call.refused)!.payload.message_thread_id);
  });
});

describe("lawyers at work", () => {
  async function postedRequest(userId = 5020) {
    const person = await registered(userId);
    await askFully(person);
    await h.outbox.run();
    const request = await h.db.request.findFirstOrThrow({ where: { user: { telegramId: BigInt(userId) } } });
    return { person, request };
  }

  it("lets exactly one of two simultaneous Takes win; the other is told who has it", async () => {
    const { request } = await postedRequest();
    await Promise.all([
      press(staffButton.take.pack({ requestId: request.id }), lawyer(901, "Aziz")),
      press(staffButton.take.pack({ requestId: request.id }), lawyer(902, "Malika")),
    ]);
    const stored = await h.db.request.findFirstOrThrow();
    expect(stored.status).toBe("taken");
    const answers = h.telegram
      .callsOf("answerCallbackQuery")
      .slice(-2)
      .map((call) => call.payload.text);
    expect(answers).toContain(`Already taken by ${stored.lawyerName}.`);
    expect(answers).toContain("You took A-1001.");
    const edited = h.telegram.callsOf("editMessageText").at(-1)!;
    expect(edited.payload.text).toContain(`Taken by ${stored.lawyerName} at 23 Nov 10:00`);
  });

  it("relays text and a photo in both directions, and tells the lawyer it was delivered", async () => {
    const { person, request } = await postedRequest();
    await lawyerWrites({
      text: "What is your employer's name?",
      reply_to_message: { message_id: request.staffMessageId, date: 1, chat: staffChat },
    });
    const answer = h.telegram.screensIn(5020).at(-1)!;
    expect(answer.text).toContain("Answer from a lawyer on A-1001:");
    expect(answer.text).toContain("What is your employer's name?");
    // Delivered: a quiet 👌 on the lawyer's message, not another message in the group.
    expect(h.telegram.callsOf("setMessageReaction").at(-1)!.payload).toMatchObject({
      chat_id: STAFF_CHAT_ID,
      reaction: [{ type: "emoji", emoji: "👌" }],
    });
    expect(staffCalls().some((call) => String(call.payload.text).includes("Delivered"))).toBe(false);
    await lawyerWrites({
      ...photo("FORM"),
      caption: "Fill in this form",
      reply_to_message: { message_id: request.staffMessageId, date: 1, chat: staffChat },
    });
    const copied = h.telegram.callsOf("copyMessage").at(-1)!;
    expect(copied.payload).toMatchObject({
      chat_id: "5020",
      from_chat_id: STAFF_CHAT_ID,
      caption: "Answer from a lawyer on A-1001:\n\nFill in this form",
      protect_content: true,
    });

    await writeToLawyer(person, "It is OOO Stroy.");
    const followUp = h.telegram.callsOf("copyMessage").at(-1)!;
    expect(followUp.payload).toMatchObject({
      chat_id: STAFF_CHAT_ID,
      from_chat_id: "5020",
      reply_parameters: { message_id: request.staffMessageId },
    });
    expect(h.telegram.screensIn(5020).at(-1)!.text).toBe("✉️ Sent to the lawyer (A-1001).");
    await person.sendOther(photo("PAYSLIP"));
    expect(h.telegram.callsOf("copyMessage").at(-1)!.payload.chat_id).toBe(STAFF_CHAT_ID);
    // A lawyer replying to the relayed follow-up reaches the same user.
    await lawyerWrites({
      text: "Thank you.",
      reply_to_message: { message_id: followUp.payload.message_id ?? 0, date: 1, chat: staffChat },
    });
    expect(await h.db.requestMessage.count()).toBeGreaterThanOrEqual(4);
  });

  it("says when the user blocked the bot", async () => {
    const { request } = await postedRequest();
    h.telegram.failNext("sendMessage", { error_code: 403, description: "Forbidden: bot was blocked by the user" }, 1, 5020);
    await lawyerWrites({ text: "Hello?", reply_to_message: { message_id: request.staffMessageId, date: 1, chat: staffChat } });
    expect(staffCalls().at(-1)!.payload.text).toBe("❌ Not delivered: the client has blocked the bot (A-1001).");
  });

  it("closes with an outcome, asks the user for a rating, stores it, and refuses replies to the closed request", async () => {
    const { person, request } = await postedRequest();
    await press(staffButton.close.pack({ requestId: request.id }));
    expect(
      h.telegram
        .callsOf("editMessageReplyMarkup")
        .at(-1)!
        .payload.reply_markup.inline_keyboard.flat()
        .map((b: { callback_data: string }) => b.callback_data),
    ).toContain(`req:outcome:${request.id}:answered`);
    await press(staffButton.outcome.pack({ requestId: request.id, outcome: "answered" }));
    const closed = h.telegram.screensIn(5020).at(-1)!;
    expect(closed.text).toBe("Your request A-1001 is closed. How would you rate the help you received?");
    await person.press(callback.rate.pack({ requestId: request.id, stars: "5" }));
    await person.press(callback.rate.pack({ requestId: request.id, stars: "1" })); // only once
    expect(await h.db.request.findFirstOrThrow()).toMatchObject({ status: "closed", outcome: "answered", rating: 5 });
    await lawyerWrites({ text: "One more thing", reply_to_message: { message_id: request.staffMessageId, date: 1, chat: staffChat } });
    expect(staffCalls().at(-1)!.payload.text).toBe("A-1001 is closed: the message was not sent.");
    // The user's next text is an FAQ search again.
    expect(buttonData((await person.send("patent payment"))[0]!).some((data) => data.startsWith("faq:q:"))).toBe(true);
  });

  it("asks which request a follow-up is for when several are open", async () => {
    const person = await registered(5021);
    await askFully(person, { question: "First question about my patent." });
    await askFully(person, { question: "Second question about registration." });
    await h.outbox.run();
    const [which] = await person.send("Any news?");
    // Asked once, each request named by its topic; or a search of the answers instead.
    expect(buttonData(which!)).toEqual([
      expect.stringMatching(/^fu:1:\d+$/),
      expect.stringMatching(/^fu:2:\d+$/),
      expect.stringMatching(/^fs:\d+$/),
    ]);
    expect(which!.buttons[0]![0]!.text).toContain("A-1001");
    await person.press(buttonData(which!)[1]!);
    // The choice holds: the next message goes to the same lawyer without asking.
    await person.send("And one more thing.");
    expect(h.telegram.callsOf("copyMessage")).toHaveLength(2);
    const second = await h.db.request.findUniqueOrThrow({ where: { id: 2 } });
    expect(h.telegram.callsOf("copyMessage").at(-1)!.payload.reply_parameters.message_id).toBe(second.staffMessageId);
  });

  it("refuses staff buttons and /queue from outsiders", async () => {
    const { person, request } = await postedRequest();
    const [refused] = await person.press(staffButton.take.pack({ requestId: request.id }));
    expect(refused).toBeUndefined();
    expect(h.telegram.callsOf("answerCallbackQuery").at(-1)!.payload).toMatchObject({
      text: "This works only in the lawyers' staff group.",
      show_alert: true,
    });
    // Every staff button, pressed on an old card forwarded elsewhere or forged, from another group and from a private chat.
    const otherGroup = { id: -1009999, type: "supergroup", title: "Other" };
    const privateChat = { id: 903, type: "private", first_name: "Stranger" };
    const id = request.id;
    const buttons = [
      staffButton.take.pack({ requestId: id }),
      staffButton.close.pack({ requestId: id }),
      staffButton.back.pack({ requestId: id }),
      `req:outcome:${id}:resolved`, // forged: no such outcome
      staffButton.outcome.pack({ requestId: id, outcome: "spam" }),
    ];
    for (const data of buttons) {
      for (const chat of [otherGroup, privateChat]) {
        await h.handle({
          callback_query: {
            id: "x",
            from: lawyer(903, "Stranger"),
            chat_instance: "o",
            data,
            message: { message_id: 1, date: 1, chat, text: "x" },
          },
        } as never);
        expect(h.telegram.callsOf("answerCallbackQuery").at(-1)!.payload).toMatchObject({
          text: "This works only in the lawyers' staff group.",
          show_alert: true,
        });
      }
    }
    expect(await h.db.request.findFirstOrThrow()).toMatchObject({ status: "open", lawyerName: null });
    await person.send("/ban A-1001");
    expect(await h.db.user.findFirstOrThrow()).toMatchObject({ banned: false });
    const [queue] = await person.send("/queue");
    expect(queue!.text).toBe("This works only in the lawyers' staff group.");
  });

  it("/queue lists open and taken requests with their age; My requests shows the user's own", async () => {
    h.setNow("2026-11-23T10:00");
    const { person, request } = await postedRequest();
    await press(staffButton.take.pack({ requestId: request.id }), lawyer(904, "Farrukh"));
    h.setNow("2026-11-23T12:05");
    await h.handle({
      message: {
        message_id: 77,
        date: 1,
        chat: staffChat,
        from: lawyer(904, "Farrukh"),
        text: "/queue",
        entities: [{ type: "bot_command", offset: 0, length: 6 }],
      },
    } as never);
    expect(staffCalls().at(-1)!.payload.text).toContain("A-1001</b> · 2 h 5 min · 💰 Unpaid wages · English · with Farrukh");
    const [mine] = await person.press(callback.myRequests.pack());
    expect(mine!.text).toContain("A-1001");
    expect(mine!.text).toContain(bundles.en.requests.status.taken);
  });
});

describe("re-announcement of requests nobody took", () => {
  it("counts only the hotline's open time: 30 minutes, urgent ones 10", async () => {
    h.setNow("2026-11-23T16:50"); // Monday, 10 minutes before closing
    const normal = await registered(5030);
    await askFully(normal);
    const urgent = await registered(5031);
    await askFully(urgent, { topic: "detention" });
    await h.outbox.run();
    const reminders = () =>
      staffCalls()
        .filter((call) => String(call.payload.text).startsWith("⏰"))
        .map((call) => call.payload.text);

    h.setNow("2026-11-23T23:00"); // closed: only 10 open minutes so far
    await h.reannouncer.announceDue();
    expect(reminders()).toEqual(["⏰ A-1002 is still waiting for a lawyer."]);

    h.setNow("2026-11-24T08:19"); // 10 + 19 = 29 open minutes for the normal one
    await h.reannouncer.announceDue();
    expect(reminders()).toHaveLength(2); // the urgent one again after 10 more open minutes
    h.setNow("2026-11-24T08:21");
    await h.reannouncer.announceDue();
    expect(reminders().slice(2)).toEqual(["⏰ A-1001 is still waiting for a lawyer."]);
  });
});

describe("leaving and interrupting the dialog", () => {
  it("keeps emergency help one tap away during the dialog, and the dialog goes on", async () => {
    const person = await registered(5040);
    await person.press(callback.ask.pack());
    await person.press(requestDialogButton.topic.pack({ topic: "trafficking" }));
    const [help] = await person.send("/help");
    expect(help!.text).toContain(bundles.en.emergency.title);
    const [city] = await person.press(requestDialogButton.country.pack({ country: "russia" }));
    expect(city!.text).toContain("Which city?");
  });

  it("/start and the main menu in the middle of a dialog ask whether to continue or discard the draft", async () => {
    const person = await registered(5041);
    await person.press(callback.ask.pack());
    await person.press(requestDialogButton.topic.pack({ topic: "family" }));
    const [asked] = await person.send("/start");
    expect(asked!.text).toBe(bundles.en.dialog.unfinished);
    expect(buttonData(asked!)).toEqual([dialogButton.continue.pack(), dialogButton.discard.pack()]);
    // Continue: the same question again; the draft goes on.
    const [again] = await person.press(dialogButton.continue.pack());
    expect(again!.text).toContain("Which country are you in now?");
    await person.press(requestDialogButton.country.pack({ country: "russia" }));
    expect(person.lastScreen().text).toContain("Which city?");
    // Discard: the draft is gone, nothing is stored.
    await person.press(callback.menu.pack());
    const [menu] = await person.press(dialogButton.discard.pack());
    expect(menu!.text).toContain(bundles.en.dialog.discarded);
    expect(buttonData(menu!)).toContain("faq");
    expect(await h.db.dialogState.count()).toBe(0);
    const [categories] = await person.press(callback.faqCategories.pack());
    expect(buttonData(categories!)).toContain("faq:c:registration");
    expect(await h.db.request.count()).toBe(0);
  });
});

describe("privacy of relays and logs", () => {
  it("does not copy a contact card or a location to the lawyers", async () => {
    const person = await registered(5050);
    await askFully(person);
    await h.outbox.run();
    const copies = h.telegram.callsOf("copyMessage").length;
    const [hint] = await person.sendOther({
      contact: { phone_number: "+79990000000", first_name: "Real", last_name: "Name", user_id: 5050 },
    });
    expect(hint!.text).toBe(bundles.en.requests.relayKinds);
    await person.sendOther({ location: { latitude: 55.7, longitude: 37.6 } });
    expect(h.telegram.callsOf("copyMessage")).toHaveLength(copies);
  });

  it("logs no message text, phone number or user id through the whole request flow, failures included", async () => {
    const logLines: string[] = [];
    await h.recreate({ logLines });
    const person = await registered(987654321);
    const question = "Secret question about my employer Zarina LLC.";
    h.telegram.failNext("sendMessage", { error_code: 502, description: "Bad Gateway" }, 1, STAFF_CHAT_ID);
    await askFully(person, { question, call: true });
    await h.outbox.run();
    h.setNow("2026-11-23T10:05");
    await h.outbox.run();
    const request = await h.db.request.findFirstOrThrow();
    h.telegram.failNext("sendMessage", { error_code: 403, description: "Forbidden: bot was blocked by the user" }, 1, 987654321);
    await lawyerWrites({ text: "Private advice text", reply_to_message: { message_id: request.staffMessageId, date: 1, chat: staffChat } });
    await writeToLawyer(person, "My follow-up with details");
    expect(logLines.length).toBeGreaterThan(10);
    const logs = logLines.join("\n");
    for (const secret of [question, "Kazan", "9991234567", "987654321", "Private advice text", "My follow-up", "Dilnoza", "Test"])
      expect(logs).not.toContain(secret);
  });
});

describe("banning an abusive user", () => {
  it("lets lawyers and admins ban a user by reference; a banned user's messages get no reply; /unban restores", async () => {
    const abuser = await registered(5060);
    await askFully(abuser);
    await h.outbox.run();
    await h.handle({
      message: {
        message_id: 90,
        date: 1,
        chat: staffChat,
        from: lawyer(900, "Dilnoza"),
        text: "/ban A-1001",
        entities: [{ type: "bot_command", offset: 0, length: 4 }],
      },
    } as never);
    expect(staffCalls().at(-1)!.payload.text).toBe("The user of A-1001 is banned: their messages are ignored.");
    const before = h.telegram.calls.length;
    await abuser.send("spam spam spam");
    await abuser.send("/start");
    await abuser.press(callback.faqCategories.pack());
    expect(h.telegram.calls.length).toBe(before);
    const admin = await registered(4242);
    expect((await admin.send("/unban A-1001"))[0]!.text).toBe("The user of A-1001 is no longer banned.");
    expect((await abuser.send("/start"))[0]!.text).toContain("What do you need?");
    const outsider = await registered(5061);
    expect((await outsider.send("/ban A-1001"))[0]!.text).toBe(bundles.en.admin.onlyAdmins);
    expect((await admin.send("/ban A-9999"))[0]!.text).toBe("No request A-9999, or its user erased their data.");
    expect((await admin.send("/ban someone"))[0]!.text).toContain("Usage: /ban A-1042");
  });
});
