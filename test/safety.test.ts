import { describe, expect, it } from "vitest";
import { callback, requestDialogButton } from "../src/bot/callbacks.js";
import { staffButton } from "../src/requests/staff/card.js";
import { answerRequestDialog, photoMessage, sendRequest, writeToLawyer } from "./helpers/dialog.js";
import { ADMIN_ID, STAFF_CHAT_ID, useHarness } from "./helpers/harness.js";
import { lawyer, lawyerWrites, pressInGroup, replyTo, staffChat } from "./helpers/staff.js";

const en = (await import("../locales/en/bot.json", { with: { type: "json" } })).default;

const h = useHarness();

const PLAIN_MEMBER = lawyer(950, "Visitor");

/** A user's request, posted to the staff group. */
async function postedRequest(options: { userId?: number; question?: string; city?: string } = {}) {
  const person = await h.registered(options.userId ?? 7001);
  await sendRequest(person, { question: options.question, city: options.city });
  await h.outbox.run();
  const request = await h.db.request.findFirstOrThrow({ where: { user: { telegramId: BigInt(person.id) } } });
  return { person, request };
}

const pressAsLawyer = (data: string, from = lawyer(900, "Dilnoza")) => pressInGroup(h, data, from);

const textsTo = (chatId: number) => h.telegram.carriedOut(chatId, "sendMessage").map((call) => String(call.payload.text));

describe("only lawyers act in the staff group", () => {
  it("a plain member's Take gets an alert and changes nothing; their reply to a card is not delivered; /queue and /ban are refused", async () => {
    h.telegram.memberStatus.set(PLAIN_MEMBER.id, "member");
    const { person, request } = await postedRequest();

    await pressAsLawyer(staffButton.take.pack({ requestId: request.id }), PLAIN_MEMBER);
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
      await lawyerWrites(
        h,
        { text: command, entities: [{ type: "bot_command", offset: 0, length: command.split(" ")[0]!.length }] },
        PLAIN_MEMBER,
      );
      expect(textsTo(STAFF_CHAT_ID).at(-1)).toBe(en.staff.onlyLawyers);
    }
    expect((await h.db.user.findFirstOrThrow({ where: { telegramId: BigInt(person.id) } })).banned).toBe(false);

    // An administrator of the group is a lawyer.
    await pressAsLawyer(staffButton.take.pack({ requestId: request.id }));
    expect((await h.db.request.findFirstOrThrow()).status).toBe("taken");
  });

  it("after STAFF_CHAT_ID changes, replies and topic messages in the new group never reach a client of the old one", async () => {
    h.telegram.forum = true;
    const { person, request } = await postedRequest();
    const before = textsTo(person.id).length;

    const NEW_GROUP = -1001000000999;
    await h.restart({ staff: { chatId: NEW_GROUP } });
    const newGroup = { id: NEW_GROUP, type: "supergroup" as const, title: "New lawyers" };
    const inNewGroup = (content: Record<string, unknown>) =>
      h.handle({
        message: { message_id: h.telegram.issueId(), date: 1, chat: newGroup, from: lawyer(900, "Dilnoza"), ...content },
      } as never);
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
    const { person, request } = await postedRequest();
    const before = h.telegram.calls.filter((call) => Number(call.payload.chat_id) === person.id).length;
    await lawyerWrites(h, {
      contact: { phone_number: "+79990000000", first_name: "Dilnoza", user_id: 900 },
      ...replyTo(request.staffMessageId!),
    });
    await lawyerWrites(h, { location: { latitude: 55.75, longitude: 37.62 }, ...replyTo(request.staffMessageId!) });
    await h.relays.deliverDue();
    expect(h.telegram.calls.filter((call) => Number(call.payload.chat_id) === person.id)).toHaveLength(before);
    expect(textsTo(STAFF_CHAT_ID).at(-1)).toBe(en.staff.kindNotRelayed.replace("{{reference}}", "A-1001"));
  });

  it("a long answer arrives whole: text over 4,096 characters in several messages, a caption over 1,024 after the photo", async () => {
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
    const { person } = await postedRequest();
    await lawyerWrites(h, { text: "/ban А-1001", entities: [{ type: "bot_command", offset: 0, length: 4 }] });
    expect((await h.db.user.findFirstOrThrow({ where: { telegramId: BigInt(person.id) } })).banned).toBe(true);
    expect(callback.menu.pack()).toBe("menu");
  });
});

