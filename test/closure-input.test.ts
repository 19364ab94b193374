import { describe, expect, it } from "vitest";
import { CLOSURE_MAX_DAYS, daysOf, parseClosureInput } from "../src/hotline/closure-input.js";

const TODAY = "2026-12-01";
const parse = (text: string) => parseClosureInput(text, TODAY);

describe("what /closure add reads", () => {
  it.each([
    ["2026-12-31", "2026-12-31", "2026-12-31"],
    ["31.12.2026", "2026-12-31", "2026-12-31"],
    ["1.2.2027", "2027-02-01", "2027-02-01"],
    ["today", "2026-12-01", "2026-12-01"],
    ["Tomorrow", "2026-12-02", "2026-12-02"],
    ["сегодня", "2026-12-01", "2026-12-01"],
    ["фардо", "2026-12-02", "2026-12-02"],
    ["эртага", "2026-12-02", "2026-12-02"],
    ["эртең", "2026-12-02", "2026-12-02"],
    ["bugun", "2026-12-01", "2026-12-01"],
    ["21.03.2027-24.03.2027", "2027-03-21", "2027-03-24"],
    ["21.03.2027 – 24.03.2027", "2027-03-21", "2027-03-24"],
    ["2027-03-21..2027-03-24", "2027-03-21", "2027-03-24"],
    ["2027-03-21-2027-03-24", "2027-03-21", "2027-03-24"],
    ["today-tomorrow", "2026-12-01", "2026-12-02"],
  ])("%j as the days %s to %s", (text, from, until) => {
    expect(parse(text)).toEqual({ ok: true, closure: { from, until } });
  });

  it("reads hours on each day and a note for staff after the date", () => {
    expect(parse("31.12.2026 8:00-12:30 Staff party,  in the office")).toEqual({
      ok: true,
      closure: { from: "2026-12-31", until: "2026-12-31", hours: { from: "08:00", to: "12:30" }, note: "Staff party, in the office" },
    });
    expect(parse("21.03.2027-24.03.2027 Navruz week")).toEqual({
      ok: true,
      closure: { from: "2027-03-21", until: "2027-03-24", note: "Navruz week" },
    });
    expect(parse("tomorrow 09:00–11:00")).toEqual({
      ok: true,
      closure: { from: "2026-12-02", until: "2026-12-02", hours: { from: "09:00", to: "11:00" } },
    });
  });

  it.each([
    ["", "date"],
    ["Party", "date"],
    ["31/12/2026", "date"],
    ["12.31.2026", "no-such-day"],
    ["2027-02-29", "no-such-day"],
    ["30.11.2026", "past"],
    ["24.03.2027-21.03.2027", "backwards"],
    ["2026-12-01-2027-03-01", "too-long"],
    ["31.12.2026 12:00-08:00", "hours"],
    ["31.12.2026 10:00-10:00", "hours"],
    ["31.12.2026 24:00-25:00", "hours"],
    [`31.12.2026 ${"x".repeat(201)}`, "note-too-long"],
  ])("refuses %j: %s", (text, error) => {
    expect(parse(text)).toEqual({ ok: false, error });
  });

  it(`accepts up to ${CLOSURE_MAX_DAYS} days, and today`, () => {
    expect(parse("2026-12-01-2027-01-31")).toMatchObject({ ok: true });
    expect(parse("2026-12-01-2027-02-01")).toEqual({ ok: false, error: "too-long" });
    expect(parse("01.12.2026")).toMatchObject({ ok: true });
  });

  it("lists the days of a range, across months and years", () => {
    expect(daysOf("2026-12-30", "2027-01-02")).toEqual(["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"]);
    expect(daysOf("2027-03-21", "2027-03-21")).toEqual(["2027-03-21"]);
  });
});
