import { expect, it } from "vitest";
import { callback } from "../src/bot/callbacks.js";
import { sendRequest } from "./helpers/dialog.js";
import { STAFF_CHAT_ID, useHarness } from "./helpers/harness.js";

const ky = (await import("../locales/ky/bot.json", { with: { type: "json" } })).default;
const tg = (await import("../locales/tg/bot.json", { with: { type: "json" } })).default;

const h = useHarness();

const deadline = callback.faqQuestion.pack({ questionId: "registration-deadline" });

it("a Kyrgyz citizen reads 30 days to register, a Tajik citizen 15; asked once, under the first answer that depends on it", async () => {
  const kyrgyz = await h.registered(7501, "ky");
  const [asked] = await kyrgyz.press(deadline);
  // Until they say, the general answer spells out both rules, with the citizenship buttons.
  expect(asked!.text).toContain("30");
  expect(asked!.text).toContain("15");
  expect(asked!.buttons.flat().map((button) => button.data)).toContain(
    callback.setCitizenshipFor.pack({ citizenship: "kyrgyzstan", questionId: "registration-deadline" }),
  );
  const [mine] = await kyrgyz.press(callback.setCitizenshipFor.pack({ citizenship: "kyrgyzstan", questionId: "registration-deadline" }));
  expect(mine!.text).toContain("30 күн");
  expect(mine!.text).not.toContain("15 күн");
  expect(mine!.text).toContain(ky.citizenship.shownFor.replace("{{country}}", ky.citizenship.name.kyrgyzstan));
  // Asked once: the next answer that depends on it shows no buttons for it.
  const [again] = await kyrgyz.press(deadline);
  expect(again!.buttons.flat().some((button) => button.data.startsWith("cit:"))).toBe(false);

  const tajik = await h.registered(7502, "tg");
  await tajik.press(callback.citizenshipPicker.pack());
  await tajik.press(callback.setCitizenship.pack({ citizenship: "tajikistan" }));
  const [theirs] = await tajik.press(deadline);
  expect(theirs!.text).toContain("15");
  expect(theirs!.text).not.toMatch(/30 рӯз/);
  expect(theirs!.text).toContain(tg.citizenship.name.tajikistan);
});

it("skipping gives the general answer; the card, /mydata and /privacy show the citizenship", async () => {
  const person = await h.registered(7503, "en");
  await person.press(callback.citizenshipPicker.pack());
  await person.press(callback.setCitizenship.pack({ citizenship: "other" }));
  const [general] = await person.press(deadline);
  expect(general!.text).toContain("30");
  expect(general!.text).toContain("15");

  const kazakh = await h.registered(7504, "en");
  await kazakh.press(callback.citizenshipPicker.pack());
  await kazakh.press(callback.setCitizenship.pack({ citizenship: "kazakhstan" }));
  await sendRequest(kazakh);
  await h.outbox.run();
  const card = h.telegram.carriedOut(STAFF_CHAT_ID, "sendMessage").find((call) => String(call.payload.text).includes("A-1001"))!;
  expect(card.payload.text).toContain("Citizenship: Kazakhstan");
  expect((await kazakh.send("/mydata"))[0]!.text).toContain("Citizenship: Kazakhstan");
  expect((await kazakh.send("/privacy"))[0]!.text).toContain("Citizenship: Kazakhstan");
});

it("answers that repeat the hotline's hours take them from the configuration", async () => {
  const person = await h.registered(7505, "en");
  const [answer] = await person.press(callback.faqQuestion.pack({ questionId: "family-call-for-relative" }));
  expect(answer!.text).not.toContain("{{");
  expect(answer!.text).toMatch(/Mon.Fri: 08:00.12:00, 13:00.17:00; Sat: 08:00.12:00/);
});