describe("erasure reaches the staff group", () => {
  it.each([
    ["without topics", false],
    ["with topics", true],
  ])(
    "%s: /forget deletes the client's files and copied messages, edits the card, and (with topics) deletes the topic; refusals are edited and counted",
    async (_, forum) => {
      h.telegram.forum = forum;
      const person = await h.registered(7101);
      await sendRequest(person, { question: "They keep my passport in the office safe.", photo: "PASSPORT" });
      await h.outbox.run();
      const request = await h.db.request.findFirstOrThrow();
      await writeToLawyer(person, "Here is one more detail: the safe is in room 4.");
      const copy = (await h.db.requestMessage.findFirstOrThrow({ where: { author: "user" } })).staffChatMessageId!;
      const photo = (await h.db.requestAttachment.findFirstOrThrow()).staffMessageId!;
      // The copy is older than 48 hours: Telegram refuses to delete it, so it is emptied instead.
      h.telegram.failNext("deleteMessage", { error_code: 400, description: "Bad Request: message can't be deleted for everyone" }, 1);
      await person.send("/forget");
      await person.press(callback.forgetConfirmed.pack());

      const deletions = h.telegram.callsOf("deleteMessage").map((call) => call.payload.message_id);
      expect(deletions).toEqual(expect.arrayContaining([photo, copy]));
      const edits = h.telegram.callsOf("editMessageText").filter((call) => Number(call.payload.chat_id) === STAFF_CHAT_ID);
      // The first deletion was refused: that message was emptied instead.
      expect(edits.some((call) => call.payload.message_id === deletions[0] && call.payload.text === en.staff.erasedMessage)).toBe(true);
      const card = edits.filter((call) => call.payload.message_id === request.staffMessageId).at(-1)!;
      expect(card.payload.text).toContain("The user erased their data");
      expect(card.payload.text).not.toContain("passport");
      expect(h.telegram.callsOf("deleteForumTopic").map((call) => call.payload.message_thread_id)).toEqual(
        forum ? [request.staffThreadId] : [],
      );
      expect(await h.services.cleaner.summary()).toEqual({ deleted: forum ? 2 : 1, edited: 2, failed: 0, pending: 0 });
      expect(await h.db.dialogState.count()).toBe(0);
    },
  );

  it("the retention job cleans up the staff group too", async () => {
    h.setNow("2026-01-05T10:00");
    const person = await h.registered(7102);
    await sendRequest(person, { photo: "CONTRACT" });
    await h.outbox.run();
    const request = await h.db.request.findFirstOrThrow();
    await h.db.request.update({
      where: { id: request.id },
      data: { status: "closed", outcome: "answered", closedAt: new Date("2026-01-06T00:00:00Z") },
    });
    h.setNow("2026-08-01T10:00");
    await h.jobs.runOnce();
    await h.jobs.runOnce();
    expect((await h.db.request.findFirstOrThrow()).erasedAt).not.toBeNull();
    expect(h.telegram.callsOf("deleteMessage")).toHaveLength(1);
  });

  it("/forget does not reset the daily request limit, and keeps only a salted hash with the count", async () => {
    let person = await h.registered(7103);
    for (let i = 0; i < 5; i++) {
      await sendRequest(person, { question: `Question number ${i + 1} about my work.` });
      await h.db.request.updateMany({ data: { status: "closed", outcome: "answered" } });
    }
    await person.send("/forget");
    await person.press(callback.forgetConfirmed.pack());
    person = await h.registered(7103);
    const [limit] = await person.press(callback.ask.pack());
    expect(limit!.text).toBe(en.requests.tooManyToday);
    const quotas = await h.db.requestQuota.findMany();
    expect(quotas).toHaveLength(1);
    expect(quotas[0]!.userHash).toMatch(/^[0-9a-f]{64}$/);
    expect(quotas[0]!.userHash).not.toContain("7103");
    h.setNow("2026-11-24T10:01");
    expect((await person.press(callback.ask.pack()))[0]!.text).not.toBe(en.requests.tooManyToday);
  });
});

