import { describe, expect, it } from "vitest";
import { broadcastDialogButton, callback, dialogButton, requestDialogButton } from "../src/bot/callbacks.js";
import { loadFaqCatalogs } from "../src/faq/catalog.js";
import { CITY_ZONES, offsetZone, UTC_OFFSETS } from "../src/hotline/zones.js";
import { LOCALES } from "../src/i18n.js";
import { COUNTRIES, OUTCOMES, TOPICS } from "../src/requests/domain.js";
import { staffButton } from "../src/requests/staff/card.js";
import { CALLBACK_DATA_MAX_BYTES, type CallbackData, callbackData, field } from "../src/telegram/callback-data.js";
import { CITIZENSHIPS } from "../src/users/citizenship.js";

type AnyDeclaration = CallbackData<any>;

const catalogs = Object.values(loadFaqCatalogs());
/** Every FAQ question id and category id of every locale. */
const questionIds = [...new Set(catalogs.flatMap((catalog) => [...catalog.questions.keys()]))];
const categoryIds = [...new Set(catalogs.flatMap((catalog) => catalog.categories.map((category) => category.id)))];
/** Request, message and user ids: from the first to the largest that fits the field (10 digits). */
const ids = [1, 1042, 9_999_999_999];
const zones = [...new Set([...CITY_ZONES.map((entry) => entry.zone), ...UTC_OFFSETS.map(offsetZone)])];
/** What the broadcast dialog offers at its steps: languages, "done", audiences, zones, topics, send or edit. */
const broadcastChoices = [...LOCALES, "done", "all", "language", "zone", "topic", ...zones, ...TOPICS, "send", "edit"];

/** Every combination of the given field values. */
function combinations<V extends Record<string, unknown>>(fields: { [K in keyof V]: readonly V[K][] }): V[] {
  return Object.entries(fields).reduce<Record<string, unknown>[]>(
    (partial, [name, values]) =>
      partial.flatMap((combination) => (values as unknown[]).map((value) => ({ ...combination, [name]: value }))),
    [{}],
  ) as V[];
}

const none = [{}];

