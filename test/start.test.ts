import { describe, expect, it } from "vitest";
import { callback } from "../src/bot/callbacks.js";
import { LOCALES } from "../src/i18n.js";
import { buttonData, useHarness } from "./helpers/harness.js";

const h = useHarness();

describe("first start, language picker, main menu", () => {
  it("always shows the picker on first contact, suggesting the language from language_code", async () => {
    const person = h.person(1001, "ru");
    const [picker] = await person.send("/start");
    expect(buttonData(picker!)).toEqual(LOCALES.map((locale) => `lang:${locale}`));
    expect(picker!.buttons.flat().find((b) => b.data === "lang:ru")!.text).toBe("✅ Русский");
    // The prompt is given in every language, since the suggestion may be wrong.
    expect(picker!.text).toContain("Choose your language");
    expect(picker!.text).toContain("Выберите язык");
  });

  it.each(LOCALES)("shows the welcome and the menu in %s once chosen, and stores the choice", async (locale) => {
    const person = h.person(1002, "en");
    await person.send("/start");
    const [menu] = await person.press(callback.setLanguage.pack({ locale }));
    const expected = (await import(`../locales/${locale}/bot.json`, { with: { type: "json" } })).default;
    expect(menu!.method).toBe("editMessageText");
    expect(menu!.text).toContain(expected.language.saved);
    expect(menu!.buttons.flat().map((b) => b.text)).toContain(expected.menu.faq);
    const stored = await h.db.user.findUniqueOrThrow({ where: { telegramId: 1002n } });
    expect(stored.language).toBe(locale);

    // Later /start goes straight to the menu in the stored language.
    const [again] = await person.send("/start");
    expect(again!.text).toContain(expected.menu.title);
  });

  it("suggests Russian for a user without language_code and English for other app languages", async () => {
    const [noCode] = await h.person(1003).send("/start");
    expect(noCode!.buttons.flat().find((b) => b.text.startsWith("✅"))!.data).toBe("lang:ru");
    const [german] = await h.person(1004, "de").send("/start");
    expect(german!.buttons.flat().find((b) => b.text.startsWith("✅"))!.data).toBe("lang:en");
    const [tajik] = await h.person(1005, "tg").send("/start");
    expect(tajik!.buttons.flat().find((b) => b.text.startsWith("✅"))!.data).toBe("lang:tg");
  });

  it("changes the language later from the menu", async () => {
    const person = h.person(1006, "ru");
    await person.send("/start");
    await person.press(callback.setLanguage.pack({ locale: "ru" }));
    await person.pressLabel("🌐");
    const [menu] = await person.press(callback.setLanguage.pack({ locale: "tg" }));
    expect(menu!.text).toContain("Забон: тоҷикӣ");
    expect((await h.db.user.findUniqueOrThrow({ where: { telegramId: 1006n } })).language).toBe("tg");
  });

  it("shows the picker when the first thing someone sends is not /start", async () => {
    const [picker] = await h.person(1007, "uz").send("patent");
    expect(buttonData(picker!)).toContain("lang:uz");
  });

  it("stores nothing before a language is chosen, and then no name or username", async () => {
    const person = h.person(1008, "en");
    await person.send("/start");
    await person.send("hello");
    expect(await h.db.user.count()).toBe(0);
    await person.press(callback.setLanguage.pack({ locale: "en" }));
    const row = await h.db.user.findUniqueOrThrow({ where: { telegramId: 1008n } });
    expect(Object.values(row)).not.toContain("Test");
  });
});
