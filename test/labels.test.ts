import { describe, expect, it } from "vitest";
import { loadFaqCatalogs, parseFaqCatalog } from "../src/faq/catalog.js";
import { faqLabelProblems, labelProblems, MAX_FAQ_LABEL, MAX_TOPIC_LABEL, topicLabelProblems } from "../src/faq/labels.js";
import { LOCALES, readLocaleFile } from "../src/i18n.js";

const catalogs = loadFaqCatalogs();
const interfaces = LOCALES.map((locale) => [locale, readLocaleFile(locale, "bot")] as const);

describe("button labels that fit a small phone", () => {
  it("pass on the real data: every FAQ question has a short label of at most 32 characters, every topic label at most 24", () => {
    expect(labelProblems(Object.entries(catalogs), interfaces)).toEqual([]);
    for (const [locale, catalog] of Object.entries(catalogs)) {
      expect(catalog.questions.size, locale).toBe(catalogs.en.questions.size);
      for (const question of catalog.questions.values()) {
        expect(question.short.length, `${locale} ${question.id}`).toBeLessThanOrEqual(MAX_FAQ_LABEL);
        expect(question.short, `${locale} ${question.id}`).not.toBe(question.question);
      }
    }
  });

  it("catch a FAQ short label over 32 characters", () => {
    const catalog = structuredClone(catalogs.ru);
    catalog.questions.get("registration-deadline")!.short = "Когда нужно встать на миграционный учёт?";
    expect(faqLabelProblems(catalog, "locales/ru/faq.json")).toEqual([
      'locales/ru/faq.json "registration-deadline" short has 40 characters (at most 32): "Когда нужно встать на миграционный учёт?"',
    ]);
    catalog.questions.get("registration-deadline")!.short = "x".repeat(MAX_FAQ_LABEL);
    expect(faqLabelProblems(catalog, "ru")).toEqual([]);
    // The schema refuses it too, and a question without one.
    const faq = structuredClone(readLocaleFile("en", "faq")) as any;
    faq.categories[0].questions[0].short = "x".repeat(MAX_FAQ_LABEL + 1);
    delete faq.categories[0].questions[1].short;
    expect(() => parseFaqCatalog(faq, "en")).toThrow(/categories\.0\.questions\.0\.short.*categories\.0\.questions\.1\.short/s);
  });

  it("catch a topic label over 24 characters, counting an emoji as one character", () => {
    const en = structuredClone(readLocaleFile("en", "bot")) as any;
    en.topic.trafficking = "🆘 Trafficking, forced labour";
    expect(topicLabelProblems(en, "locales/en/bot.json")).toEqual([
      'locales/en/bot.json "topic.trafficking" has 28 characters (at most 24): "🆘 Trafficking, forced labour"',
    ]);
    en.topic.trafficking = `🆘 ${"x".repeat(MAX_TOPIC_LABEL - 2)}`;
    expect(topicLabelProblems(en, "en")).toEqual([]);
    expect(labelProblems([["en", catalogs.en]], [["en", { topic: { family: "👨‍👩‍👧 Family and children" } }]])).toEqual([
      'locales/en/bot.json "topic.family" has 25 characters (at most 24): "👨‍👩‍👧 Family and children"',
    ]);
  });
});
