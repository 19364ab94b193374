import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { loadHotlineConfig } from "../src/hotline/config.js";
import { expandHolidays } from "../src/hotline/holidays.js";
import { closureAt as closureIn, type HotlineSchedule, hotlineStatus as statusIn } from "../src/hotline/schedule.js";

const defaultHotlineSchedule = loadHotlineConfig().schedule;
const hotlineStatus = (at: DateTime, schedule = defaultHotlineSchedule) => statusIn(at, schedule);
const closureAt = (at: DateTime, schedule = defaultHotlineSchedule) => closureIn(at, schedule);

const dushanbe = (iso: string) => DateTime.fromISO(iso, { zone: "Asia/Dushanbe" });
const iso = (instant: DateTime | null) => instant?.setZone("Asia/Dushanbe").toISO({ suppressMilliseconds: true });

describe("hotlineStatus at fixed instants (configured schedule, Dushanbe time)", () => {
  // 2026-11-23 is a Monday.
  it.each([
    ["before 08:00", "2026-11-23T07:59", false, "before-hours", "2026-11-23T08:00:00+05:00", "2026-11-23T08:00:00+05:00"],
    ["08:00 sharp", "2026-11-23T08:00", true, "open", "2026-11-23T12:00:00+05:00", null],
    ["lunch starts at 12:00", "2026-11-23T12:00", false, "lunch", "2026-11-23T13:00:00+05:00", "2026-11-23T13:00:00+05:00"],
    ["during lunch", "2026-11-23T12:30", false, "lunch", "2026-11-23T13:00:00+05:00", "2026-11-23T13:00:00+05:00"],
    ["13:00 sharp", "2026-11-23T13:00", true, "open", "2026-11-23T17:00:00+05:00", null],
    ["16:59", "2026-11-23T16:59:59", true, "open", "2026-11-23T17:00:00+05:00", null],
    ["17:00 sharp", "2026-11-23T17:00", false, "after-hours", "2026-11-24T08:00:00+05:00", "2026-11-24T08:00:00+05:00"],
    ["Friday evening to Saturday", "2026-11-27T18:00", false, "after-hours", "2026-11-28T08:00:00+05:00", "2026-11-28T08:00:00+05:00"],
    ["Saturday morning", "2026-11-28T11:59", true, "open", "2026-11-28T12:00:00+05:00", null],
    ["Saturday 12:00", "2026-11-28T12:00", false, "after-hours", "2026-11-30T08:00:00+05:00", "2026-11-30T08:00:00+05:00"],
    ["Sunday", "2026-11-29T10:00", false, "day-off", "2026-11-30T08:00:00+05:00", "2026-11-30T08:00:00+05:00"],
    ["Constitution Day (Friday 6 Nov)", "2026-11-06T10:00", false, "holiday", "2026-11-07T08:00:00+05:00", "2026-11-07T08:00:00+05:00"],
    ["Victory Day on a Saturday", "2026-05-09T09:00", false, "holiday", "2026-05-12T08:00:00+05:00", "2026-05-12T08:00:00+05:00"],
    [
      "Monday 11 May, Victory Day moved from Saturday",
      "2026-05-11T09:00",
      false,
      "holiday",
      "2026-05-12T08:00:00+05:00",
      "2026-05-12T08:00:00+05:00",
    ],
    [
      "Navruz and its moved days (20–26 March 2026)",
      "2026-03-23T10:00",
      false,
      "holiday",
      "2026-03-27T08:00:00+05:00",
      "2026-03-27T08:00:00+05:00",
    ],
    ["New Year's Eve night", "2026-12-31T23:00", false, "after-hours", "2027-01-02T08:00:00+05:00", "2027-01-02T08:00:00+05:00"],
  ] as const)("%s", (_label, at, open, reason, changesAt, nextOpening) => {
    const status = hotlineStatus(dushanbe(at));
    expect(status.open).toBe(open);
    expect(status.reason).toBe(reason);
    expect(iso(status.changesAt)).toBe(changesAt);
    expect(iso(status.nextOpening)).toBe(nextOpening ?? undefined);
  });

  it("accepts an instant in Moscow time and answers in that zone", () => {
    // 06:30 in Moscow is 08:30 in Dushanbe: open until 12:00 Dushanbe = 10:00 Moscow.
    const status = hotlineStatus(DateTime.fromISO("2026-11-23T06:30", { zone: "Europe/Moscow" }));
    expect(status).toMatchObject({ open: true, reason: "open", nextOpening: null });
    expect(status.changesAt.toISO({ suppressMilliseconds: true })).toBe("2026-11-23T10:00:00+03:00");
    // 05:59 in Moscow is 07:59 in Dushanbe.
    const early = hotlineStatus(DateTime.fromISO("2026-11-23T05:59", { zone: "Europe/Moscow" }));
    expect(early.reason).toBe("before-hours");
    expect(early.nextOpening!.toISO({ suppressMilliseconds: true })).toBe("2026-11-23T06:00:00+03:00");
  });

  it("treats an instant in UTC the same way", () => {
    expect(hotlineStatus(DateTime.fromISO("2026-11-23T03:00Z")).open).toBe(true);
    expect(hotlineStatus(DateTime.fromISO("2026-11-23T02:59Z")).open).toBe(false);
  });
});

