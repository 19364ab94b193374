/**
 * "📍 Where to get help" and the lawyers' /refer, driven with real Telegram updates against the
 * fake Bot API and a real SQLite file. Until the features are installed in src/bot/index.ts, a
 * small bot runs them with the real bot's services (the same user store, lifecycle, lawyer check
 * and database); users register and leave requests through the real bot (`h`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bot, type Context } from "grammy";
import type { Update } from "grammy/types";
import { afterAll, describe, expect, it, vi } from "vitest";
import { callback } from "../src/bot/callbacks.js";
import { type HamrohContext, isRegistered, type RegisteredContext } from "../src/bot/context.js";
import { directoryFeature } from "../src/bot/features/directory.js";
import { referralButton, referralFeature } from "../src/bot/features/referral.js";
import { loadUser } from "../src/bot/middleware/user.js";
import { directoryButton } from "../src/directory/buttons.js";
import { type Directory, directoryPath, loadDirectory } from "../src/directory/catalog.js";
import { DirectoryCounts, directoryStatsText } from "../src/directory/counts.js";
import { sendRequest } from "./helpers/dialog.js";
import { BOT_TOKEN, botInfo } from "./helpers/fake-telegram.js";
import { type Harness, Person, STAFF_CHAT_ID, useHarness } from "./helpers/harness.js";
import { lawyer, staffChat } from "./helpers/staff.js";

const h = useHarness({ now: "2026-11-23T10:00" });
const realDirectory = loadDirectory();
const dir = mkdtempSync(join(tmpdir(), "hamroh-directory-bot-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The directory and /refer on a bot of their own, sharing the harness's services and database. */
function directoryBot(harness: Harness, directory: Directory = realDirectory) {
  const { services } = harness;
  const counts = new DirectoryCounts(harness.db);
  const bot = new Bot<HamrohContext>(BOT_TOKEN, { botInfo, client: { fetch: harness.telegram.fetch } });
  bot.use(
    referralFeature({
      ...services,
      view: services.staffView,
      directory,
      counts,
    }) as never,
  );
  const privateChats = bot.chatType("private");
  privateChats.use(loadUser(services.users, services.translate, services.clock));
  privateChats
    .filter((ctx): ctx is RegisteredContext & typeof ctx => isRegistered(ctx))
    .use(directoryFeature({ ...services, directory, counts }) as never);
  let updateId = 100_000;
  const handle = (update: Omit<Update, "update_id">) => bot.handleUpdate({ update_id: updateId++, ...update } as Update);
  return {
    bot,
    counts,
    handle,
    person: (id: number, languageCode?: string) => new Person({ handle, telegram: harness.telegram }, id, languageCode),
  };
}

/** A user of the real bot with a language and, if given, a stored city and citizenship. */
async function user(id: number, locale: string, options: { city?: string; citizenship?: "tajikistan" | "uzbekistan" } = {}) {
  const person = await h.registered(id, locale);
  if (options.city) await person.press(callback.zoneCity.pack({ city: options.city }));
  if (options.citizenship) await person.press(callback.setCitizenship.pack({ citizenship: options.citizenship }));
  return person;
}

const lastCall = (method: string, chatId: number) => h.telegram.carriedOut(chatId, method).at(-1)!;
const urlButtons = (payload: Record<string, any>) =>
  (payload.reply_markup?.inline_keyboard ?? []).flat().filter((button: any) => button.url);
const callbackButtons = (payload: Record<string, any>) =>
  (payload.reply_markup?.inline_keyboard ?? []).flat().filter((button: any) => button.callback_data);

