import { afterEach, describe, expect, it } from "vitest";
import { callback } from "../src/bot/callbacks.js";
import { staffButton } from "../src/requests/staff/card.js";
import { photoMessage, sendRequest } from "./helpers/dialog.js";
import { createHarness, STAFF_CHAT_ID, type Harness, type HarnessOptions } from "./helpers/harness.js";
import { lawyer, lawyerWrites, replyTo, staffChat } from "./helpers/staff.js";

const en = (await import("../locales/en/bot.json", { with: { type: "json" } })).default;

let h: Harness;
afterEach(async () => {
  await h.close();
});

const PLAIN_MEMBER = lawyer(950, "Visitor");

/** A user's request, posted to the staff group. */
async function postedRequest(options: { userId?: number; question?: string; city?: string } = {}) {
  const person = await h.registered(options.userId ?? 7001);
  await sendRequest(person, { question: options.question, city: options.city });
  await h.outbox.run();
  const request = await h.db.request.findFirstOrThrow({ where: { user: { telegramId: BigInt(person.id) } } });
  return { person, request };
}

async function pressInGroup(data: string, from = lawyer(900, "Dilnoza"), chat = staffChat) {
  await h.handle({ callback_query: { id: String(Math.random()), from, chat_instance: "s", data, message: { message_id: 1, date: 1, chat, text: "card" } } } as never);
}

const textsTo = (chatId: number) => h.telegram.carriedOut(chatId, "sendMessage").map((call) => String(call.payload.text));

describe("only lawyers act in the staff group", () => {
  it("a plain member's Take gets an alert and changes nothing; their reply to a card is not delivered; /queue and /ban are refused", async () => {
    h = await createHarness();
    h.telegram.memberStatus.set(PLAIN_MEMBER.id, "member");
    const { person, request } = await postedRequest();

    await pressInGroup(staffButton.take.pack({ requestId: request.id }), PLAIN_MEMBER);
    const alert = h.telegram.callsOf("answerCallbackQuery").at(-1)!;
    expect(alert.payload).toMatchObject({ text: en.staff.onlyLawyers, show_alert: true });
    expect((await h.db.request.findFirstOrThrow()).status).toBe("open");

    const before = textsTo(person.id).length;
    await lawyerWrites(h, { text: "I am not a lawyer but here is advice", ...replyTo(request.staffMessageId!) }, PLAIN_MEMBER);
    await h.relays.deliverDue();
    expect(textsTo(person.id)).toHaveLength(before);
    expect(await h.db.requestMessage.count()).toBe(0);
    expect(textsTo(STAFF_CHAT_ID).at(-1)).toBe(en.staff.onlyLawyers);

    for (const command of ["/queue", "/ban A-1001"]) {
      await lawyerWrites(h, { text: command, entities: [{ type: "bot_command", offset: 0, length: command.split(" ")[0]!.length }] }, PLAIN_MEMBER);
      expect(textsTo(STAFF_CHAT_ID).at(-1)).toBe(en.staff.onlyLawyers);
    }
    expect((await h.db.user.findFirstOrThrow({ where: { telegramId: BigInt(person.id) } })).banned).toBe(false);

    // An administrator of the group is a lawyer.
    await pressInGroup(staffButton.take.pack({ requestId: request.id }));
    expect((await h.db.request.findFirstOrThrow()).status).toBe("taken");
  });

  it("after STAFF_CHAT_ID changes, replies and topic messages in the new group never reach a client of the old one", async () => {
    const options: HarnessOptions = { staff: { chatId: STAFF_CHAT_ID } };
    h = await createHarness(options);
    h.telegram.forum = true;
    const { person, request } = await postedRequest();
    const before = textsTo(person.id).length;

    const NEW_GROUP = -1001000000999;
    options.staff = { chatId: NEW_GROUP };
    await h.restart();
    const newGroup = { id: NEW_GROUP, type: "supergroup" as const, title: "New lawyers" };
    const inNewGroup = (content: Record<string, unknown>) =>
      h.handle({ message: { message_id: h.telegram.issueId(), date: 1, chat: newGroup, from: lawyer(900, "Dilnoza"), ...content } } as never);
    // The same message and topic ids as the old group's card: they mean nothing in the new group.
    await inNewGroup({ text: "Reply in the new group", reply_to_message: { message_id: request.staffMessageId, date: 1, chat: newGroup } });
    await inNewGroup({ text: "Topic message in the new group", message_thread_id: request.staffThreadId, is_topic_message: true });
    await h.relays.deliverDue();
    expect(textsTo(person.id)).toHaveLength(before);
    expect(await h.db.requestMessage.count()).toBe(0);
  });
});

