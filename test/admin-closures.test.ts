import { describe, expect, it } from "vitest";
import { callback, closureButton } from "../src/bot/callbacks.js";
import { CLOSURE_KINDS } from "../src/hotline/closure-input.js";
import { CALLBACK_DATA_MAX_BYTES } from "../src/telegram/callback-data.js";
import { ADMIN_ID, useHarness } from "./helpers/harness.js";

const h = useHarness();

const en = (await import("../locales/en/bot.json", { with: { type: "json" } })).default;
const ru = (await import("../locales/ru/bot.json", { with: { type: "json" } })).default;
const tg = (await import("../locales/tg/bot.json", { with: { type: "json" } })).default;

/** A user who has told the bot where they are (so the hotline screen is the whole one). */
async function userIn(id: number, locale: string) {
  const user = await h.registered(id, locale);
  await user.press(callback.hotline.pack());
  await user.press(callback.zoneCity.pack({ city: "dushanbe" }));
  return user;
}

const hotlineText = async (user: Awaited<ReturnType<typeof userIn>>) => (await user.send("/hotline"))[0]!.text;

describe("/closure: dates, ranges and a kind every user reads in their own language", () => {
  it("closes several days in a row; each user reads the kind in their language, and never the staff note", async () => {
    h.setNow("2027-02-05T10:00"); // Friday
    const admin = await h.registered(ADMIN_ID);
    const russian = await userIn(7301, "ru");
    const tajik = await userIn(7302, "tg");
    const [question] = await admin.send("/closure add 08.02.2027-10.02.2027 Office move, keys with Farrukh");
    expect(question!.text).toBe(
      `Closure: 08.02.2027–10.02.2027 whole day. What should users read? Each of them sees it in their own language.\nnote for staff: Office move, keys with Farrukh`,
    );
    expect(question!.buttons.flat().map((button) => button.text)).toEqual([...Object.values(en.closureKind), en.admin.closureCancel]);
    const [added] = await admin.press(closureButton.kind.pack({ draft: 1, kind: "technical" }));
    expect(added!.text).toBe(
      "✅ Closure #1 added: 08.02.2027–10.02.2027 whole day · Technical problem · note for staff: Office move, keys with Farrukh. The hotline screen shows it at once, to each user in their own language.",
    );
    for (const day of ["2027-02-08", "2027-02-09", "2027-02-10"]) {
      h.setNow(`${day}T10:00`);
      expect(await hotlineText(russian)).toContain(`Сегодня закрыта: ${ru.closureKind.technical}.`);
      expect(await hotlineText(tajik)).toContain(`Имрӯз баста аст: ${tg.closureKind.technical}.`);
      expect(await hotlineText(russian)).not.toContain("Farrukh");
    }
    // One closure, listed once with its whole range while it lasts, and removed at once.
    const [list] = await admin.send("/closures");
    expect(list!.text).toContain(
      "#1 · 08.02.2027–10.02.2027 whole day · Technical problem · <i>note for staff: Office move, keys with Farrukh</i>",
    );
    h.setNow("2027-02-11T10:00");
    expect(await hotlineText(russian)).not.toContain(ru.closureKind.technical);
    expect((await admin.send("/closures"))[0]!.text).toBe(en.admin.closuresNone);
    h.setNow("2027-02-09T10:00");
    await admin.send("/closure remove 1");
    expect(await hotlineText(russian)).not.toContain(ru.closureKind.technical);
  });

  it("reads today and tomorrow, some hours of a day, and the admin's own language", async () => {
    h.setNow("2026-11-24T09:00"); // Tuesday
    const admin = await h.registered(ADMIN_ID, "ru");
    const user = await userIn(7303, "en");
    const [question] = await admin.send("/closure add завтра 08:00-11:00");
    expect(question!.text).toContain("Закрытие: 25.11.2026 08:00–11:00. Что прочитают пользователи?");
    expect(question!.buttons.flat().map((button) => button.text)).toContain(ru.closureKind.training);
    await admin.press(closureButton.kind.pack({ draft: 1, kind: "training" }));
    await admin.send("/closure add today");
    await admin.press(closureButton.kind.pack({ draft: 2, kind: "holiday" }));
    expect(await hotlineText(user)).toContain("Closed today: Holiday.");
    h.setNow("2026-11-25T09:00");
    expect(await hotlineText(user)).toContain("Closed today: Staff training.");
    h.setNow("2026-11-25T11:30");
    expect(await hotlineText(user)).toContain("Open now");
    expect(
      (await h.db.hotlineClosure.findMany({ orderBy: { id: "asc" } })).map((row) => [
        row.date,
        row.until,
        row.from,
        row.to,
        row.kind,
        row.note,
      ]),
    ).toEqual([
      ["2026-11-25", null, "08:00", "11:00", "training", null],
      ["2026-11-24", null, null, null, "holiday", null],
    ]);
  });

  it("says what is wrong with a date: past, no such day, backwards, too long", async () => {
    h.setNow("2026-11-24T09:00");
    const admin = await h.registered(ADMIN_ID);
    const usage = en.admin.closureUsage.replace("{{days}}", "62");
    const cases: [string, string][] = [
      ["/closure add 23.11.2026", en.admin.closureError.past],
      ["/closure add 31.02.2027", en.admin.closureError["no-such-day"]],
      ["/closure add 10.02.2027-08.02.2027", en.admin.closureError.backwards],
      ["/closure add 01.12.2026-01.03.2027", en.admin.closureError["too-long"].replace("{{days}}", "62")],
    ];
    for (const [command, error] of cases) expect((await admin.send(command))[0]!.text).toBe(`${error}\n\n${usage}`);
    expect(await h.db.hotlineClosure.count()).toBe(0);
  });

  it("adds nothing for an older question's buttons, for Cancel, or for anyone but an admin", async () => {
    h.setNow("2026-11-24T09:00");
    const admin = await h.registered(ADMIN_ID);
    await admin.send("/closure add 01.12.2026");
    await admin.send("/closure add 02.12.2026");
    const [gone] = await admin.press(closureButton.kind.pack({ draft: 1, kind: "other" }));
    expect(gone!.text).toBe(en.admin.closureGone);
    const [cancelled] = await admin.press(closureButton.cancel.pack({ draft: 2 }));
    expect(cancelled!.text).toBe(en.admin.closureCancelled);
    expect((await admin.press(closureButton.kind.pack({ draft: 2, kind: "other" })))[0]!.text).toBe(en.admin.closureGone);
    const user = await h.registered(7304);
    await user.press(closureButton.kind.pack({ draft: 2, kind: "other" }));
    expect(h.telegram.callsOf("answerCallbackQuery").at(-1)!.payload).toMatchObject({ text: en.admin.onlyAdmins, show_alert: true });
    expect(await h.db.hotlineClosure.count()).toBe(0);
  });

  it("keeps showing the typed reason of a closure added before kinds existed", async () => {
    h.setNow("2026-11-24T09:00");
    await h.db.hotlineClosure.create({ data: { date: "2026-11-24", reason: "Staff meeting", createdBy: BigInt(ADMIN_ID) } });
    await h.restart();
    const user = await userIn(7305, "en");
    expect(await hotlineText(user)).toContain("Closed today: Staff meeting.");
    const admin = await h.registered(ADMIN_ID);
    expect((await admin.send("/closures"))[0]!.text).toContain("#1 · 24.11.2026 whole day · «Staff meeting»");
  });

  it("packs its buttons' data within Telegram's 64 bytes, and refuses forged data", () => {
    for (const kind of CLOSURE_KINDS) {
      const data = closureButton.kind.pack({ draft: 9_999_999_999, kind });
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
      expect(closureButton.kind.unpack(data)).toEqual({ draft: 9_999_999_999, kind });
    }
    expect(closureButton.cancel.unpack(closureButton.cancel.pack({ draft: 7 }))).toEqual({ draft: 7 });
    expect(closureButton.kind.unpack("cl:kind:1:party")).toBeUndefined();
    expect(closureButton.kind.unpack("cl:kind:x:other")).toBeUndefined();
  });
});
