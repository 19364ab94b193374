import { describe, expect, it } from "vitest";
import { sendRequest, writeToLawyer } from "./helpers/dialog.js";
import { STAFF_CHAT_ID, useHarness } from "./helpers/harness.js";
import { lawyerWrites, replyTo } from "./helpers/staff.js";

const h = useHarness();

const cardsOf = (reference: string) =>
  h.telegram.carriedOut(STAFF_CHAT_ID, "sendMessage").filter((call) => String(call.payload.text).includes(`Client ${reference} asks`));
const photosOf = (reference: string) =>
  h.telegram.carriedOut(STAFF_CHAT_ID, "sendPhoto").filter((call) => String(call.payload.caption).startsWith(reference));
const textsTo = (chatId: number) =>
  h.telegram
    .carriedOut(chatId)
    .filter((call) => call.method === "sendMessage" || call.method === "editMessageText")
    .map((call) => String(call.payload.text));

/** A registered user with a request posted to the staff group. */
async function withPostedRequest(userId: number) {
  const person = await h.registered(userId);
  await sendRequest(person);
  await h.outbox.run();
  const request = await h.db.request.findFirstOrThrow({ where: { user: { telegramId: BigInt(userId) } } });
  return { person, request };
}

/**
 * A user sends a request with a photo; the bot stops while its `method` call to the group waits
 * for Telegram. Resolves once the bot is stuck there (the outbox posts after the update is handled).
 */
async function crashWhilePosting(method: string, accepted: boolean, userId: number) {
  // The bot has seen the group before: that gives the mark a lost message is looked for above.
  await lawyerWrites(h, { text: "Good morning, colleagues" });
  const person = await h.registered(userId);
  const stuck = h.telegram.silenceNext({ method, chatId: STAFF_CHAT_ID, accepted, kind: "crash" });
  const done = await sendRequest(person, { photo: "PASSPORT" });
  await stuck;
  return done;
}

describe("a crash at any point of the request flow", () => {
  it.each([
    ["before Telegram got the card", false],
    ["after Telegram took the card, before the bot recorded it", true],
  ])("%s: after the restart the card and its photo are in the group exactly once", async (_, accepted) => {
    const done = await crashWhilePosting("sendMessage", accepted, 5100);
    expect(done.text).toContain("A-1001");
    // The lawyers go on talking while the bot is down.
    await lawyerWrites(h, { text: "Anyone free for a call at 11?" });
    await h.restart();
    await h.outbox.run();
    const request = await h.db.request.findFirstOrThrow();
    expect(cardsOf("A-1001")).toHaveLength(1);
    expect(photosOf("A-1001")).toHaveLength(1);
    expect(request.staffMessageId).toBe(cardsOf("A-1001")[0]!.messageId);
    // Looking for the lost card left no other message changed.
    expect(h.telegram.callsOf("editMessageReplyMarkup").filter((call) => call.payload.reply_markup === undefined)).toHaveLength(0);
    // The card found again works: a reply to it reaches the user.
    await lawyerWrites(h, { text: "Is your patent still valid?", ...replyTo(request.staffMessageId!) });
    expect(textsTo(5100).filter((text) => text.includes("Is your patent still valid?"))).toHaveLength(1);
  });

  it.each([
    ["before Telegram got the photo", false],
    ["after Telegram took the photo, before the bot recorded it", true],
  ])("%s: after the restart the photo is in the group exactly once, the card is not sent again", async (_, accepted) => {
    await crashWhilePosting("sendPhoto", accepted, 5101);
    await h.restart();
    await h.outbox.run();
    expect(cardsOf("A-1001")).toHaveLength(1);
    expect(photosOf("A-1001")).toHaveLength(1);
    expect((await h.db.requestAttachment.findFirstOrThrow()).staffMessageId).toBe(photosOf("A-1001")[0]!.messageId);
  });

  it("after everything was posted, before the task was marked done: nothing is posted again", async () => {
    const person = await h.registered(5102);
    await sendRequest(person, { photo: "PASSPORT" });
    await h.outbox.run();
    // The state a crash just before marking the task done leaves behind.
    await h.db.outboxTask.updateMany({ data: { doneAt: null } });
    await h.restart();
    expect(await h.outbox.run()).toBe(1);
    expect(cardsOf("A-1001")).toHaveLength(1);
    expect(photosOf("A-1001")).toHaveLength(1);
  });

  it("a follow-up sent before the card could be posted waits for it, through a restart, and is delivered once", async () => {
    const person = await h.registered(5103);
    // The staff group is unreachable: the request is saved, its card waits in the outbox.
    h.telegram.failNext("getChat", { error_code: 403, description: "Forbidden: bot was kicked from the supergroup chat" });
    await sendRequest(person);
    await writeToLawyer(person, "I forgot: I also have no contract.");
    expect(textsTo(5103).at(-1)).toBe(
      "⏳ Your message for A-1001 is saved. Telegram is not letting it through right now; it will reach the lawyer as soon as it can.",
    );
    // The outbox's attempt after the request was saved is over (a run waits for the one before it).
    await h.outbox.run();
    expect(await h.db.outboxTask.findFirstOrThrow()).toMatchObject({ doneAt: null, attempts: 1 });
    await h.restart();
    h.clock.now = h.clock.now.plus({ minutes: 1 });
    await h.outbox.run();
    await h.relays.deliverDue();
    const copies = h.telegram.carriedOut(STAFF_CHAT_ID, "copyMessage");
    expect(copies).toHaveLength(1);
    const request = await h.db.request.findFirstOrThrow();
    expect(copies[0]!.payload.reply_parameters.message_id).toBe(request.staffMessageId);
    expect(textsTo(5103).at(-1)).toBe("✉️ Sent to the lawyer (A-1001).");
  });

  it("a lawyer's answer refused by Telegram for a while is kept, delivered after a restart, and the lawyer is told", async () => {
    const { request } = await withPostedRequest(5104);
    h.telegram.failNext("sendMessage", { error_code: 500, description: "Internal Server Error" }, 1, 5104);
    await lawyerWrites(h, { text: "Please send a photo of your patent.", ...replyTo(request.staffMessageId!) });
    expect(textsTo(STAFF_CHAT_ID).at(-1)).toBe(
      "⏳ Telegram refuses for now: the message to the client (A-1001) is saved and will be delivered automatically.",
    );
    await h.restart();
    h.clock.now = h.clock.now.plus({ minutes: 1 });
    expect(await h.relays.deliverDue()).toBe(1);
    expect(textsTo(5104).filter((text) => text.includes("Please send a photo of your patent."))).toHaveLength(1);
    expect(h.telegram.callsOf("setMessageReaction").at(-1)!.payload).toMatchObject({
      chat_id: STAFF_CHAT_ID,
      reaction: [{ type: "emoji", emoji: "👌" }],
    });
    expect(await h.db.requestMessage.findFirstOrThrow({ where: { author: "lawyer" } })).toMatchObject({ status: "delivered", text: null });
  });
});
