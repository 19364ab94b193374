import { describe, expect, it } from "vitest";
import { checkContent, compareTranslations } from "../src/content-check.js";
import { compareCatalogs, loadFaqCatalogs, parseFaqCatalog } from "../src/faq/catalog.js";
import { LOCALES, readLocaleFile } from "../src/i18n.js";

describe("content files", () => {
  it("pass the content check: same keys and placeholders in every locale, same FAQ questions, valid dates", () => {
    expect(checkContent()).toEqual([]);
  });

  it("have at least 8 categories and 30 questions in every locale, each with a review date and sources", () => {
    for (const [locale, catalog] of Object.entries(loadFaqCatalogs())) {
      expect(catalog.categories.length, locale).toBeGreaterThanOrEqual(8);
      expect(catalog.questions.size, locale).toBeGreaterThanOrEqual(30);
      for (const question of catalog.questions.values()) {
        expect(question.reviewed, question.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(question.sources.length, question.id).toBeGreaterThan(0);
      }
    }
  });

  it("use the proper Tajik letters in Tajik texts", () => {
    const tajik = JSON.stringify(readLocaleFile("tg", "faq")) + JSON.stringify(readLocaleFile("tg", "bot"));
    expect(tajik).toMatch(/[ғӣқӯҳҷ]/);
  });
});

describe("the checks catch mistakes", () => {
  const en = readLocaleFile("en", "bot") as Record<string, any>;

  it("a key missing in one locale", () => {
    const ru = structuredClone(readLocaleFile("ru", "bot")) as Record<string, any>;
    delete ru.menu.faq;
    expect(compareTranslations({ en, ru })).toEqual(['locales/ru/bot.json lacks "menu.faq"']);
  });

  it("a placeholder that differs, and an empty string", () => {
    const ky = structuredClone(readLocaleFile("ky", "bot")) as Record<string, any>;
    ky.faq.general = "{{telefon}}";
    ky.menu.home = " ";
    const problems = compareTranslations({ en, ky });
    expect(problems).toContain('locales/ky/bot.json: "menu.home" is empty');
    expect(problems.some((p) => p.startsWith('"faq.general" has different placeholders'))).toBe(true);
  });

  it("a key the bot needs that no locale has", () => {
    expect(compareTranslations({ en }, ["holiday.teachers-day"])).toEqual(['locales/en/bot.json lacks "holiday.teachers-day"']);
  });

  it("an empty answer, a malformed date, a missing question", () => {
    const faq = structuredClone(readLocaleFile("en", "faq")) as any;
    faq.categories[0].questions[0].answer = "";
    faq.categories[0].questions[1].reviewed = "23.11.2026";
    expect(() => parseFaqCatalog(faq, "broken")).toThrow(/categories\.0\.questions\.0\.answer.*categories\.0\.questions\.1\.reviewed: must be a date/s);

    const reference = parseFaqCatalog(readLocaleFile("en", "faq"), "en");
    const fewer = structuredClone(readLocaleFile("uz", "faq")) as any;
    fewer.categories[2].questions.pop();
    expect(compareCatalogs(reference, parseFaqCatalog(fewer, "uz"), "uz")).toHaveLength(1);
  });

  it("covers every locale", () => {
    expect(LOCALES).toEqual(["tg", "ru", "uz", "ky", "en"]);
  });
});
