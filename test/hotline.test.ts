import { describe, expect, it } from "vitest";
import { callback } from "../src/bot/callbacks.js";
import { loadContent } from "../src/content.js";
import { buttonData, useHarness } from "./helpers/harness.js";

const h = useHarness();

const en = (await import("../locales/en/bot.json", { with: { type: "json" } })).default;

const personIn = (locale: string, id = 3001) => h.registered(id, locale);

describe("hotline screen", () => {
  it("shows at once whether it is open and the number, then offers the user's own time", async () => {
    h.setNow("2026-11-23T12:30"); // Monday, lunch break
    const person = await personIn("en");
    const [first] = await person.press(callback.hotline.pack());
    expect(first!.text).toContain("Lunch break. Opens again today at 13:00 Dushanbe time.");
    expect(first!.text).toContain("+992 918 85 34 34");
    expect(first!.text).toContain(en.hotline.offerZone);
    expect(buttonData(first!)).toContain(callback.zonePicker.pack());
    const [ask] = await person.press(callback.zonePicker.pack());
    expect(ask!.text).toContain("Where are you now?");
    expect(buttonData(ask!)).toContain("zone:city:moscow");

    const [status] = await person.press(callback.zoneCity.pack({ city: "moscow" }));
    expect(status!.text).toContain("Saved: Moscow. Your time now: 10:30.");
    expect(status!.text).toContain("Lunch break. Opens again today at 13:00 Dushanbe time (11:00 your time)");
    expect(status!.text).toContain("+992 918 85 34 34");
    expect(status!.text).toContain("Mon–Fri: 08:00–12:00, 13:00–17:00");
    expect(buttonData(status!)).toEqual(["ask", "faq", "sos", "zone", "menu"]);
    expect(await h.db.user.findUniqueOrThrow({ where: { telegramId: 3001n } })).toMatchObject({
      timeZone: "Europe/Moscow",
      city: "moscow",
    });

    // Asked once: the next look goes straight to the status.
    const [again] = await person.send("/hotline");
    expect(again!.text).toContain("Lunch break");
  });

  it("changing the city changes the local time shown", async () => {
    h.setNow("2026-11-23T09:00"); // open
    const person = await personIn("en", 3002);
    await person.press(callback.hotline.pack());
    const [moscow] = await person.press(callback.zoneCity.pack({ city: "moscow" }));
    expect(moscow!.text).toContain("Open now, until 12:00 Dushanbe time (10:00 your time)");
    expect(buttonData(moscow!)).toEqual(["zone", "menu"]);

    await person.press(callback.zonePicker.pack());
    const [irkutsk] = await person.press(callback.zoneCity.pack({ city: "irkutsk" }));
    expect(irkutsk!.text).toContain("until 12:00 Dushanbe time (15:00 your time)");

    await person.press(callback.zonePicker.pack());
    const [offsets] = await person.press(callback.zoneOther.pack());
    expect(buttonData(offsets!)).toContain("zone:utc:-5");
    const [utcMinus5] = await person.press(callback.zoneOffset.pack({ offset: -5 }));
    expect(utcMinus5!.text).toContain("Saved: UTC−5");
    expect(utcMinus5!.text).toContain("(02:00 your time)");
    expect(await h.db.user.findUniqueOrThrow({ where: { telegramId: 3002n } })).toMatchObject({ timeZone: "UTC-5", city: null });
  });

  it("shows only Dushanbe time to users in the same zone", async () => {
    h.setNow("2026-11-23T07:00");
    const person = await personIn("en", 3003);
    await person.press(callback.hotline.pack());
    const [status] = await person.press(callback.zoneCity.pack({ city: "khujand" }));
    expect(status!.text).toContain("Not open yet. Opens today at 08:00 Dushanbe time.");
    expect(status!.text).not.toContain("your time)");
  });

  it("names the weekday when the next opening is days away (Saturday afternoon)", async () => {
    h.setNow("2026-11-28T14:00");
    const person = await personIn("en", 3004);
    await person.press(callback.hotline.pack());
    const [status] = await person.press(callback.zoneCity.pack({ city: "moscow" }));
    expect(status!.text).toContain("Closed for today. Opens on Monday, 30 November at 08:00 Dushanbe time (06:00 your time)");
  });

  it("says Sunday is a day off and opens tomorrow", async () => {
    h.setNow("2026-11-29T10:00");
    const person = await personIn("ru", 3005);
    await person.press(callback.hotline.pack());
    const [status] = await person.press(callback.zoneCity.pack({ city: "dushanbe" }));
    const ru = (await import("../locales/ru/bot.json", { with: { type: "json" } })).default;
    expect(status!.text).toContain(ru.hotline.dayOff.split("{{")[0]!);
  });

  it("shows the holiday's name, and that a day off was moved", async () => {
    h.setNow("2026-11-06T10:00");
    const person = await personIn("en", 3006);
    await person.press(callback.hotline.pack());
    expect((await person.press(callback.zoneCity.pack({ city: "dushanbe" })))[0]!.text).toContain(
      "Closed today: Constitution Day. Opens tomorrow at 08:00",
    );
    h.setNow("2026-05-11T10:00");
    expect((await person.send("/hotline"))[0]!.text).toContain("Closed today: Victory Day (day off moved from 9 May)");
    h.setNow("2027-05-17T10:00");
    expect((await person.send("/hotline"))[0]!.text).toContain("Idi Qurbon (the date is not yet confirmed)");
  });

  it("shows an admin closure's reason", async () => {
    const content = loadContent();
    content.hotline.schedule.closures.push({ date: "2026-11-24", reason: "Staff <training>" });
    await h.recreate({ now: "2026-11-24T10:00", content });
    const person = await personIn("en", 3007);
    await person.press(callback.hotline.pack());
    expect((await person.press(callback.zoneCity.pack({ city: "dushanbe" })))[0]!.text).toContain(
      "Closed today: Staff &lt;training&gt;. Opens tomorrow at 08:00",
    );
  });
});

describe("emergency help", () => {
  it.each(["/help", "sos"])("is one step away at any hour (%s), with the numbers to call", async (how) => {
    h.setNow("2026-11-29T03:00"); // Sunday night
    const person = await personIn("tg", 3008);
    const [screen] = how === "sos" ? await person.press(callback.emergency.pack()) : await person.send(how);
    const tg = (await import("../locales/tg/bot.json", { with: { type: "json" } })).default;
    expect(screen!.text).toContain(tg.emergency.title);
    expect(screen!.text).toContain("+992 918 85 34 34");
    // 112 first, then one line per case, then the other numbers; never "ask the hotline for the number".
    expect(screen!.text.indexOf("112")).toBeLessThan(screen!.text.indexOf(tg.emergency.danger));
    expect(screen!.text).toContain(`<b>102</b> ${tg.emergency.service["ru-102"]}`);
    expect(screen!.text.replace(/<[^>]+>/g, "").length).toBeLessThanOrEqual(700);
    // Where to get help (consulate, shelter), then the hotline, the answers and the menu.
    expect(buttonData(screen!).slice(-3)).toEqual(["hot", "faq", "menu"]);
    expect(buttonData(screen!).some((data) => data.startsWith("dir:"))).toBe(true);
  });
});
