import { describe, expect, it } from "vitest";
import { callback, closureButton } from "../src/bot/callbacks.js";
import { requestsCsv } from "../src/requests/export.js";
import { sendRequest } from "./helpers/dialog.js";
import { ADMIN_ID, buttonData, useHarness } from "./helpers/harness.js";

const h = useHarness();

const en = (await import("../locales/en/bot.json", { with: { type: "json" } })).default;

const registered = (id: number, locale?: string) => h.registered(id, locale);

describe("admin commands", () => {
  it.each(["/closure add 2026-12-31 Test", "/closures", "/stats", "/export"])(
    "refuses %s to anyone not in ADMIN_IDS, in their language",
    async (command) => {
      const ru = (await import("../locales/ru/bot.json", { with: { type: "json" } })).default;
      const person = await registered(6001, "ru");
      const [reply] = await person.send(command);
      expect(reply!.text).toBe(ru.admin.onlyAdmins);
      expect(await h.db.hotlineClosure.count()).toBe(0);
    },
  );

  it("adds a closure that the hotline screen honours at once, lists it, and removes it", async () => {
    h.setNow("2026-11-24T09:00"); // Tuesday, normally open
    const admin = await registered(ADMIN_ID);
    const user = await registered(6002);
    await user.press(callback.hotline.pack());
    expect((await user.press(callback.zoneCity.pack({ city: "dushanbe" })))[0]!.text).toContain("Open now");

    // The date and a note for staff; what users read is chosen from the kinds.
    await admin.send("/closure add 2026-11-24 Room repairs");
    const [added] = await admin.press(closureButton.kind.pack({ draft: 1, kind: "training" }));
    expect(added!.text).toContain("Closure #1 added: 24.11.2026 whole day · Staff training · note for staff: Room repairs");
    expect((await user.send("/hotline"))[0]!.text).toContain("Closed today: Staff training. Opens tomorrow at 08:00");

    await admin.send("/closure add 2026-11-25 08:00-10:00 Server move");
    await admin.press(closureButton.kind.pack({ draft: 2, kind: "technical" }));
    const [list] = await admin.send("/closures");
    expect(list!.text).toContain("#1 · 24.11.2026 whole day · Staff training · <i>note for staff: Room repairs</i>");
    expect(list!.text).toContain("#2 · 25.11.2026 08:00–10:00 · Technical problem · <i>note for staff: Server move</i>");

    await admin.send("/closure remove 1");
    expect((await user.send("/hotline"))[0]!.text).toContain("Open now");
    h.setNow("2026-11-24T18:00");
    expect((await user.send("/hotline"))[0]!.text).toContain("Opens tomorrow at 10:00");
    // Kept across a restart.
    await h.restart();
    h.setNow("2026-11-25T09:00");
    expect((await user.send("/hotline"))[0]!.text).toContain("Closed today: Technical problem");
  });

  it.each([
    ["/closure", undefined],
    ["/closure add", undefined],
    ["/closure add party 2026-12-31", en.admin.closureError.date],
    ["/closure add 2026-02-30 Nothing", en.admin.closureError["no-such-day"]],
    ["/closure add 2026-12-31 12:00-08:00 Backwards", en.admin.closureError.hours],
    ["/closure remove x", undefined],
  ])("explains the usage for %j and changes nothing", async (command, error) => {
    const admin = await registered(ADMIN_ID);
    const [reply] = await admin.send(command);
    const usage = en.admin.closureUsage.replace("{{days}}", "62");
    expect(reply!.text).toBe(error ? `${error}\n\n${usage}` : usage);
    expect(await h.db.hotlineClosure.count()).toBe(0);
  });

  it("/stats gives the figures for reports", async () => {
    const admin = await registered(ADMIN_ID);
    const user = await registered(6003, "tg");
    await user.press(callback.faqQuestion.pack({ questionId: "wages-not-paid" }));
    await user.press(callback.faqVote.pack({ questionId: "wages-not-paid", helpful: true }));
    await h.faqViews.flush();
    const [stats] = await admin.send("/stats");
    // The admin is not counted as a user.
    expect(stats!.text).toContain("Total 1, reachable 1, notices off 0, active in 7 days 1, in 30 days 1");
    expect(stats!.text).toContain("By language: ");
    expect(stats!.text).toContain(": 1"); // the answer read once
    expect(stats!.text).toContain("Helpful: 👍 1 · 👎 0");
  });

  it("/export sends a CSV of requests with no names, usernames, ids or phone numbers", async () => {
    h.setNow("2026-11-23T10:00");
    const admin = await registered(ADMIN_ID);
    const user = await registered(6004);
    await sendRequest(user, { topic: "detention", question: "The police took me to the station yesterday.", phone: "+7 999 765 43 21" });
    await admin.send("/export");
    const upload = h.telegram.callsOf("sendDocument").at(-1)!;
    const csv = upload.payload.multipart as string;
    expect(csv).toContain(
      "reference,created,taken,first_reply,closed,topic,urgent,language,zone,status,outcome,minutes_to_first_reply,minutes_to_close,rating",
    );
    expect(csv).toContain("A-1001,2026-11-23 10:00,,,,detention,yes,en,,open,,,,");
    for (const secret of ["6004", "79997654321", "+7 999", "Test", "Kazan", "police took me"]) expect(csv).not.toContain(secret);
    const [usage] = await admin.send("/export yesterday");
    expect(usage!.text).toBe(en.admin.exportUsage);
  });

  it("writes CSV cells safely", () => {
    const row = {
      id: 5,
      createdAt: new Date("2026-11-23T05:00:00Z"),
      takenAt: null,
      firstReplyAt: new Date("2026-11-23T05:30:00Z"),
      closedAt: null,
      topic: "other",
      language: "ru",
      urgent: false,
      timeZone: "UTC+3",
      status: "taken",
      outcome: null,
      rating: 4,
    };
    expect(requestsCsv([row], "Asia/Dushanbe").split("\r\n")[1]).toBe(
      "A-1005,2026-11-23 10:00,,2026-11-23 10:30,,other,no,ru,UTC+3,taken,,30,,4",
    );
  });
});

describe("notices on and off", () => {
  it("can be turned off and on from the menu and /notices", async () => {
    const user = await registered(6005);
    const [menu] = await user.send("/start");
    expect(menu!.buttons.flat().map((button) => button.text)).toContain(en.menu.notices);
    const [on] = await user.press(callback.notices.pack());
    expect(on!.text).toBe(en.notices.areOn);
    const [off] = await user.press(buttonData(on!)[0]!);
    expect(off!.text).toBe(en.notices.areOff);
    expect((await h.db.user.findUniqueOrThrow({ where: { telegramId: 6005n } })).noticesOff).toBe(true);
    const [again] = await user.send("/notices");
    expect(again!.text).toBe(en.notices.areOff);
    await user.press(callback.toggleNotices.pack());
    expect((await h.db.user.findUniqueOrThrow({ where: { telegramId: 6005n } })).noticesOff).toBe(false);
  });
});
