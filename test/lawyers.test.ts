import { expect, it } from "vitest";
import type { Topic } from "../src/requests/domain.js";
import { staffButton } from "../src/requests/staff/card.js";
import { sendRequest } from "./helpers/dialog.js";
import { STAFF_CHAT_ID, useHarness } from "./helpers/harness.js";
import { lawyer, lawyerWrites, pressInGroup, replyTo } from "./helpers/staff.js";

const en = (await import("../locales/en/bot.json", { with: { type: "json" } })).default;

const h = useHarness({ now: "2026-11-23T10:00" });

async function postedRequest(userId: number, topic?: Topic) {
  const person = await h.registered(userId);
  await sendRequest(person, { topic });
  await h.outbox.run();
  const request = await h.db.request.findFirstOrThrow({ where: { user: { telegramId: BigInt(userId) } } });
  return { person, request };
}

const press = (data: string, from = lawyer(900, "Dilnoza"), messageId = 1) => pressInGroup(h, data, from, messageId);

const cardEdits = (messageId: number) =>
  h.telegram
    .callsOf("editMessageText")
    .filter((call) => call.payload.message_id === messageId)
    .map((call) => String(call.payload.text));

it("answering an untaken request takes it for the lawyer who answered; it is no longer announced; the card says who answered", async () => {
  const { request } = await postedRequest(7601);
  await lawyerWrites(h, { text: "Do you still have your contract?", ...replyTo(request.staffMessageId!) }, lawyer(901, "Aziz"));
  const stored = await h.db.request.findFirstOrThrow();
  expect(stored).toMatchObject({ status: "taken", lawyerName: "Aziz" });
  expect(cardEdits(request.staffMessageId!).at(-1)).toContain("Answered by Aziz");
  h.setNow("2026-11-23T16:00");
  expect(await h.reannouncer.announceDue()).toBe(0);
  const [queue] = [await lawyerWrites(h, { text: "/queue", entities: [{ type: "bot_command", offset: 0, length: 6 }] })];
  expect(queue).toBeGreaterThan(0);
  const listing = h.telegram.carriedOut(STAFF_CHAT_ID, "sendMessage").at(-1)!;
  expect(listing.payload.text).toContain("A-1001");
  expect(listing.payload.text).toContain("English");
  expect(listing.payload.text).toContain("Aziz");
});

it("/queue lists urgent requests first, with their age, topic, language and who has them", async () => {
  await postedRequest(7602, "unpaid-wages");
  h.setNow("2026-11-23T10:30");
  await postedRequest(7603, "trafficking");
  h.setNow("2026-11-23T12:45");
  await lawyerWrites(h, { text: "/queue", entities: [{ type: "bot_command", offset: 0, length: 6 }] });
  const text = String(h.telegram.carriedOut(STAFF_CHAT_ID, "sendMessage").at(-1)!.payload.text);
  expect(text.indexOf("A-1002")).toBeLessThan(text.indexOf("A-1001"));
  expect(text).toMatch(/🚨 <b>A-1002<\/b> · 2 h 15 min/);
});

it("another lawyer can take over a taken request after confirming; the card keeps the history with times", async () => {
  const { request } = await postedRequest(7604);
  await press(staffButton.take.pack({ requestId: request.id }), lawyer(901, "Aziz"));
  h.setNow("2026-11-23T11:00");
  // Malika presses the same button: she is told who has it and asked to confirm.
  await press(staffButton.take.pack({ requestId: request.id }), lawyer(902, "Malika"));
  const markup = h.telegram.callsOf("editMessageReplyMarkup").at(-1)!.payload.reply_markup;
  expect(JSON.stringify(markup)).toContain(staffButton.takeOver.pack({ requestId: request.id }));
  expect((await h.db.request.findFirstOrThrow()).lawyerName).toBe("Aziz");
  await press(staffButton.takeOver.pack({ requestId: request.id }), lawyer(902, "Malika"));
  expect((await h.db.request.findFirstOrThrow()).lawyerName).toBe("Malika");
  const card = h.telegram.callsOf("editMessageText").at(-1)!.payload.text as string;
  expect(card).toContain("Taken by Aziz, 23 Nov 10:00");
  expect(card).toContain("Taken over by Malika from Aziz, 23 Nov 11:00");
});

it("/help in the staff group explains how to answer, note, close and hand over", async () => {
  await lawyerWrites(h, { text: "/help", entities: [{ type: "bot_command", offset: 0, length: 5 }] });
  expect(h.telegram.carriedOut(STAFF_CHAT_ID, "sendMessage").at(-1)!.payload.text).toBe(en.staff.help);
});

it("/faq in a request sends a reviewed answer in the client's language; the card notes it", async () => {
  const person = await h.registered(7605, "uz");
  await sendRequest(person);
  await h.outbox.run();
  const request = await h.db.request.findFirstOrThrow();
  await lawyerWrites(h, {
    text: "/faq патент",
    entities: [{ type: "bot_command", offset: 0, length: 4 }],
    ...replyTo(request.staffMessageId!),
  });
  const offer = h.telegram.carriedOut(STAFF_CHAT_ID, "sendMessage").at(-1)!;
  const data: string[] = offer.payload.reply_markup.inline_keyboard.flat().map((button: { callback_data: string }) => button.callback_data);
  expect(data.length).toBeGreaterThan(0);
  await press(data[0]!);
  const sent = h.telegram
    .carriedOut(person.id, "sendMessage")
    .filter((call) => String(call.payload.text).includes("A-1001"))
    .at(-1)!;
  expect(sent.payload.text).toContain("A-1001");
  expect(sent.payload.protect_content).toBe(true);
  // The Uzbek text, not the Russian one the lawyer might read.
  expect(sent.payload.text).toMatch(/[ўқғҳ]/);
  const card = h.telegram
    .callsOf("editMessageText")
    .filter((call) => call.payload.message_id === request.staffMessageId)
    .at(-1)!;
  expect(card.payload.text).toContain("Ready answer sent by Dilnoza");
});
