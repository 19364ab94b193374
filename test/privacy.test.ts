import { describe, expect, it } from "vitest";
import { broadcastDialogButton, callback, requestDialogButton } from "../src/bot/callbacks.js";
import { eraseExpiredRequests } from "../src/privacy/erase.js";
import { sendRequest } from "./helpers/dialog.js";
import { ADMIN_ID, type Person, STAFF_CHAT_ID, useHarness } from "./helpers/harness.js";

const h = useHarness();

const en = (await import("../locales/en/bot.json", { with: { type: "json" } })).default;

const askWithPhoto = (person: Person, question: string) =>
  sendRequest(person, { topic: "trafficking", city: "Tula", question, photo: "PASSPORT-PHOTO", phone: "+7 912 000 11 22" });

describe("users own their data", () => {
  it("/privacy says what is stored, why, who sees it and for how long", async () => {
    const person = await h.registered(8001);
    const [privacy] = await person.send("/privacy");
    expect(privacy!.text).toContain("Who sees it: only the NGO's lawyers");
    expect(privacy!.text).toContain("erased 180 days after it is closed");
    expect(privacy!.buttons.flat().map((b) => b.data)).toEqual(["privacy:data", "privacy:forget", "menu"]);
  });

  it("/mydata sends everything stored about the user", async () => {
    const person = await h.registered(8002);
    await person.press(callback.hotline.pack());
    await person.press(callback.zoneCity.pack({ city: "moscow" }));
    await askWithPhoto(person, "My passport was taken by the brigadier.");
    await person.press(callback.faqVote.pack({ questionId: "documents-copies", helpful: true }));
    const [data] = await person.send("/mydata");
    for (const expected of [
      "Telegram id: 8002",
      "Europe/Moscow",
      "Moscow",
      "FAQ votes: 1",
      "A-1001",
      "Tula",
      "+79120001122",
      "My passport was taken by the brigadier.",
      "Files: 1",
    ]) {
      expect(data!.text).toContain(expected);
    }
  });

  it("/forget, after confirming, erases the personal data table by table and tells the lawyers", async () => {
    const admin = await h.registered(ADMIN_ID);
    const person = await h.registered(8003);
    await askWithPhoto(person, "They keep me locked in the dormitory.");
    await h.outbox.run();
    await h.handle({
      message: {
        message_id: 5,
        date: 1,
        chat: { id: STAFF_CHAT_ID, type: "supergroup", title: "L" },
        from: { id: 900, is_bot: false, first_name: "Lawyer" },
        text: "Are you safe now?",
        reply_to_message: {
          message_id: (await h.db.request.findFirstOrThrow()).staffMessageId,
          date: 1,
          chat: { id: STAFF_CHAT_ID, type: "supergroup", title: "L" },
        },
      },
    } as never);
    await person.press(callback.faqVote.pack({ questionId: "trafficking-signs", helpful: true }));
    await admin.send("/broadcast");
    await admin.send("Notice text");
    await admin.press(broadcastDialogButton.choice.pack({ value: "en" }));
    await admin.press(broadcastDialogButton.choice.pack({ value: "done" }));
    await admin.press(broadcastDialogButton.choice.pack({ value: "all" }));
    await admin.press(broadcastDialogButton.choice.pack({ value: "send" }));
    await h.broadcastSender.kick();
    await person.press(callback.ask.pack()); // a draft in progress
    await person.press(requestDialogButton.topic.pack({ topic: "other" }));

    const [confirm] = await person.send("/forget");
    expect(confirm!.text).toBe(en.privacy.forgetConfirm);
    expect(await h.db.user.count({ where: { telegramId: 8003n } })).toBe(1); // nothing yet
    const [erased] = await person.press(callback.forgetConfirmed.pack());
    expect(erased!.text).toBe(en.privacy.erased);

    expect(await h.db.user.count({ where: { telegramId: 8003n } })).toBe(0);
    expect(await h.db.faqVote.count()).toBe(0);
    expect(await h.db.broadcastDelivery.count({ where: { status: "sent" } })).toBe(1); // the admin's only
    expect(await h.db.dialogState.count()).toBe(0);
    expect(await h.db.requestAttachment.count()).toBe(0);
    expect(await h.db.requestMessage.count()).toBe(0);
    const request = await h.db.request.findFirstOrThrow();
    expect(request).toMatchObject({
      userId: null,
      question: "",
      city: null,
      phone: null,
      status: "closed",
      outcome: "user-erased",
      topic: "trafficking",
    });
    expect(request.erasedAt).not.toBeNull();
    const card = h.telegram
      .callsOf("editMessageText")
      .filter((c) => c.payload.chat_id === STAFF_CHAT_ID)
      .at(-1)!;
    expect(card.payload.text).toContain("The user erased their data");
    expect(card.payload.text).not.toContain("dormitory");
    // The person can start again, as a newcomer.
    const [picker] = await person.send("/start");
    expect(picker!.buttons.flat().map((b) => b.data)).toContain("lang:en");
  });

  it("retention erases the personal part of requests closed long ago, keeping the figures", async () => {
    h.setNow("2026-01-05T10:00");
    const person = await h.registered(8004);
    await askWithPhoto(person, "An old question about my documents.");
    await askWithPhoto(person, "A newer question about my documents.");
    await h.db.request.update({
      where: { id: 1 },
      data: { status: "closed", outcome: "answered", closedAt: new Date("2026-01-10T00:00:00Z"), rating: 4 },
    });
    await h.db.request.update({
      where: { id: 2 },
      data: { status: "closed", outcome: "answered", closedAt: new Date("2026-06-01T00:00:00Z") },
    });
    // On 20 July with 180 days of retention, the cut-off is 21 January.
    const erased = await eraseExpiredRequests(h.db, new Date("2026-01-21T00:00:00Z"), new Date("2026-07-20T00:00:00Z"));
    expect(erased).toBe(1);
    const [old, newer] = await h.db.request.findMany({ orderBy: { id: "asc" } });
    expect(old).toMatchObject({
      question: "",
      phone: null,
      city: null,
      userId: null,
      rating: 4,
      outcome: "answered",
      topic: "trafficking",
    });
    expect(newer).toMatchObject({ question: "A newer question about my documents.", phone: "+79120001122" });
    expect(await h.db.requestAttachment.count()).toBe(1);
  });
});
