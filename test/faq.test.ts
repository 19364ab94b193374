import { describe, expect, it } from "vitest";
import { callback } from "../src/bot/callbacks.js";
import { loadFaqCatalogs } from "../src/faq/catalog.js";
import { normalizeForSearch } from "../src/faq/search.js";
import { LOCALES, type Locale } from "../src/i18n.js";
import { escapeHtml } from "../src/shared/html.js";
import { CITIZENSHIPS } from "../src/users/citizenship.js";
import { buttonData, useHarness } from "./helpers/harness.js";

const catalogs = loadFaqCatalogs();
const h = useHarness();

const personIn = (locale: Locale, id = 2001) => h.registered(id, locale);

describe("FAQ navigation", () => {
  it.each(LOCALES)("goes categories → questions → answer → back → main menu in %s", async (locale) => {
    const person = await personIn(locale);
    const catalog = catalogs[locale];
    const [categories] = await person.press(callback.faqCategories.pack());
    expect(buttonData(categories!)).toEqual([...catalog.categories.map((c) => `faq:c:${c.id}`), "menu"]);

    const category = catalog.categories[1]!;
    const [questions] = await person.press(callback.faqCategory.pack({ categoryId: category.id }));
    expect(questions!.text).toContain(escapeHtml(category.title));
    expect(buttonData(questions!)).toEqual([...category.questions.map((q) => `faq:q:${q.id}`), "faq", "menu"]);

    const question = category.questions[0]!;
    const [answer] = await person.press(callback.faqQuestion.pack({ questionId: question.id }));
    expect(answer!.method).toBe("editMessageText");
    expect(answer!.parseMode).toBe("HTML");
    expect(answer!.text).toContain(escapeHtml(question.answer));
    expect(answer!.text).toMatch(/2026/); // the "last reviewed" date
    // Where the rules differ by citizenship, the user is asked theirs above the other buttons.
    const citizenship = question.variants
      ? CITIZENSHIPS.map((c) => callback.setCitizenshipFor.pack({ citizenship: c, questionId: question.id }))
      : [];
    expect(buttonData(answer!)).toEqual([
      ...citizenship,
      `faq:v:${question.id}:y`,
      `faq:v:${question.id}:n`,
      `ask:faq:${question.id}`,
      `faq:c:${category.id}`,
      "menu",
    ]);

    const [back] = await person.press(callback.faqCategory.pack({ categoryId: category.id }));
    expect(buttonData(back!)).toContain(`faq:q:${question.id}`);
    const [menu] = await person.press(callback.menu.pack());
    expect(buttonData(menu!)).toEqual(["faq", "hot", "ask", "myreq", "sos", "dir", "lang", "cit", "zone", "notices", "privacy"]);
  });

  it("says that rules which change often need a lawyer's confirmation", async () => {
    const person = await personIn("en");
    const volatile = [...catalogs.en.questions.values()].find((q) => q.volatile)!;
    const stable = [...catalogs.en.questions.values()].find((q) => !q.volatile)!;
    expect((await person.press(callback.faqQuestion.pack({ questionId: volatile.id })))[0]!.text).toContain("These rules change often");
    expect((await person.press(callback.faqQuestion.pack({ questionId: stable.id })))[0]!.text).not.toContain("These rules change often");
  });

  it("counts views and one helpful vote per person and question", async () => {
    const first = await personIn("ru", 2002);
    const second = await personIn("ru", 2003);
    await first.press(callback.faqQuestion.pack({ questionId: "wages-not-paid" }));
    await second.press(callback.faqQuestion.pack({ questionId: "wages-not-paid" }));
    await first.press(callback.faqVote.pack({ questionId: "wages-not-paid", helpful: true }));
    await first.press(callback.faqVote.pack({ questionId: "wages-not-paid", helpful: false })); // changes the vote, does not add one
    await second.press(callback.faqVote.pack({ questionId: "wages-not-paid", helpful: true }));
    const thanks = h.telegram.callsOf("answerCallbackQuery").at(-1)!;
    const ru = (await import("../locales/ru/bot.json", { with: { type: "json" } })).default;
    expect(thanks.payload.text).toBe(ru.faq.thanks);

    await h.faqViews.flush();
    await first.press(callback.faqQuestion.pack({ questionId: "wages-not-paid" }));
    await h.faqViews.flush();
    expect(await h.db.faqView.findUnique({ where: { questionId: "wages-not-paid" } })).toMatchObject({ views: 3 });
    const votes = await h.db.faqVote.groupBy({
      by: ["helpful"],
      where: { questionId: "wages-not-paid" },
      _count: true,
      orderBy: { helpful: "asc" },
    });
    expect(votes.map((v) => [v.helpful, v._count])).toEqual([
      [false, 1],
      [true, 1],
    ]);
    const stored = await h.db.faqVote.findMany({ where: { questionId: "wages-not-paid" } });
    expect(stored.map((vote) => vote.votedAt.toISOString().slice(0, 4))).toEqual(["2026", "2026"]);
  });
});