describe("users see everything stored", () => {
  it("/mydata shows flags, last seen, the answers rated and a draft in progress, in the user's own zone", async () => {
    const person = await h.registered(7201);
    await person.press(callback.hotline.pack());
    await person.press(callback.zoneCity.pack({ city: "moscow" }));
    await person.press(callback.faqVote.pack({ questionId: "wages-not-paid", helpful: true }));
    await person.press(callback.ask.pack());
    const [data] = await person.send("/mydata");
    expect(data!.text).toContain("Blocked for abuse: no");
    expect(data!.text).toContain("Marked unreachable (you blocked the bot): no");
    expect(data!.text).toMatch(/Last seen: .*(08|8):00/); // 10:00 in Dushanbe is 08:00 in Moscow
    expect(data!.text).toMatch(/Answers you rated: .+ 👍/);
    expect(data!.text).toContain("A request you started and have not sent yet");
  });
});

describe("no one user can take the bot down", () => {
  it("a dialog step takes a few wrong answers, then ends politely, keeping nothing", async () => {
    const person = await h.registered(7301);
    await person.press(callback.ask.pack());
    await person.press(requestDialogButton.topic.pack({ topic: "other" }));
    await person.press(requestDialogButton.country.pack({ country: "russia" }));
    const long = "x".repeat(4000);
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) answers.push(...(await person.send(long)).map((screen) => screen.text));
    expect(answers.at(-1)).toBe(en.dialog.tooManyWrong);
    expect(answers.filter((text) => text === en.dialog.tooManyWrong)).toHaveLength(1);
    expect(await h.db.dialogState.count()).toBe(0);
    expect(await h.db.request.count()).toBe(0);
  });

  it("a database error at Send keeps the user on the summary with the draft; Send again saves it once", async () => {
    const person = await h.registered(7302);
    await answerRequestDialog(person, { question: "My employer did not pay me for November." });
    await person.press(requestDialogButton.consent.pack({ answer: "yes" }));
    await h.db.$executeRawUnsafe("PRAGMA query_only = ON");
    const failed = await person.press(requestDialogButton.send.pack());
    expect(failed.map((screen) => screen.text)).toContain(en.ask.saveFailed);
    expect(failed.some((screen) => screen.buttons.flat().some((button) => button.data === requestDialogButton.send.pack()))).toBe(true);
    await h.db.$executeRawUnsafe("PRAGMA query_only = OFF");
    const [saved] = await person.press(requestDialogButton.send.pack());
    expect(saved!.text).toContain("A-1001");
    expect(await h.db.request.count()).toBe(1);
  });

  it("saving the same draft twice (a crash between saving and confirming, then Send again) makes one request and one card", async () => {
    const person = await h.registered(7303);
    await answerRequestDialog(person);
    await person.press(requestDialogButton.consent.pack({ answer: "yes" }));
    // The bot stops while the confirmation is on its way: the request is saved, the dialog's step is not.
    const stuck = h.telegram.silenceNext({ method: "sendMessage", chatId: person.id, accepted: false, kind: "crash" });
    void person.press(requestDialogButton.send.pack());
    await stuck;
    expect(await h.db.request.count()).toBe(1);
    await h.restart();
    const [saved] = await person.press(requestDialogButton.send.pack());
    expect(saved!.text).toContain("A-1001");
    expect(await h.db.request.count()).toBe(1);
    await h.outbox.run();
    expect(
      h.telegram.carriedOut(STAFF_CHAT_ID, "sendMessage").filter((call) => String(call.payload.text).includes("Client A-1001")),
    ).toHaveLength(1);
  });

  it("a failed load of closures at start is tried again by the next update", async () => {
    const person = await h.registered(7304);
    await h.restart();
    await h.db.$executeRawUnsafe("ALTER TABLE HotlineClosure RENAME TO HotlineClosureAway");
    await person.send("/hotline").catch(() => undefined);
    await h.db.$executeRawUnsafe("ALTER TABLE HotlineClosureAway RENAME TO HotlineClosure");
    const [screen] = await person.send("/hotline");
    expect(screen!.text).not.toBe(en.fallback.error);
  });
});

