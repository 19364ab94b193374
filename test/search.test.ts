import { describe, expect, it } from "vitest";
import { callback } from "../src/bot/callbacks.js";
import { loadFaqCatalogs } from "../src/faq/catalog.js";
import { documentVariants, foldWord } from "../src/faq/fold.js";
import { buildSearchIndexes, isSearchable, searchFaq } from "../src/faq/search.js";
import { EXCEPTIONS, uzbekToLatin, uzLatinDrift } from "../src/faq/uz-latin.js";
import { loadSearchVocabularies, parseSearchVocabulary } from "../src/faq/vocabulary.js";
import { readLocaleFile, suggestLocale } from "../src/i18n.js";
import { escapeHtml } from "../src/shared/html.js";
import { buttonData, useHarness } from "./helpers/harness.js";

const catalogs = loadFaqCatalogs();
const vocabularies = loadSearchVocabularies();
const indexes = buildSearchIndexes(catalogs, vocabularies);
const search = (locale: keyof typeof indexes, query: string) => searchFaq(indexes[locale], query);

describe("folding what users type", () => {
  it.each([
    ["патент", "patent"],
    ["ҳуҷҷат", "hujjat"],
    ["Россия", "rossiya"],
    ["полиция", "politsiya"],
    ["полиция", "policiya"],
    ["зарплату", "zarplatu"],
    ["ўтиш", "o‘tish"],
    ["тақиқи", "taqiqi"],
    ["ҳақи", "xaqi"],
    ["айлык", "aylyk"],
    ["жоголду", "jogoldu"],
    ["задержали", "zaderjali"],
    ["пaспорт", "паспорт"], // Latin a inside a Cyrillic word
  ])("meets %s and %s", (a, b) => {
    expect(foldWord(a)).toBe(foldWord(b));
  });

  it("indexes ҷ, ў and ё also as a Russian keyboard types them", () => {
    expect(documentVariants("тарҷумон").map(foldWord)).toContain(foldWord("тарчумон"));
    expect(documentVariants("ўтиш").map(foldWord)).toContain(foldWord("утиш"));
    expect(documentVariants("учёт").map(foldWord)).toContain(foldWord("учет"));
  });
});

describe("typed questions", () => {
  it("offers the patent payment for 'как продлить патент', and Latin, Tajik and Uzbek typing finds answers", () => {
    expect(search("ru", "как продлить патент").ids.slice(0, 3)).toContain("patent-monthly-payment");
    expect(search("ru", "kak oplatit patent").ids[0]).toBe("patent-monthly-payment");
    expect(search("ru", "zabrali pasport").ids.slice(0, 2)).toContain("documents-employer-keeps-passport");
    expect(search("ru", "ne platyat zarplatu").ids.slice(0, 3)).toContain("wages-not-paid");
    expect(search("tg", "patent chi tavr giram").ids[0]).toBe("patent-first-steps");
    expect(search("tg", "maosh namedihand").ids[0]).toBe("wages-not-paid");
    expect(search("uz-Latn", "ish haqi to'lanmayapti").ids.slice(0, 3)).toContain("wages-not-paid");
    expect(search("ru", "патинт оплата").ids[0]).toBe("patent-monthly-payment");
  });

  it("finds Russian typed in every other locale (the answer is then shown in the user's language)", () => {
    for (const locale of ["tg", "uz", "uz-Latn", "ky", "en"] as const)
      expect(search(locale, "не платят зарплату").ids.slice(0, 3), locale).toContain("wages-not-paid");
  });

  it("answers nothing for words without meaning or off-topic questions, and knows greetings and thanks", () => {
    expect(search("ru", "какая погода в душанбе")).toMatchObject({ kind: "none", meaningful: true });
    expect(search("ru", "как что где")).toMatchObject({ kind: "none", meaningful: false });
    expect(search("tg", "салом").kind).toBe("greeting");
    expect(search("ru", "Спасибо большое!").kind).toBe("thanks");
    expect(search("ru", "привет, зп не платят").kind).toBe("found");
    expect(isSearchable("?!")).toBe(false);
    expect(isSearchable("зп")).toBe(true);
  });

  it("rejects a search.json with a missing list", () => {
    expect(() => parseSearchVocabulary({ stopWords: [] }, "x.json")).toThrow(/x\.json is invalid/);
  });
});