describe("expired and forged buttons", () => {
  // Data the bot never makes, or no longer knows: pressed raw on purpose.
  it.each([
    "faq:q:no-such-question",
    "faq:c:no-such-category",
    "faq:v:no-such:y",
    "zone:city:atlantis",
    "zone:utc:99",
    "lang:fr",
    "garbage",
    "faq:q:../../etc",
    "",
  ])("answers %j with 'this menu has expired' and the menu", async (data) => {
    const person = await personIn("ky", 2004);
    const [screen] = await person.press(data);
    const ky = (await import("../locales/ky/bot.json", { with: { type: "json" } })).default;
    expect(screen!.text).toContain(ky.fallback.expired);
    expect(buttonData(screen!)).toEqual(["faq", "hot", "ask", "myreq", "sos", "dir", "lang", "cit", "zone", "notices", "privacy"]);
    expect(h.telegram.callsOf("answerCallbackQuery").length).toBeGreaterThan(0);
  });
});

describe("typed questions", () => {
  const resultIds = (screen: { buttons: { data: string }[][] }) => buttonData(screen as never).filter((d) => d.startsWith("faq:q:"));

  it("finds answers in English and Russian", async () => {
    const en = await personIn("en", 2005);
    expect(resultIds((await en.send("my employer does not pay my salary"))[0]!)).toContain("faq:q:wages-not-paid");
    const ru = await personIn("ru", 2006);
    expect(resultIds((await ru.send("работодатель забрал паспорт"))[0]!)).toContain("faq:q:documents-employer-keeps-passport");
  });

  it("finds a Tajik answer typed with Russian look-alike letters and decomposed letters", async () => {
    const tg = await personIn("tg", 2007);
    const proper = resultIds((await tg.send("корфармо шиносномаамро гирифт"))[0]!);
    expect(proper).toContain("faq:q:documents-employer-keeps-passport");
    // ҳ→х, ҷ→ч, қ→к, ӣ typed as и + combining macron.
    const lookalike = resultIds((await tg.send("корфармо шиносномаамро гирифт".replace(/қ/g, "к")))[0]!);
    expect(lookalike).toEqual(proper);
    const withLookalikes = resultIds((await tg.send("хуччатхо"))[0]!);
    expect(withLookalikes.length).toBeGreaterThan(0);
    expect(withLookalikes).toEqual(resultIds((await tg.send("ҳуҷҷатҳо"))[0]!));
  });

  it("finds Uzbek answers whatever apostrophe the user types", async () => {
    const uz = await personIn("uz", 2008);
    const cyrillic = resultIds((await uz.send("патент"))[0]!);
    expect(cyrillic.length).toBeGreaterThan(0);
    expect(normalizeForSearch("ro‘yxat")).toBe(normalizeForSearch("ro'yxat"));
    expect(normalizeForSearch("roʻyxat")).toBe(normalizeForSearch("ro`yxat"));
  });

  it("offers the hotline when nothing matches, and asks for words when there are none", async () => {
    const person = await personIn("en", 2009);
    const [miss] = await person.send("xylophone quartz zebra");
    expect(miss!.text).toContain("+992 918 85 34 34");
    expect(buttonData(miss!)).toEqual(["ask", "hot", "faq", "menu"]);
    const [short] = await person.send("?!");
    expect(short!.text).toContain("few words");
  });

  it("searches only the beginning of a very long message and says so", async () => {
    const person = await personIn("en", 2010);
    const [screen] = await person.send(`salary not paid ${"word ".repeat(2000)}`);
    expect(screen!.text).toContain("searched only its beginning");
    expect(resultIds(screen!)).toContain("faq:q:wages-not-paid");
  });
});

describe("search normalisation", () => {
  it("composes to NFC and folds Tajik/Russian look-alikes for matching only", () => {
    expect(normalizeForSearch("Ҳуқуқи")).toBe(normalizeForSearch("хукуки"));
    expect(normalizeForSearch("ки\u0304")).toBe(normalizeForSearch("кӣ"));
    expect(normalizeForSearch("ЧӮ")).toBe("чу");
    expect(normalizeForSearch("Ёрдам")).toBe("ердам");
  });
});