describe("the staff group going away", () => {
  it("re-announcements Telegram refuses back off; admins are told once when the bot is removed or loses its rights", async () => {
    await h.recreate({ now: "2026-11-23T09:00" });
    const admin = await h.registered(ADMIN_ID);
    await postedRequest();
    h.setNow("2026-11-23T10:00");
    h.telegram.failNext(
      "sendMessage",
      { error_code: 403, description: "Forbidden: bot was kicked from the supergroup chat" },
      1,
      STAFF_CHAT_ID,
    );
    expect(await h.reannouncer.announceDue()).toBe(0);
    // Right after a refusal it is not tried again at every run.
    expect(await h.reannouncer.announceDue()).toBe(0);
    expect(
      h.telegram.callsOf("sendMessage").filter((call) => String(call.payload.text).includes("still waiting") || call.refused),
    ).toHaveLength(1);
    const alarms = () => textsTo(admin.id).filter((text) => text === en.staff.alarmRemoved || text === en.staff.alarmNotAdmin);
    expect(alarms()).toEqual([en.staff.alarmRemoved]);

    const membership = (status: string) =>
      h.handle({
        my_chat_member: {
          chat: staffChat,
          from: lawyer(900, "Dilnoza"),
          date: 1,
          old_chat_member: { status: "administrator", user: { id: 123456789, is_bot: true, first_name: "Hamroh" } },
          new_chat_member: { status, user: { id: 123456789, is_bot: true, first_name: "Hamroh" } },
        },
      } as never);
    await membership("left");
    expect(alarms()).toEqual([en.staff.alarmRemoved]);
    await membership("administrator");
    await membership("member");
    await membership("member");
    expect(alarms()).toEqual([en.staff.alarmRemoved, en.staff.alarmNotAdmin]);
  });

  it("a bad config/hotline.json stops the start with the file and the field, never a stack trace", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { loadHotlineConfig, hotlineConfigPath } = await import("../src/hotline/config.js");
    const dir = mkdtempSync(join(tmpdir(), "hamroh-hotline-"));
    const malformed = join(dir, "malformed.json");
    writeFileSync(malformed, '{ "phone": "+992918853434", ');
    expect(() => loadHotlineConfig(malformed)).toThrow(new RegExp(`${malformed} is not valid JSON`));
    const closed = join(dir, "closed.json");
    const base = JSON.parse((await import("node:fs")).readFileSync(hotlineConfigPath(), "utf8"));
    writeFileSync(closed, JSON.stringify({ ...base, weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } }));
    expect(() => loadHotlineConfig(closed)).toThrow(/closed\.json is invalid: weekly has no opening hours on any day/);
  });
});

describe("crash safety of the outbox", () => {
  it("when two card sends time out in one outbox run, each card is still posted exactly once", async () => {
    // Both are saved while no staff group is set, so that one outbox run posts both.
    await h.recreate({ staff: { chatId: undefined } });
    await sendRequest(await h.registered(7401), { question: "The first question about my wages." });
    await sendRequest(await h.registered(7402), { question: "The second question about my patent." });
    await h.restart({ staff: { chatId: STAFF_CHAT_ID } });
    // The bot has seen the group before: that gives the mark a lost card is looked for above.
    await lawyerWrites(h, { text: "Good morning, colleagues" });
    for (let i = 0; i < 2; i++)
      h.telegram.silenceNext({ method: "sendMessage", chatId: STAFF_CHAT_ID, accepted: true, kind: "timeout", withButtons: true });
    expect(await h.outbox.run()).toBe(0);
    expect(h.telegram.injected.timeouts).toBe(2);
    h.setNow("2026-11-23T10:10");
    await h.outbox.run();
    await h.outbox.run();
    const cards = (reference: string) =>
      h.telegram.carriedOut(STAFF_CHAT_ID, "sendMessage").filter((call) => String(call.payload.text).includes(`Client ${reference} asks`));
    expect(cards("A-1001")).toHaveLength(1);
    expect(cards("A-1002")).toHaveLength(1);
    const requests = await h.db.request.findMany({ orderBy: { id: "asc" } });
    expect(requests.map((request) => request.staffMessageId)).toEqual([cards("A-1001")[0]!.messageId, cards("A-1002")[0]!.messageId]);
  });
});