describe("Uzbek in Latin script", () => {
  it.each([
    ["Ўзбекча", "Oʻzbekcha"],
    ["ғалаба", "gʻalaba"],
    ["Ер ва еш", "Yer va yesh"],
    ["келди", "keldi"],
    ["миграция", "migratsiya"],
    ["цех", "sex"],
    ["маълумот", "maʼlumot"],
    ["въезд", "vyezd"],
    ["компьютер", "kompyuter"],
    ["ИИВ ШАРТНОМА", "IIV SHARTNOMA"],
    ["Шахс", "Shaxs"],
    ["октябрда", "oktabrda"],
    ["{{phone}} <b>Ҳа</b>", "{{phone}} <b>Ha</b>"],
  ])("writes %s as %s", (cyrillic, latin) => {
    expect(uzbekToLatin(cyrillic)).toBe(latin);
  });

  it("has its exceptions in lower case", () => {
    for (const key of Object.keys(EXCEPTIONS)) expect(key).toBe(key.toLowerCase());
  });

  it("is generated from the Cyrillic files and has not drifted from them", () => {
    expect(uzLatinDrift()).toEqual([]);
    expect((readLocaleFile("uz-Latn", "bot") as { language: { name: string } }).language.name).toBe("Oʻzbekcha");
  });

  it("is suggested to Telegram's Uzbek users (Telegram's Uzbek is in Latin script)", () => {
    expect(suggestLocale("uz")).toBe("uz-Latn");
    expect(suggestLocale("ru")).toBe("ru");
  });
});

describe("typed questions in the bot", () => {
  const h = useHarness();

  it("greets back and thanks back with the menu, instead of 'nothing found'", async () => {
    const person = await h.registered(7301, "tg");
    const tg = readLocaleFile("tg", "bot") as { welcome: string; menu: { faq: string } };
    const [hello] = await person.send("салом");
    expect(hello!.text).toContain(escapeHtml(tg.welcome).split("\n")[0]);
    expect(buttonData(hello!)).toContain(callback.faqCategories.pack());
    const [thanks] = await person.send("рахмат");
    expect(thanks!.text).toContain(vocabularies.tg.thanksReply.split("!")[0]);
    expect(buttonData(thanks!)).toContain(callback.ask.pack());
  });

  it("offers a lawyer instead of weak guesses", async () => {
    const person = await h.registered(7302, "ru");
    const [screen] = await person.send("какая погода в душанбе");
    expect(screen!.text).toContain("+992 918 85 34 34");
    expect(buttonData(screen!)).toEqual(["ask", "hot", "faq", "menu"]);
  });

  it("answers a Russian question of an Uzbek Latin user with Latin buttons", async () => {
    const person = await h.registered(7303, "uz-Latn");
    const [screen] = await person.send("не платят зарплату");
    const question = catalogs["uz-Latn"].questions.get("wages-not-paid")!;
    expect(buttonData(screen!)).toContain(callback.faqQuestion.pack({ questionId: "wages-not-paid" }));
    expect(screen!.buttons.flat().map((button) => button.text)).toContain(question.short);
    expect(question.short).toMatch(/^[\p{Script=Latin}\p{P}\p{Zs}\d ʻʼ]+$/u);
  });

  it("offers Oʻzbekcha beside Ўзбекча in the language picker, and switches to it", async () => {
    const person = h.person(7304, "uz");
    const [picker] = await person.send("/start");
    const row = picker!.buttons.find((buttons) => buttons.some((button) => button.data === "lang:uz"))!;
    expect(row.map((button) => button.text)).toEqual(["Ўзбекча", "✅ Oʻzbekcha"]);
    const [menu] = await person.press(callback.setLanguage.pack({ locale: "uz-Latn" }));
    expect(menu!.text).toContain((readLocaleFile("uz-Latn", "bot") as { language: { saved: string } }).language.saved);
    expect((await h.db.user.findUniqueOrThrow({ where: { telegramId: 7304n } })).language).toBe("uz-Latn");
    const [back] = await person.press(callback.setLanguage.pack({ locale: "uz" }));
    expect(back!.text).toContain((readLocaleFile("uz", "bot") as { language: { saved: string } }).language.saved);
  });
});
