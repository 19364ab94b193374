/** The cities offered when asking where a user is, with their time zones. */
export const CITY_ZONES = [
  { city: "dushanbe", zone: "Asia/Dushanbe" },
  { city: "khujand", zone: "Asia/Dushanbe" },
  { city: "bishkek", zone: "Asia/Bishkek" },
  { city: "tashkent", zone: "Asia/Tashkent" },
  { city: "almaty", zone: "Asia/Almaty" },
  { city: "moscow", zone: "Europe/Moscow" },
  { city: "saint-petersburg", zone: "Europe/Moscow" },
  { city: "yekaterinburg", zone: "Asia/Yekaterinburg" },
  { city: "novosibirsk", zone: "Asia/Novosibirsk" },
  { city: "irkutsk", zone: "Asia/Irkutsk" },
] as const;

export type City = (typeof CITY_ZONES)[number]["city"];

/** Whole-hour offsets offered for "other place" (covers Europe to the Russian Far East, and the Americas' east). */
export const UTC_OFFSETS = Array.from({ length: 21 }, (_, index) => index - 8);

export function cityZone(city: string): string | undefined {
  return CITY_ZONES.find((entry) => entry.city === city)?.zone;
}

/** A stored zone for a fixed UTC offset, e.g. "UTC+3"; luxon reads it as a fixed-offset zone. */
export function offsetZone(offset: number): string {
  return offset === 0 ? "UTC" : `UTC${offset > 0 ? "+" : ""}${offset}`;
}

/** "+3", "-5", "+0" for labels. */
export function formatOffset(offset: number): string {
  return `${offset < 0 ? "−" : "+"}${Math.abs(offset)}`;
}