describe("📍 Where to get help", () => {
  it("by the stored city: the three nearest with kind, name, hours, phones and a map button; the hotline below; counted", async () => {
    await user(8101, "ru", { city: "moscow" });
    const app = directoryBot(h);
    const [screen] = await app.person(8101, "ru").press(directoryButton.open.pack());
    expect(screen!.text).toContain("Куда обратиться</b> · рядом: Москва");
    expect(screen!.text).toContain("<b>1.</b> 🏛 <b>Посольство Республики Таджикистан в Российской Федерации</b>");
    expect(screen!.text).toContain("Посольство · Москва");
    expect(screen!.text).toContain("📍 Москва, улица Чаянова, 3");
    expect(screen!.text).toContain("прежде чем идти, спросите на горячей линии");
    expect(screen!.text).toContain("📞 +7 495 967-98-44 · WhatsApp +7 999 912-58-68");
    expect(screen!.text).toContain("09:00–18:00 (дни не указаны), время: Москва");
    expect(screen!.text).toContain("Комитет «Гражданское содействие»");
    expect(screen!.text).toContain("пн, ср, пт 10:00–17:00");
    expect(screen!.text).toContain("Сначала позвоните и уточните");
    expect(screen!.text).toContain("Горячая линия бесплатно подскажет: +992 918 85 34 34");
    const edit = lastCall("editMessageText", 8101).payload;
    const [map] = urlButtons(edit);
    expect(map.text).toBe("🗺 1. На карте");
    expect(decodeURIComponent(map.url)).toBe("https://www.google.com/maps/search/?api=1&query=Москва, улица Чаянова, 3");
    await vi.waitFor(async () =>
      expect(await app.counts.report()).toEqual(
        expect.arrayContaining([
          { serviceId: "tj-embassy-moscow", shown: 1, referred: 0 },
          { serviceId: "molmep-russia-hotline", shown: 1, referred: 0 },
          { serviceId: "civic-assistance-moscow", shown: 1, referred: 0 },
        ]),
      ),
    );
  });

  it("filters by kind: legal help in St Petersburg shows no embassy; the filter is marked", async () => {
    await user(8102, "en", { city: "saint-petersburg" });
    const app = directoryBot(h);
    const [screen] = await app.person(8102, "en").press(directoryButton.list.pack({ city: "saint-petersburg", need: "legal" }));
    expect(screen!.text).toContain("<i>Showing: ⚖️ Legal help</i>");
    expect(screen!.text).not.toContain("Embassy");
    expect(screen!.text).toContain("Civic Assistance Committee");
    expect(screen!.buttons.flat().map((button) => button.text)).toContain("✅ ⚖️ Legal help");
  });

  it("from an FAQ or emergency link: consulates near the user's city; a citizen of Uzbekistan is sent to their own embassy", async () => {
    await user(8103, "uz", { city: "yekaterinburg", citizenship: "uzbekistan" });
    const app = directoryBot(h);
    const [screen] = await app.person(8103, "uz").press(directoryButton.need.pack({ need: "consulate" }));
    expect(screen!.text).not.toContain("Тожикистон Республикасининг Екатеринбургдаги бош консуллиги");
    expect(screen!.text).toContain("Бошқа давлатлар фуқаролари: ўз давлатингиз элчихонаси");
    await user(8104, "tg", { city: "yekaterinburg", citizenship: "tajikistan" });
    const [tajik] = await app.person(8104, "tg").press(directoryButton.need.pack({ need: "consulate" }));
    expect(tajik!.text).toContain("<b>1.</b> 🏛 <b>Консулгарии генералии Ҷумҳурии Тоҷикистон дар Екатеринбург</b>");
    expect(tajik!.text).toContain("📞 +7 343 370-23-60");
  });

  it("by a shared location, used once: the nearest three, the keyboard removed, and nothing about the location stored", async () => {
    await user(8105, "en");
    const app = directoryBot(h);
    const person = app.person(8105, "en");
    const [chooser] = await person.press(directoryButton.open.pack());
    expect(chooser!.text).toContain("Share your location once (it is not saved), or choose a city.");
    await person.press(directoryButton.nearMe.pack({ need: "consulate" }));
    const ask = lastCall("sendMessage", 8105).payload;
    expect(ask.reply_markup.keyboard[0][0]).toEqual({ text: "📍 Share my location", request_location: true });
    // Yekaterinburg, near the railway station.
    const lat = 56.858512;
    const lon = 60.600813;
    const answers = await person.sendOther({ location: { latitude: lat, longitude: lon } });
    expect(answers[0]!.text).toBe("Thank you. I used your location only for this answer and did not save it.");
    expect(lastCall("sendMessage", 8105).payload.reply_markup).toBeDefined();
    const removed = h.telegram.carriedOut(8105, "sendMessage").find((call) => call.payload.reply_markup?.remove_keyboard);
    expect(removed?.payload.text).toBe(answers[0]!.text);
    const list = answers[1]!.text;
    expect(list).toContain("Where to get help</b> · near you");
    expect(list).toContain("<i>Showing: 🏛 Embassy, consulate</i>");
    expect(list.indexOf("Yekaterinburg</b>")).toBeLessThan(list.indexOf("Ufa</b>"));
    expect(list).toContain("Consulate · in Yekaterinburg");
    expect(list).toContain("Consulate · Ufa, about ");

    // Nothing of the location anywhere in the database: no table holds the coordinates, the profile has no city.
    const tables = await h.db.$queryRawUnsafe<{ name: string }[]>("SELECT name FROM sqlite_master WHERE type = 'table'");
    for (const { name } of tables) {
      const rows = await h.db.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${name}"`);
      const dump = JSON.stringify(rows, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
      expect(dump, name).not.toContain("56.85");
      expect(dump, name).not.toContain("60.60");
    }
    expect(await h.db.user.findUniqueOrThrow({ where: { telegramId: 8105n } })).toMatchObject({ city: null, timeZone: null });
  });

  it("from Khujand: the hotline first; a live location's updates get no answer; Cancel on the keyboard", async () => {
    await user(8106, "tg");
    const app = directoryBot(h);
    const person = app.person(8106, "tg");
    const [, list] = await person.sendOther({ location: { latitude: 40.2826, longitude: 69.6222, live_period: 600 } });
    expect(list!.text).toContain("<b>1.</b> ⚖️ <b>Хати боварии ҳуқуқии ройгон");
    expect(list!.text).toContain("Ёрии ройгони ҳуқуқӣ · дар Хуҷанд");
    const before = h.telegram.calls.length;
    await app.handle({
      edited_message: {
        message_id: 1,
        date: 1,
        edit_date: 2,
        chat: person.chat,
        from: person.from,
        location: { latitude: 40.3, longitude: 69.6 },
      },
    } as never);
    expect(h.telegram.calls.length).toBe(before);
    await person.press(directoryButton.nearMe.pack({ need: "all" }));
    const [cancelled] = await person.send("✖️ Бекор кардан");
    expect(cancelled!.text).toBe("Хуб, бе ҷойгиршавӣ.");
  });

  it("sends the place as a venue when the building's coordinates are known", async () => {
    const data = JSON.parse(readFileSync(directoryPath(), "utf8"));
    const iom = data.services.find((service: { id: string }) => service.id === "iom-dushanbe");
    iom.location = { lat: 38.5601, lon: 68.7712, source: "test fixture, not a real coordinate" };
    const path = join(dir, "with-location.json");
    writeFileSync(path, JSON.stringify(data));
    await user(8107, "en", { city: "dushanbe" });
    const app = directoryBot(h, loadDirectory(path));
    const person = app.person(8107, "en");
    const [screen] = await person.press(directoryButton.list.pack({ city: "dushanbe", need: "protection" }));
    const venueButton = screen!.buttons.flat().find((button) => button.data === directoryButton.venue.pack({ id: "iom-dushanbe" }));
    expect(venueButton?.text).toBe("📍 1. Send the place");
    await person.press(venueButton!.data);
    expect(lastCall("sendVenue", 8107).payload).toMatchObject({
      latitude: 38.5601,
      longitude: 68.7712,
      title: "IOM (International Organization for Migration), Mission in Tajikistan",
      address: "22A Azizbekov St., 2nd driveway, Dushanbe 734013",
    });
    // A place without coordinates is never sent as a venue, whatever the button says.
    const [alert] = [await person.press(directoryButton.venue.pack({ id: "tj-embassy-moscow" }))];
    expect(alert).toEqual([]);
    expect(h.telegram.callsOf("answerCallbackQuery").at(-1)!.payload.text).toBe(
      "This place has no exact map point yet. Use the address, or call first.",
    );
  });
});

/** A lawyer's message in the staff group, to the directory bot. */
async function lawyerSends(
  app: ReturnType<typeof directoryBot>,
  content: Record<string, unknown>,
  from = lawyer(900, "Dilnoza"),
): Promise<number> {
  const messageId = h.telegram.issueId();
  await app.handle({ message: { message_id: messageId, date: 1, chat: staffChat, from, ...content } } as never);
  return messageId;
}
const refer = { text: "/refer", entities: [{ type: "bot_command", offset: 0, length: 6 }] };
const replyToCard = (messageId: number) => ({ reply_to_message: { message_id: messageId, date: 1, chat: staffChat } });

async function pressInStaff(app: ReturnType<typeof directoryBot>, data: string, messageId: number, from = lawyer(900, "Dilnoza")) {
  await app.handle({
    callback_query: {
      id: String(Math.random()),
      from,
      chat_instance: "s",
      data,
      message: { message_id: messageId, date: 1, chat: staffChat, text: "offer" },
    },
  } as never);
}

async function postedRequest(userId: number, locale: string, city: string) {
  const person = await user(userId, locale);
  await sendRequest(person, { city, topic: "detention" });
  await h.outbox.run();
  return h.db.request.findFirstOrThrow({ where: { user: { telegramId: BigInt(userId) } } });
}

describe("/refer in the staff group", () => {
  it("offers the client's city first; the chosen service reaches the client in their language; the card notes it; counted", async () => {
    const request = await postedRequest(8201, "tg", "Екатеринбург");
    const app = directoryBot(h);
    await lawyerSends(app, { ...refer, ...replyToCard(request.staffMessageId!) });
    const offer = lastCall("sendMessage", STAFF_CHAT_ID);
    expect(offer.payload.text).toBe(
      "📍 Refer <b>A-1001</b> (Russia, Yekaterinburg) to a service. The client gets it in their own language, with a map. ⚠️ means not confirmed yet.",
    );
    expect(offer.payload.reply_parameters).toEqual({ message_id: expect.any(Number) });
    const options = callbackButtons(offer.payload);
    expect(options[0]).toEqual({
      text: "🏛 Consulate General of Tajikistan in Yekaterinburg · Yekaterinburg ⚠️",
      callback_data: "ref:p:1:tj-consulate-yekaterinburg",
    });
    for (const button of options) expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);

    await pressInStaff(app, referralButton.pick.pack({ requestId: request.id, id: "tj-consulate-yekaterinburg" }), offer.messageId!);
    const toClient = lastCall("sendMessage", 8201).payload;
    expect(toClient.text).toContain("📍 Ҳуқуқшинос оид ба дархости шумо A-1001 ин ҷойро тавсия медиҳад:");
    expect(toClient.text).toContain("🏛 <b>Консулгарии генералии Ҷумҳурии Тоҷикистон дар Екатеринбург</b>");
    expect(toClient.text).toContain("📍 Екатеринбург, кӯчаи Гражданская, 2");
    expect(toClient.text).toContain("📞 +7 343 370-23-60");
    expect(toClient.text).toContain("Аввал занг зада санҷед");
    expect(urlButtons(toClient)[0].text).toBe("🗺 Дар харита");
    expect(callbackButtons(toClient).map((button: any) => button.callback_data)).toEqual([
      directoryButton.open.pack(),
      callback.menu.pack(),
    ]);

    expect(await h.db.requestEvent.findMany({ where: { requestId: request.id, kind: "referred" } })).toMatchObject([
      { lawyerName: "Dilnoza", detail: "tj-consulate-yekaterinburg" },
    ]);
    expect((await h.db.request.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("taken");
    const card = h.telegram
      .callsOf("editMessageText")
      .filter((call) => call.payload.message_id === request.staffMessageId)
      .at(-1)!.payload.text;
    expect(card).toContain("Referred by Dilnoza: tj-consulate-yekaterinburg, 23 Nov 10:00");
    expect(h.telegram.callsOf("editMessageText").find((call) => call.payload.message_id === offer.messageId)?.payload.text).toBe(
      "✅ Sent to the client (A-1001): Consulate General of Tajikistan in Yekaterinburg",
    );
    expect(await app.counts.report()).toEqual([{ serviceId: "tj-consulate-yekaterinburg", shown: 0, referred: 1 }]);
    const t = h.services.translate.en;
    expect(directoryStatsText(t, "en", await app.counts.report(), realDirectory)).toBe(
      "<b>Where to get help: shown and referred</b>\n• Consulate General of Tajikistan in Yekaterinburg: shown 0, referred 1",
    );
  });

  it("works in a request's topic; never relays /refer to the client; only lawyers; closed or unknown requests are refused", async () => {
    h.telegram.forum = true;
    const request = await postedRequest(8202, "ru", "Москва");
    expect(request.staffThreadId).not.toBeNull();
    const app = directoryBot(h);
    const sentToClient = () => h.telegram.carriedOut(8202, "sendMessage").length;
    const before = sentToClient();
    await lawyerSends(app, { ...refer, message_thread_id: request.staffThreadId!, is_topic_message: true });
    const offer = lastCall("sendMessage", STAFF_CHAT_ID).payload;
    expect(offer.message_thread_id).toBe(request.staffThreadId);
    expect(callbackButtons(offer)[0].callback_data).toBe("ref:p:1:tj-embassy-moscow");
    expect(callbackButtons(offer).map((button: any) => button.callback_data)).toContain(referralButton.all.pack({ requestId: request.id }));
    expect(sentToClient()).toBe(before);

    h.telegram.memberStatus.set(901, "member");
    await lawyerSends(app, { ...refer, message_thread_id: request.staffThreadId!, is_topic_message: true }, lawyer(901, "Guest"));
    expect(lastCall("sendMessage", STAFF_CHAT_ID).payload.text).toBe(h.services.translate.en("staff.onlyLawyers"));
    await pressInStaff(app, referralButton.pick.pack({ requestId: request.id, id: "tj-embassy-moscow" }), 1, lawyer(901, "Guest"));
    expect(sentToClient()).toBe(before);

    await lawyerSends(app, refer);
    expect(lastCall("sendMessage", STAFF_CHAT_ID).payload.text).toBe("Write /refer in a request's topic, or as a reply to its card.");

    await h.services.requests.close(request.id, "answered", new Date());
    await lawyerSends(app, { ...refer, message_thread_id: request.staffThreadId!, is_topic_message: true });
    expect(lastCall("sendMessage", STAFF_CHAT_ID).payload.text).toBe("A-1001 is closed: the message was not sent.");
    await pressInStaff(app, referralButton.pick.pack({ requestId: request.id, id: "tj-embassy-moscow" }), 1);
    expect(sentToClient()).toBe(before);
  });

  it("shows every service on request, cancels, and refuses a service no longer in the directory", async () => {
    const request = await postedRequest(8205, "en", "Kazan");
    const app = directoryBot(h);
    await lawyerSends(app, { ...refer, ...replyToCard(request.staffMessageId!) });
    const offer = lastCall("sendMessage", STAFF_CHAT_ID);
    expect(offer.payload.text).toContain("(Russia, Kazan)");
    expect(callbackButtons(offer.payload).length).toBe(8 + 2);
    await pressInStaff(app, referralButton.all.pack({ requestId: request.id }), offer.messageId!);
    const all = h.telegram.callsOf("editMessageText").at(-1)!.payload;
    expect(callbackButtons(all).length).toBe(realDirectory.services.length + 1);
    await pressInStaff(app, referralButton.pick.pack({ requestId: request.id, id: "gone-service" }), offer.messageId!);
    expect(h.telegram.callsOf("answerCallbackQuery").at(-1)!.payload.text).toBe("This service is no longer in the directory.");
    await pressInStaff(app, referralButton.cancel.pack({ requestId: request.id }), offer.messageId!);
    expect(h.telegram.callsOf("editMessageText").at(-1)!.payload.text).toBe("Referral cancelled.");
    await pressInStaff(app, referralButton.pick.pack({ requestId: 999, id: "tj-embassy-moscow" }), offer.messageId!);
    expect(h.telegram.callsOf("answerCallbackQuery").at(-1)!.payload.text).toBe("Unknown request.");
    // A referral button pressed outside the staff group does nothing but say so.
    await user(8206, "en");
    await app.person(8206, "en").press(referralButton.pick.pack({ requestId: request.id, id: "tj-embassy-moscow" }));
    expect(h.telegram.callsOf("answerCallbackQuery").at(-1)!.payload).toMatchObject({
      text: "This works only in the lawyers' staff group.",
      show_alert: true,
    });
    expect(await h.db.requestEvent.count({ where: { kind: "referred" } })).toBe(0);
  });

  it("tells the lawyer when the client blocked the bot, and notes nothing", async () => {
    const request = await postedRequest(8203, "en", "Kazan");
    const app = directoryBot(h);
    h.telegram.failNext("sendMessage", { error_code: 403, description: "Forbidden: bot was blocked by the user" }, 1, 8203);
    await pressInStaff(app, referralButton.pick.pack({ requestId: request.id, id: "molmep-russia-hotline" }), 1);
    expect(h.telegram.callsOf("answerCallbackQuery").at(-1)!.payload).toMatchObject({
      text: "❌ Not delivered: the client has blocked the bot (A-1001).",
      show_alert: true,
    });
    expect(await h.db.requestEvent.count({ where: { kind: "referred" } })).toBe(0);
  });

  it("/refer elsewhere is not this feature's: private chats get the rest of the bot", async () => {
    const app = directoryBot(h);
    await user(8204, "en");
    const handled = vi.fn();
    app.bot.use((ctx: Context) => handled(ctx.message?.text));
    await app.person(8204, "en").send("/refer");
    expect(handled).toHaveBeenCalledWith("/refer");
  });
});
