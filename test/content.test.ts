import { describe, expect, it } from "vitest";
import {
  checkBotGlossary,
  checkContent,
  checkEidDates,
  checkPlainLanguage,
  compareTranslations,
  faqReadableTexts,
} from "../src/content-check.js";
import {
  answerFor,
  compareCatalogs,
  loadFaqCatalogs,
  parseFaqCatalog,
  placeholdersIn,
  renderAnswer,
  unknownPlaceholders,
} from "../src/faq/catalog.js";
import { glossaryContradictions, glossaryViolations, parseGlossary, REQUIRED_TERMS } from "../src/faq/glossary.js";
import { countWords, MAX_ANSWER_CHARS, MAX_SENTENCE_WORDS, plainLanguageProblems, splitSentences } from "../src/faq/plain-language.js";
import { loadHotlineConfig } from "../src/hotline/config.js";
import { GENERATED_LOCALES, LOCALES, readLocaleFile } from "../src/i18n.js";
import { citizenshipGroupOf } from "../src/users/citizenship.js";

const catalogs = loadFaqCatalogs();

describe("content files", () => {
  it("pass the content check: same keys and placeholders in every locale, same FAQ questions and variants, valid dates, glossary, plain language", () => {
    expect(checkContent()).toEqual([]);
  });

  it("have at least 8 categories and 30 questions in every locale, each with a review date and sources", () => {
    for (const [locale, catalog] of Object.entries(catalogs)) {
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

  it("mark as volatile the rules that change often", () => {
    for (const catalog of Object.values(catalogs)) {
      for (const id of [
        "registration-deadline",
        "registration-keep-slip",
        "documents-what-to-carry",
        "detention-first-steps",
        "ruid-moscow-entry",
        "departure-checklist",
      ]) {
        expect(catalog.questions.get(id)?.volatile, id).toBe(true);
      }
    }
  });
});

describe("answers by citizenship", () => {
  it("groups citizens of Tajikistan and Uzbekistan (patent) apart from Kyrgyzstan and Kazakhstan (EAEU); others get the general answer", () => {
    expect(citizenshipGroupOf("tajikistan")).toBe("patent");
    expect(citizenshipGroupOf("uzbekistan")).toBe("patent");
    expect(citizenshipGroupOf("kyrgyzstan")).toBe("eaeu");
    expect(citizenshipGroupOf("kazakhstan")).toBe("eaeu");
    expect(citizenshipGroupOf("other")).toBeUndefined();
    expect(citizenshipGroupOf(null)).toBeUndefined();
    expect(citizenshipGroupOf(undefined)).toBeUndefined();
  });

  it.each(LOCALES)("gives a Kyrgyz citizen 30 days and a Tajik citizen 15 days to register, in %s", (locale) => {
    const question = catalogs[locale].questions.get("registration-deadline")!;
    const kyrgyz = answerFor(question, citizenshipGroupOf("kyrgyzstan"));
    const tajik = answerFor(question, citizenshipGroupOf("tajikistan"));
    expect(kyrgyz).toMatch(/\b30\b/);
    expect(kyrgyz).not.toMatch(/\b15\b/);
    expect(tajik).toMatch(/\b15\b/);
    expect(tajik).not.toMatch(/\b30\b/);
    // Unknown citizenship: the general answer, which names both deadlines.
    const general = answerFor(question, citizenshipGroupOf("other"));
    expect(general).toBe(question.answer);
    expect(general).toMatch(/\b15\b/);
    expect(general).toMatch(/\b30\b/);
  });

  it("has both variants, in every locale, for the rules that differ by citizenship", () => {
    const differing = [
      "registration-deadline",
      "registration-90-days",
      "patent-first-steps",
      "patent-monthly-payment",
      "patent-contract-copy",
      "patent-language-exam",
      "departure-language-test",
      "entry-ban-check",
      "departure-checklist",
    ];
    for (const [locale, catalog] of Object.entries(catalogs)) {
      for (const id of differing) {
        const question = catalog.questions.get(id)!;
        expect(Object.keys(question.variants ?? {}).sort(), `${locale} ${id}`).toEqual(["eaeu", "patent"]);
      }
    }
  });

  it("falls back to the general answer when a question has no variant for the group", () => {
    const question = catalogs.en.questions.get("wages-how-often")!;
    expect(question.variants).toBeUndefined();
    expect(answerFor(question, "eaeu")).toBe(question.answer);
    expect(answerFor({ answer: "General answer text", variants: { patent: "Patent answer text" } }, "eaeu")).toBe("General answer text");
    expect(answerFor({ answer: "General answer text", variants: { patent: "Patent answer text" } }, "patent")).toBe("Patent answer text");
  });
});

describe("the hotline's hours in answers", () => {
  it("are a placeholder filled by renderAnswer, in the same questions of every locale", () => {
    const users = (locale: (typeof LOCALES)[number]) =>
      [...catalogs[locale].questions.values()]
        .filter((q) => [q.answer, ...Object.values(q.variants ?? {})].some((text) => placeholdersIn(text).includes("hotlineHours")))
        .map((q) => q.id);
    for (const locale of LOCALES) expect(users(locale), locale).toEqual(["trafficking-get-help", "family-call-for-relative"]);
    const text = catalogs.en.questions.get("trafficking-get-help")!.answer;
    const rendered = renderAnswer(text, { hotlineHours: "Mon–Fri 08:00–17:00 (lunch 12:00–13:00), Sat 08:00–12:00" });
    expect(rendered).toContain("Hours, Dushanbe time: Mon–Fri 08:00–17:00 (lunch 12:00–13:00), Sat 08:00–12:00");
    expect(rendered).not.toContain("{{");
    expect(renderAnswer("Open {{ hotlineHours }}, not {{other}}.", { hotlineHours: "now" })).toBe("Open now, not {{other}}.");
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
    expect(() => parseFaqCatalog(faq, "broken")).toThrow(
      /categories\.0\.questions\.0\.answer.*categories\.0\.questions\.1\.reviewed: must be a date/s,
    );

    const reference = parseFaqCatalog(readLocaleFile("en", "faq"), "en");
    const fewer = structuredClone(readLocaleFile("uz", "faq")) as any;
    fewer.categories[2].questions.pop();
    expect(compareCatalogs(reference, parseFaqCatalog(fewer, "uz"), "uz")).toHaveLength(1);
  });

  it("a citizenship variant in one locale and not in another, and an unknown variant group", () => {
    const reference = parseFaqCatalog(readLocaleFile("en", "faq"), "en");
    const ky = structuredClone(readLocaleFile("ky", "faq")) as any;
    delete ky.categories[0].questions[0].variants.eaeu; // registration-deadline
    ky.categories[3].questions[0].variants = { eaeu: "Кыргызстан жарандары үчүн гана жооп." }; // wages-how-often
    expect(compareCatalogs(reference, parseFaqCatalog(ky, "ky"), "ky")).toEqual([
      'ky: "registration-deadline" has variants [patent], the other locales [patent,eaeu]',
      'ky: "wages-how-often" has variants [eaeu], the other locales []',
    ]);
    ky.categories[0].questions[0].variants = { kyrgyzstan: "Бул топтун аты туура эмес." };
    expect(() => parseFaqCatalog(ky, "ky")).toThrow(/variants/);
  });

  it("a placeholder that differs between locales, or one nothing fills", () => {
    const reference = parseFaqCatalog(readLocaleFile("en", "faq"), "en");
    const tg = structuredClone(readLocaleFile("tg", "faq")) as any;
    const getHelp = tg.categories.find((c: any) => c.id === "trafficking").questions.find((q: any) => q.id === "trafficking-get-help");
    getHelp.answer = getHelp.answer.replace("{{hotlineHours}}", "душанбе–ҷумъа 08:00–17:00");
    tg.categories[0].questions[0].answer += " {{hotlinePhone}}";
    const catalog = parseFaqCatalog(tg, "tg");
    const problems = compareCatalogs(reference, catalog, "tg");
    expect(problems).toContain('tg: "trafficking-get-help" answer has placeholders [], the other locales [hotlineHours]');
    expect(unknownPlaceholders(catalog, "tg")).toEqual(['tg: "registration-deadline" answer has an unknown placeholder {{hotlinePhone}}']);
  });

  it("an answer over 700 characters or a sentence over 20 words; bullet lines are sentences", () => {
    expect(splitSentences("Call now. Do not wait!\n• passport\n• art. 24.2 of the Code\nSee mehnat.tj first.")).toEqual([
      "Call now.",
      "Do not wait!",
      "passport",
      "art. 24.2 of the Code",
      "See mehnat.tj first.",
    ]);
    expect(countWords("Call the hotline: +992 918 85 34 34.")).toBe(4);
    expect(countWords("Hours: {{hotlineHours}}")).toBe(2);
    const long = Array.from({ length: MAX_SENTENCE_WORDS + 1 }, (_, i) => `word${i}`).join(" ") + ".";
    expect(plainLanguageProblems(long, "x")).toEqual([`x has a sentence of 21 words (at most 20): "${long}"`]);
    expect(plainLanguageProblems("Short. ".repeat(120), "y")[0]).toMatch(
      new RegExp(`^y has \\d+ characters \\(at most ${MAX_ANSWER_CHARS}\\)`),
    );
    const faq = structuredClone(readLocaleFile("ru", "faq")) as any;
    faq.categories[0].questions[0].variants.eaeu = `Очень длинный ответ. ${long}`;
    expect(checkPlainLanguage(parseFaqCatalog(faq, "ru"), "ru")).toHaveLength(1);
  });

  it("a form the glossary forbids, in faq.json (fails) and in bot.json (listed only)", () => {
    const glossary = parseGlossary(readLocaleFile("tg", "glossary"), "tg");
    const faq = structuredClone(readLocaleFile("tg", "faq")) as any;
    faq.categories[0].questions[0].answer = faq.categories[0].questions[0].answer.replace("хати боварӣ", "хатти боварӣ");
    faq.categories[6].title = "👮 Агар дастгир шавед";
    faq.categories[0].questions[0].keywords.push("хатти боварӣ"); // keywords are what users type: not checked
    const problems = glossaryViolations(glossary, faqReadableTexts(parseFaqCatalog(faq, "tg"), "tg"));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^tg "registration-deadline" answer: "хатти бовар" \(hotline: use "хати боварӣ"/);
    expect(problems[1]).toMatch(/^tg category "detention" title: "дастгир" \(detention: use "боздошт"/);
    expect(Array.isArray(checkBotGlossary())).toBe(true);
  });

  it("a glossary that lacks a required term or contradicts itself", () => {
    // A generated locale (Uzbek in Latin script) has no glossary: its source is checked instead.
    for (const locale of LOCALES.filter((l) => !GENERATED_LOCALES[l])) {
      const glossary = parseGlossary(readLocaleFile(locale, "glossary"), locale);
      expect(
        glossary.terms.map((term) => term.term),
        locale,
      ).toEqual(expect.arrayContaining([...REQUIRED_TERMS]));
      expect(glossaryContradictions(glossary, locale)).toEqual([]);
    }
    const broken = structuredClone(readLocaleFile("ru", "glossary")) as any;
    broken.terms = broken.terms.filter((term: any) => term.term !== "iom");
    expect(() => parseGlossary(broken, "ru")).toThrow(/lacks the terms iom/);
    const selfish = { terms: REQUIRED_TERMS.map((term) => ({ term, preferred: "горячая линия", forbidden: [{ form: "горяч" }] })) };
    expect(glossaryContradictions(parseGlossary(selfish, "x"), "x")).toHaveLength(REQUIRED_TERMS.length);
  });

  it("covers every locale", () => {
    expect(LOCALES).toEqual(["tg", "ru", "uz", "uz-Latn", "ky", "en"]);
  });
});

describe("hotline holidays", () => {
  it("cover at least 18 months from 2026-12-01, with both Eid dates in every year", () => {
    const holidays = loadHotlineConfig().schedule.holidays;
    expect(checkEidDates(holidays)).toEqual([]);
    expect(holidays.some((holiday) => holiday.date >= "2028-06-01")).toBe(true);
    for (const year of ["2027", "2028"]) {
      for (const name of ["idi-ramazon", "idi-qurbon", "navruz", "new-year"]) {
        expect(
          holidays.some((holiday) => holiday.name === name && holiday.date.startsWith(year)),
          `${year} ${name}`,
        ).toBe(true);
      }
    }
    expect(checkEidDates(holidays.filter((holiday) => !(holiday.name === "idi-qurbon" && holiday.date.startsWith("2028"))))).toEqual([
      'config/hotline.json: 2028 is in "years" but has no "idi-qurbon" date (add it with "estimate": true)',
    ]);
  });
});
