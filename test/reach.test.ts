import { expect, it } from "vitest";
import { callback, requestDialogButton } from "../src/bot/callbacks.js";
import { useHarness } from "./helpers/harness.js";

const h = useHarness({ now: "2026-11-23T10:00" });

it("a complete request takes at most 6 bot messages: button answers edit the question in place", async () => {
  const person = await h.registered(7701);
  const sentBefore = h.telegram.carriedOut(person.id, "sendMessage").length;
  await person.press(callback.ask.pack());
  await person.press(requestDialogButton.topic.pack({ topic: "unpaid-wages" }));
  await person.press(requestDialogButton.country.pack({ country: "russia" }));
  await person.send("Kazan");
  await person.send("My employer has not paid me for two months.");
  await person.press(requestDialogButton.continue.pack());
  await person.press(requestDialogButton.replyVia.pack({ via: "telegram" }));
  await person.press(requestDialogButton.consent.pack({ answer: "yes" }));
  await person.press(requestDialogButton.send.pack());
  const messages = h.telegram.carriedOut(person.id, "sendMessage").length - sentBefore;
  console.log(`bot messages for a complete request: ${messages} (and ${h.telegram.carriedOut(person.id, "editMessageText").length} edits)`);
  expect(messages).toBeLessThanOrEqual(6);
  expect(await h.db.request.count()).toBe(1);
});

it("a newcomer's first message is not lost: after choosing a language, the bot answers it", async () => {
  const person = h.person(7702, "ru");
  const [picker] = await person.send("забрали паспорт что делать");
  expect(picker!.buttons.flat().map((button) => button.data)).toContain(callback.setLanguage.pack({ locale: "ru" }));
  const after = await person.press(callback.setLanguage.pack({ locale: "ru" }));
  // The menu, then the answers to what they wrote.
  expect(after.length).toBeGreaterThanOrEqual(2);
  expect(
    after
      .at(-1)!
      .buttons.flat()
      .some((button) => button.data.startsWith("faq:q:")),
  ).toBe(true);
});