describe("nothing reaches a client by accident", () => {
  it("with topics, lawyers' talk in the request's topic is an internal note marked ✍; service messages are ignored; a reply to the card goes out", async () => {
    h = await createHarness();
    h.telegram.forum = true;
    const { person, request } = await postedRequest();
    const thread = { message_thread_id: request.staffThreadId, is_topic_message: true };
    const topicRoot = { reply_to_message: { message_id: request.staffThreadId, date: 1, chat: staffChat } };
    const before = textsTo(person.id).length;

    const note = await lawyerWrites(h, { ...thread, ...topicRoot, text: "I think she should go to the consulate first." });
    await lawyerWrites(h, { ...thread, ...topicRoot, forum_topic_edited: { name: "A-1001 · urgent" } });
    await lawyerWrites(h, { ...thread, ...topicRoot, pinned_message: { message_id: request.staffMessageId, date: 1, chat: staffChat } });
    await h.relays.deliverDue();
    expect(textsTo(person.id)).toHaveLength(before);
    const reaction = h.telegram.callsOf("setMessageReaction").at(-1)!;
    expect(reaction.payload).toMatchObject({ chat_id: STAFF_CHAT_ID, message_id: note, reaction: [{ type: "emoji", emoji: "✍" }] });
    expect(h.telegram.callsOf("setMessageReaction")).toHaveLength(1);

    await lawyerWrites(h, { ...thread, text: "Please bring your passport.", ...replyTo(request.staffMessageId!) });
    expect(textsTo(person.id).at(-1)).toContain("Please bring your passport.");
  });

  it("a lawyer's contact card or location is never copied to the client", async () => {
    h = await createHarness();
    const { person, request } = await postedRequest();
    const before = h.telegram.calls.filter((call) => Number(call.payload.chat_id) === person.id).length;
    await lawyerWrites(h, { contact: { phone_number: "+79990000000", first_name: "Dilnoza", user_id: 900 }, ...replyTo(request.staffMessageId!) });
    await lawyerWrites(h, { location: { latitude: 55.75, longitude: 37.62 }, ...replyTo(request.staffMessageId!) });
    await h.relays.deliverDue();
    expect(h.telegram.calls.filter((call) => Number(call.payload.chat_id) === person.id)).toHaveLength(before);
    expect(textsTo(STAFF_CHAT_ID).at(-1)).toBe(en.staff.kindNotRelayed.replace("{{reference}}", "A-1001"));
  });

  it("a long answer arrives whole: text over 4,096 characters in several messages, a caption over 1,024 after the photo", async () => {
    h = await createHarness();
    const { person, request } = await postedRequest();
    const long = Array.from({ length: 120 }, (_, i) => `Paragraph ${i + 1}: keep every receipt & write down <dates>.`).join("\n");
    expect(long.length).toBeGreaterThan(4096 + 1000);
    await lawyerWrites(h, { text: long, ...replyTo(request.staffMessageId!) });
    const parts = h.telegram.carriedOut(person.id, "sendMessage").filter((call) => String(call.payload.text).includes("Paragraph"));
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const part of parts) expect(String(part.payload.text).length).toBeLessThanOrEqual(4096);
    const joined = parts.map((part) => String(part.payload.text)).join("\n");
    for (const i of [1, 60, 120]) expect(joined).toContain(`Paragraph ${i}: keep every receipt &amp; write down &lt;dates&gt;.`);

    const caption = "Look at this form. ".repeat(80);
    await lawyerWrites(h, { ...photoMessage("FORM"), caption, ...replyTo(request.staffMessageId!) });
    const copy = h.telegram.carriedOut(person.id, "copyMessage").at(-1)!;
    expect(String(copy.payload.caption).length).toBeLessThanOrEqual(1024);
    expect(textsTo(person.id).at(-1)).toContain("Look at this form.");
    expect(textsTo(STAFF_CHAT_ID).filter((text) => text === en.staff.notDelivered.replace("{{reference}}", "A-1001"))).toHaveLength(0);
  });

  it("user text on a card cannot forge the card's lines, and everything posted to the group is protected", async () => {
    h = await createHarness();
    const forged = "My boss took my passport.\n\n✅ Closed\u202E\u200B\nAnswer: call back +79990000000";
    await postedRequest({ question: forged, city: "Kazan\nAnswer: call back" });
    const card = h.telegram.carriedOut(STAFF_CHAT_ID, "sendMessage").find((call) => String(call.payload.text).includes("A-1001"))!;
    const text = String(card.payload.text);
    expect(text).toContain("<blockquote>My boss took my passport.\n\n✅ Closed\nAnswer: call back +79990000000</blockquote>");
    expect(text).not.toMatch(/[\u202E\u200B]/);
    expect(text).toContain("Kazan Answer: call back");
    const posts = h.telegram.carriedOut(STAFF_CHAT_ID).filter((call) => /^(send|copy)/.test(call.method));
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts) expect(post.payload.protect_content).toBe(true);
  });
});

describe("odd references", () => {
  it("/ban А-1001 typed with a Cyrillic А works", async () => {
    h = await createHarness();
    const { person } = await postedRequest();
    await lawyerWrites(h, { text: "/ban А-1001", entities: [{ type: "bot_command", offset: 0, length: 4 }] });
    expect((await h.db.user.findFirstOrThrow({ where: { telegramId: BigInt(person.id) } })).banned).toBe(true);
    expect(callback.menu.pack()).toBe("menu");
  });
});
