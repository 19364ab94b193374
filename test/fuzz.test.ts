import { describe, expect, it } from "vitest";
import { broadcastDialogButton, callback, requestDialogButton } from "../src/bot/callbacks.js";
import { LOCALES } from "../src/i18n.js";
import { staffButton } from "../src/requests/staff/card.js";
import { ADMIN_ID, createHarness, STAFF_CHAT_ID } from "./helpers/harness.js";

/** A small seeded generator: the same cases every run. */
function generator(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

const STRANGE_TEXTS = [
  "",
  " ",
  "\u202Eپاسپورت گرفته شد\u202C",
  "שלום עולם",
  "𝕳𝖊𝖑𝖕 🆘👨‍👩‍👧‍👦",
  "\u0000\u0007\uFEFF",
  "и\u0304 у\u0304 ҳуҷҷат",
  "<b>not html</b> & <script>",
  "/start extra words",
  "/ask",
  "/cancel",
  "/queue",
  "/ban A-1001",
  "/unknown_command@hamroh_test_bot",
  "патент",
  "salary not paid",
];
/** Every kind of button the bot makes (from their declarations), and one it never makes. The order is part of the seeded cases. */
const CALLBACK_DATA = [
  callback.menu.pack(),
  callback.faqCategories.pack(),
  callback.faqCategory.pack({ categoryId: "registration" }),
  callback.faqQuestion.pack({ questionId: "wages-not-paid" }),
  callback.faqVote.pack({ questionId: "wages-not-paid", helpful: true }),
  callback.hotline.pack(),
  callback.zonePicker.pack(),
  callback.zoneCity.pack({ city: "moscow" }),
  callback.zoneOffset.pack({ offset: -3 }),
  callback.emergency.pack(),
  callback.ask.pack(),
  requestDialogButton.topic.pack({ topic: "other" }),
  requestDialogButton.country.pack({ country: "russia" }),
  requestDialogButton.skip.pack(),
  requestDialogButton.continue.pack(),
  requestDialogButton.replyVia.pack({ via: "telegram" }),
  requestDialogButton.consent.pack({ answer: "yes" }),
  requestDialogButton.send.pack(),
  requestDialogButton.cancel.pack(),
  callback.myRequests.pack(),
  callback.notices.pack(),
  callback.toggleNotices.pack(),
  callback.privacy.pack(),
  callback.rate.pack({ requestId: 1, stars: "5" }),
  callback.followUp.pack({ requestId: 1, messageId: 1 }),
  staffButton.take.pack({ requestId: 1 }),
  staffButton.close.pack({ requestId: 1 }),
  staffButton.outcome.pack({ requestId: 1, outcome: "spam" }),
  callback.setLanguage.pack({ locale: "ky" }),
  "lang:xx", // forged: no such language
  broadcastDialogButton.choice.pack({ value: "all" }),
];

describe("fuzz: random and malformed updates change nothing they should not", () => {
  it("runs 3,000 random updates of every kind without an internal error, answering each private chat in its language", async () => {
    const logLines: string[] = [];
    const h = await createHarness({ logLines });
    const random = generator(20261123);
    const users = Array.from({ length: 12 }, (_, i) => ({ id: 9000 + i, locale: LOCALES[i % LOCALES.length]! }));
    for (const user of users.slice(0, 8)) await h.registered(user.id, user.locale);
    await h.registered(ADMIN_ID, "en");
    const staffChat = { id: STAFF_CHAT_ID, type: "supergroup", title: "Lawyers" };
    const chats = [staffChat, { id: -100222, type: "supergroup", title: "Other" }, { id: -333, type: "group", title: "Small" }];
    const randomText = () =>
      random.next() < 0.2 ? random.pick(["x", "ӯ", "ب", "😀", "\n"]).repeat(random.int(6000)) : random.pick(STRANGE_TEXTS);
    const randomData = () =>
      random.next() < 0.7
        ? random.pick(CALLBACK_DATA)
        : Array.from({ length: random.int(70) }, () => String.fromCharCode(32 + random.int(200))).join("");
    const content = () =>
      random.pick([
        () => ({ text: randomText() }),
        () => ({ text: randomText(), entities: [{ type: "bot_command", offset: 0, length: 1 + random.int(10) }] }),
        () => ({
          sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false },
        }),
        () => ({ photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }], caption: randomText() }),
        () => ({ voice: { file_id: "v", file_unique_id: "v", duration: 1 } }),
        () => ({ document: { file_id: "d", file_unique_id: "d" } }),
        () => ({ location: { latitude: 1, longitude: 2 } }),
        () => ({ contact: { phone_number: "+10000000000", first_name: "C", user_id: random.int(2) ? 9001 : 1 } }),
        () => ({
          poll: {
            id: "1",
            question: "q",
            options: [],
            total_voter_count: 0,
            is_closed: false,
            is_anonymous: true,
            type: "regular",
            allows_multiple_answers: false,
          },
        }),
        () => ({ new_chat_members: [{ id: 1, is_bot: false, first_name: "N" }] }),
      ])();

    let updateId = 1;
    for (let i = 0; i < 3000; i++) {
      const user = random.pick(users);
      const from = { id: user.id, is_bot: false, first_name: "F", language_code: user.locale };
      const privateChat = { id: user.id, type: "private", first_name: "F" };
      const chat = random.next() < 0.75 ? privateChat : random.pick(chats);
      const message = () => ({ message_id: random.int(5000) + 1, date: 1_790_000_000, chat, from, ...content() });
      const update = random.pick([
        () => ({ message: message() }),
        () => ({ message: message() }),
        () => ({ edited_message: { ...message(), edit_date: 1_790_000_100 } }),
        () => ({
          callback_query: {
            id: String(i),
            from,
            chat_instance: "c",
            data: randomData(),
            message: { message_id: random.int(5000) + 1, date: 1, chat, text: "old" },
          },
        }),
        () => ({ callback_query: { id: String(i), from, chat_instance: "c", data: randomData() } }), // inline message: no chat
        () => ({ channel_post: { message_id: 1, date: 1, chat: { id: -1009, type: "channel", title: "C" }, text: randomText() } }),
        () => ({
          my_chat_member: {
            chat: privateChat,
            from,
            date: 1,
            old_chat_member: { status: "member", user: { id: 123456789, is_bot: true, first_name: "H" } },
            new_chat_member: {
              status: random.pick(["kicked", "member"]),
              user: { id: 123456789, is_bot: true, first_name: "H" },
              until_date: 0,
            },
          },
        }),
        () => ({
          chat_member: {
            chat,
            from,
            date: 1,
            old_chat_member: { status: "left", user: from },
            new_chat_member: { status: "member", user: from },
          },
        }),
      ])();
      // Refusals Telegram really gives for old buttons and old messages: absorbed, never an apology.
      if (random.next() < 0.03)
        h.telegram.failNext("answerCallbackQuery", {
          error_code: 400,
          description: "Bad Request: query is too old and response timeout expired or query ID is invalid",
        });
      if (random.next() < 0.03)
        h.telegram.failNext("editMessageText", { error_code: 400, description: "Bad Request: message can't be edited" });
      await h.bot.handleUpdate({ update_id: updateId++, ...update } as never);
    }

    // No update failed inside the bot: the apology is sent only on internal errors.
    const apologies = new Set(
      await Promise.all(
        LOCALES.map(async (l) => (await import(`../locales/${l}/bot.json`, { with: { type: "json" } })).default.fallback.error),
      ),
    );
    const sent = h.telegram.calls.filter((call) => call.method === "sendMessage" || call.method === "editMessageText");
    const failures = logLines.filter((line) => line.includes('"level":50'));
    expect(failures.slice(0, 3)).toEqual([]);
    expect(sent.filter((call) => apologies.has(call.payload.text))).toEqual([]);

    // Every private-chat reply is in its user's language: no other language's interface string appears in it.
    const bundles = Object.fromEntries(
      await Promise.all(LOCALES.map(async (l) => [l, (await import(`../locales/${l}/bot.json`, { with: { type: "json" } })).default])),
    ) as Record<string, Record<string, unknown>>;
    const flatten = (o: Record<string, unknown>): string[] =>
      Object.values(o).flatMap((v) => (typeof v === "string" ? [v] : flatten(v as Record<string, unknown>)));
    const phrases = Object.fromEntries(
      LOCALES.map((l) => [l, new Set(flatten(bundles[l]!).filter((text) => text.length > 25 && !text.includes("{{")))]),
    );
    let checked = 0;
    // Each user's stored language is read once (the updates are over), and the assertion is made
    // where it can fail: a million expect() calls that pass took most of this test's time.
    const storedUsers = new Map(
      await Promise.all(users.map(async (u) => [u.id, await h.db.user.findUnique({ where: { telegramId: BigInt(u.id) } })] as const)),
    );
    for (const call of sent) {
      const user = users.find((u) => u.id === Number(call.payload.chat_id));
      const stored = user ? storedUsers.get(user.id) : null;
      if (!user || !stored || typeof call.payload.text !== "string") continue;
      for (const locale of LOCALES.filter((l) => l !== stored.language)) {
        for (const phrase of phrases[locale]!) {
          if (!phrases[stored.language]!.has(phrase) && call.payload.text.includes(phrase))
            expect(call.payload.text.includes(phrase), `${phrase} in a ${stored.language} chat`).toBe(false);
        }
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(500);

    // The database is consistent.
    const integrity = await h.db.$queryRawUnsafe<{ integrity_check: string }[]>("PRAGMA integrity_check");
    expect(integrity[0]!.integrity_check).toBe("ok");
    expect(await h.db.$queryRawUnsafe<unknown[]>("PRAGMA foreign_key_check")).toEqual([]);
    for (const state of await h.db.dialogState.findMany()) expect(() => JSON.parse(state.value)).not.toThrow();
    await h.close();
  }, 120_000);
});