describe("holidays and closures", () => {
  it("moves a holiday on a weekend to the next working day that is not a holiday", () => {
    const moved = defaultHotlineSchedule.holidays.filter((holiday) => holiday.movedFrom).map((h) => `${h.movedFrom}→${h.date}`);
    expect(moved).toEqual(
      expect.arrayContaining([
        "2026-03-08→2026-03-09",
        "2026-03-21→2026-03-25",
        "2026-03-22→2026-03-26",
        "2026-05-09→2026-05-11",
        "2026-06-27→2026-06-29",
        "2027-03-21→2027-03-25",
        "2027-11-06→2027-11-08",
      ]),
    );
    expect(expandHolidays([{ month: 1, day: 1, name: "new-year" }], [], [2029])).toEqual([{ date: "2029-01-01", name: "new-year" }]);
    // 1 January 2028 is a Saturday: Monday 3 January becomes the day off.
    expect(expandHolidays([{ month: 1, day: 1, name: "new-year" }], [], [2028]).map((h) => h.date)).toEqual(["2028-01-01", "2028-01-03"]);
  });

  it("marks Eid dates as estimates and names the closure", () => {
    const eid = closureAt(dushanbe("2027-05-17T10:00"));
    expect(eid).toMatchObject({ name: "idi-qurbon", estimate: true });
    expect(closureAt(dushanbe("2026-11-24T10:00"))).toBeUndefined();
  });

  const withClosures = (closures: HotlineSchedule["closures"]): HotlineSchedule => ({ ...defaultHotlineSchedule, closures });

  it("honours a whole-day closure added by admins", () => {
    const schedule = withClosures([{ date: "2026-11-24", reason: "Staff training" }]);
    const status = hotlineStatus(dushanbe("2026-11-24T09:00"), schedule);
    expect(status).toMatchObject({ open: false, reason: "holiday" });
    expect(iso(status.nextOpening)).toBe("2026-11-25T08:00:00+05:00");
    expect(iso(hotlineStatus(dushanbe("2026-11-23T16:00"), schedule).changesAt)).toBe("2026-11-23T17:00:00+05:00");
    expect(iso(hotlineStatus(dushanbe("2026-11-23T17:30"), schedule).nextOpening)).toBe("2026-11-25T08:00:00+05:00");
  });

  it("honours a closure of some hours", () => {
    const schedule = withClosures([{ date: "2026-11-24", from: "08:00", to: "10:00", reason: "Meeting" }]);
    expect(hotlineStatus(dushanbe("2026-11-24T09:00"), schedule)).toMatchObject({ open: false, reason: "holiday" });
    expect(iso(hotlineStatus(dushanbe("2026-11-24T09:00"), schedule).nextOpening)).toBe("2026-11-24T10:00:00+05:00");
    expect(iso(hotlineStatus(dushanbe("2026-11-23T18:00"), schedule).nextOpening)).toBe("2026-11-24T10:00:00+05:00");
    expect(hotlineStatus(dushanbe("2026-11-24T10:00"), schedule).open).toBe(true);
    expect(hotlineStatus(dushanbe("2026-11-24T12:30"), schedule).reason).toBe("lunch");
  });
});

describe("the hotline configuration file", () => {
  it("rejects impossible holidays, half-given or backwards closures, and unordered hours", async () => {
    const { hotlineConfigPath } = await import("../src/hotline/config.js");
    const HOTLINE_CONFIG_PATH = hotlineConfigPath();
    const { mkdtempSync, readFileSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const base = JSON.parse(readFileSync(HOTLINE_CONFIG_PATH, "utf8"));
    const file = join(mkdtempSync(join(tmpdir(), "hamroh-config-")), "hotline.json");
    const attempt = (change: (config: any) => void) => {
      const config = structuredClone(base);
      change(config);
      writeFileSync(file, JSON.stringify(config));
      return () => loadHotlineConfig(file);
    };
    expect(attempt(() => undefined)).not.toThrow();
    expect(attempt((c) => c.holidays.fixed.push({ month: 4, day: 31, name: "x" }))).toThrow(/holidays\.fixed\.10 is not a date/);
    expect(attempt((c) => c.closures.push({ date: "2026-12-01", from: "10:00", reason: "x" }))).toThrow(
      /closures\.0 needs both from and to/,
    );
    expect(attempt((c) => c.closures.push({ date: "2026-12-01", from: "12:00", to: "10:00", reason: "x" }))).toThrow(/closures\.0/);
    expect(attempt((c) => c.weekly.mon.reverse())).toThrow(/weekly\.mon ranges must be in order/);
  });
});