/** Every declaration with every value it is packed with in the bot (and the largest ids). */
const declarations: Record<string, { declaration: AnyDeclaration; values: Record<string, unknown>[] }> = {
  "callback.menu": { declaration: callback.menu, values: none },
  "callback.languagePicker": { declaration: callback.languagePicker, values: none },
  "callback.setLanguage": { declaration: callback.setLanguage, values: combinations({ locale: LOCALES }) },
  "callback.faqCategories": { declaration: callback.faqCategories, values: none },
  "callback.faqCategory": { declaration: callback.faqCategory, values: combinations({ categoryId: categoryIds }) },
  "callback.faqQuestion": { declaration: callback.faqQuestion, values: combinations({ questionId: questionIds }) },
  "callback.faqVote": { declaration: callback.faqVote, values: combinations({ questionId: questionIds, helpful: [true, false] }) },
  "callback.hotline": { declaration: callback.hotline, values: none },
  "callback.zonePicker": { declaration: callback.zonePicker, values: none },
  "callback.zoneCity": { declaration: callback.zoneCity, values: combinations({ city: CITY_ZONES.map((entry) => entry.city) }) },
  "callback.zoneOther": { declaration: callback.zoneOther, values: none },
  "callback.zoneOffset": { declaration: callback.zoneOffset, values: combinations({ offset: UTC_OFFSETS }) },
  "callback.emergency": { declaration: callback.emergency, values: none },
  "callback.ask": { declaration: callback.ask, values: none },
  "callback.askAbout": { declaration: callback.askAbout, values: combinations({ questionId: questionIds }) },
  "callback.askByVoice": { declaration: callback.askByVoice, values: none },
  "staffButton.takeOver": { declaration: staffButton.takeOver, values: combinations({ requestId: ids }) },
  "staffButton.readyAnswer": { declaration: staffButton.readyAnswer, values: combinations({ requestId: ids, questionId: questionIds }) },
  "dialogButton.continue": { declaration: dialogButton.continue, values: none },
  "dialogButton.discard": { declaration: dialogButton.discard, values: none },
  "callback.myRequests": { declaration: callback.myRequests, values: none },
  "callback.citizenshipPicker": { declaration: callback.citizenshipPicker, values: none },
  "callback.setCitizenship": { declaration: callback.setCitizenship, values: combinations({ citizenship: CITIZENSHIPS }) },
  "callback.setCitizenshipFor": {
    declaration: callback.setCitizenshipFor,
    values: combinations({ citizenship: CITIZENSHIPS, questionId: questionIds }),
  },
  "callback.notices": { declaration: callback.notices, values: none },
  "callback.toggleNotices": { declaration: callback.toggleNotices, values: none },
  "callback.privacy": { declaration: callback.privacy, values: none },
  "callback.myData": { declaration: callback.myData, values: none },
  "callback.forget": { declaration: callback.forget, values: none },
  "callback.forgetConfirmed": { declaration: callback.forgetConfirmed, values: none },
  "callback.rate": { declaration: callback.rate, values: combinations({ requestId: ids, stars: ["1", "2", "3", "4", "5"] as const }) },
  "callback.followUp": { declaration: callback.followUp, values: combinations({ requestId: ids, messageId: ids }) },
  "callback.searchInstead": { declaration: callback.searchInstead, values: combinations({ messageId: ids }) },
  "requestDialogButton.cancel": { declaration: requestDialogButton.cancel, values: none },
  "requestDialogButton.topic": { declaration: requestDialogButton.topic, values: combinations({ topic: TOPICS }) },
  "requestDialogButton.country": { declaration: requestDialogButton.country, values: combinations({ country: COUNTRIES }) },
  "requestDialogButton.skip": { declaration: requestDialogButton.skip, values: none },
  "requestDialogButton.continue": { declaration: requestDialogButton.continue, values: none },
  "requestDialogButton.replyVia": {
    declaration: requestDialogButton.replyVia,
    values: combinations({ via: ["telegram", "call"] as const }),
  },
  "requestDialogButton.consent": { declaration: requestDialogButton.consent, values: combinations({ answer: ["yes", "no"] as const }) },
  "requestDialogButton.send": { declaration: requestDialogButton.send, values: none },
  "requestDialogButton.edit": { declaration: requestDialogButton.edit, values: none },
  "requestDialogButton.field": {
    declaration: requestDialogButton.field,
    values: combinations({ field: ["topic", "place", "question", "reply"] as const }),
  },
  "broadcastDialogButton.cancel": { declaration: broadcastDialogButton.cancel, values: none },
  "broadcastDialogButton.choice": { declaration: broadcastDialogButton.choice, values: combinations({ value: broadcastChoices }) },
  "staffButton.take": { declaration: staffButton.take, values: combinations({ requestId: ids }) },
  "staffButton.close": { declaration: staffButton.close, values: combinations({ requestId: ids }) },
  "staffButton.back": { declaration: staffButton.back, values: combinations({ requestId: ids }) },
  "staffButton.outcome": { declaration: staffButton.outcome, values: combinations({ requestId: ids, outcome: OUTCOMES }) },
};
const entries = Object.entries(declarations);

const isDeclaration = (value: unknown): value is AnyDeclaration =>
  typeof value === "object" && value !== null && "pack" in value && "unpack" in value;

