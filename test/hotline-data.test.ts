import { DateTime } from "luxon";
import { expect, it } from "vitest";
import { loadHotlineConfig } from "../src/hotline/config.js";
import { holidayDataEndsSoon } from "../src/hotline/schedule.js";

it("the holiday data covers the next 18 months, and a warning is due when it ends within 90 days", () => {
  const { schedule } = loadHotlineConfig();
  const today = DateTime.fromISO("2026-12-01T10:00", { zone: "Asia/Dushanbe" });
  expect(DateTime.fromISO(schedule.holidaysKnownUntil) >= today.plus({ months: 18 }).startOf("day")).toBe(true);
  expect(holidayDataEndsSoon(schedule, today)).toBeUndefined();
  const lastYear = Number(schedule.holidaysKnownUntil.slice(0, 4));
  expect(holidayDataEndsSoon(schedule, DateTime.fromISO(`${lastYear}-10-15T10:00`, { zone: "Asia/Dushanbe" }))).toBe(`${lastYear}-12-31`);
});