describe("callback data declarations", () => {
  it("are all covered here", () => {
    const declared = Object.entries({ callback, dialogButton, requestDialogButton, broadcastDialogButton, staffButton }).flatMap(
      ([group, members]) =>
        Object.entries(members)
          .filter(([, member]) => isDeclaration(member))
          .map(([name]) => `${group}.${name}`),
    );
    expect(Object.keys(declarations).sort()).toEqual(declared.sort());
    // Real values, not a handful: every FAQ id of every locale.
    expect(questionIds.length).toBeGreaterThan(30);
    expect(categoryIds.length).toBeGreaterThanOrEqual(8);
  });

  it.each(entries)(
    "%s packs every value it is used with (the longest too) within 64 bytes, and unpacks it back",
    (_, { declaration, values }) => {
      let longest = 0;
      for (const value of values) {
        const data = declaration.pack(value);
        longest = Math.max(longest, Buffer.byteLength(data));
        expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
        expect(declaration.trigger.test(data)).toBe(true);
        expect(declaration.unpack(data)).toEqual(value);
      }
      expect(longest).toBeGreaterThan(0);
    },
  );

  it.each(entries)("%s refuses forged data: an extra part, a field too long, a wrong prefix", (_, { declaration, values }) => {
    const data = declaration.pack(values.at(-1)!);
    expect(declaration.unpack(`${data}:1`)).toBeUndefined();
    expect(declaration.unpack(`${data}x`.padEnd(200, "x"))).toBeUndefined();
    expect(declaration.unpack(`x${data}`)).toBeUndefined();
    expect(declaration.unpack(` ${data}`)).toBeUndefined();
    expect(declaration.unpack(`${data}\n`)).toBeUndefined();
    expect(declaration.unpack("")).toBeUndefined();
    expect(declaration.unpack(undefined)).toBeUndefined();
  });

  const forged: [AnyDeclaration, string][] = [
    [callback.setLanguage, "lang:fr"],
    [callback.setLanguage, "lang:RU"],
    [callback.faqQuestion, "faq:q:../../etc"],
    [callback.faqQuestion, `faq:q:${"a".repeat(49)}`],
    [callback.faqVote, "faq:v:wages-not-paid:maybe"],
    [callback.faqVote, "faq:v:wages-not-paid"],
    [callback.zoneOffset, "zone:utc:+3"],
    [callback.zoneOffset, "zone:utc:3.5"],
    [callback.rate, "rate:1:6"],
    [callback.rate, "rate:1:0"],
    [callback.followUp, "fu:1"],
    [callback.followUp, "fu:12345678901:1"],
    [requestDialogButton.topic, "ask:topic:wages"],
    [requestDialogButton.country, "ask:country:atlantis"],
    [requestDialogButton.replyVia, "ask:via:pigeon"],
    [broadcastDialogButton.choice, "bc:send:now"],
    [broadcastDialogButton.choice, `bc:${"a".repeat(49)}`],
    [staffButton.take, "req:take:abc"],
    [staffButton.take, "req:take:"],
    [staffButton.outcome, "req:outcome:1:resolved"],
    [staffButton.outcome, "req:outcome:answered:1"],
  ];
  it.each(forged.map(([declaration, data]) => [declaration.prefix, data, declaration] as const))(
    "%s refuses %j (a wrong field)",
    (_, data, declaration) => {
      expect(declaration.unpack(data)).toBeUndefined();
    },
  );

  it("pack refuses values that do not fit the declaration", () => {
    const refuse = (pack: () => string) => expect(pack).toThrow(/does not fit|longer than/);
    refuse(() => callback.faqQuestion.pack({ questionId: "a".repeat(49) }));
    refuse(() => callback.faqQuestion.pack({ questionId: "Wages" }));
    refuse(() => callback.faqQuestion.pack({ questionId: "wages:y" }));
    refuse(() => callback.faqCategory.pack({ categoryId: "" }));
    refuse(() => callback.setLanguage.pack({ locale: "fr" as never }));
    refuse(() => requestDialogButton.topic.pack({ topic: "wages" as never }));
    refuse(() => staffButton.outcome.pack({ requestId: 1, outcome: "resolved" as never }));
    refuse(() => staffButton.take.pack({ requestId: 12_345_678_901 }));
    refuse(() => staffButton.take.pack({ requestId: 1.5 }));
    refuse(() => staffButton.take.pack({ requestId: Number.NaN }));
    refuse(() => callback.rate.pack({ requestId: 1, stars: "6" as never }));
    refuse(() => broadcastDialogButton.choice.pack({ value: "send:now" }));
    refuse(() => broadcastDialogButton.choice.pack({ value: "" }));
  });

  it("pack refuses data over 64 bytes, even when each field fits", () => {
    const long = callbackData("a-prefix-that-is-rather-long", { id: field.slug, other: field.slug });
    expect(long.pack({ id: "short", other: "short" })).toBe("a-prefix-that-is-rather-long:short:short");
    expect(() => long.pack({ id: "a".repeat(30), other: "b".repeat(30) })).toThrow(
      `longer than Telegram's ${CALLBACK_DATA_MAX_BYTES} bytes`,
    );
    // Counted in bytes, not characters.
    expect(Buffer.byteLength(callbackData("д".repeat(32)).pack())).toBe(64);
    expect(() => callbackData("д".repeat(33)).pack()).toThrow("longer than");
  });
});
