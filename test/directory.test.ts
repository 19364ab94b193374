import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkContent } from "../src/content-check.js";
import { directoryButton, directoryLinkButton, emergencyDirectoryLinks, needOfQuestion } from "../src/directory/buttons.js";
import { serviceCard } from "../src/directory/card.js";
import { checkDirectory, directoryPath, E164, loadDirectory, NEEDS, SERVICE_KINDS } from "../src/directory/catalog.js";
import { cityOfText, distanceKm, foldPlaceName, nearest, referralOptions } from "../src/directory/nearest.js";
import { loadFaqCatalogs } from "../src/faq/catalog.js";
import { loadHotlineConfig } from "../src/hotline/config.js";
import { CITY_ZONES } from "../src/hotline/zones.js";
import { createI18n, LOCALES } from "../src/i18n.js";

const directory = loadDirectory();
const file = JSON.parse(readFileSync(directoryPath(), "utf8")) as { services: Record<string, unknown>[]; cities: Record<string, unknown> };
const dir = mkdtempSync(join(tmpdir(), "hamroh-directory-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The real file with one change, written to a temporary path. */
function variant(change: (data: { services: Record<string, any>[]; cities: Record<string, any> }) => void): string {
  const data = structuredClone(file) as { services: Record<string, any>[]; cities: Record<string, any> };
  change(data);
  const path = join(dir, `directory-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(data));
  return path;
}

const MOSCOW = { lat: 55.7558, lon: 37.6173 };
const YEKATERINBURG = { lat: 56.8389, lon: 60.6057 };
const KHUJAND = { lat: 40.2833, lon: 69.6333 };

describe("the help directory's data", () => {
  it("passes the content check, which includes it", () => {
    expect(checkDirectory()).toEqual([]);
    expect(checkContent()).toEqual([]);
  });

  it("every entry: a known kind and country, coordinates in range, phones in E.164, sources, a review date", () => {
    expect(directory.services.length).toBeGreaterThanOrEqual(15);
    for (const city of directory.cities.values()) {
      expect(Math.abs(city.lat), city.key).toBeLessThanOrEqual(90);
      expect(Math.abs(city.lon), city.key).toBeLessThanOrEqual(180);
    }
    for (const service of directory.services) {
      expect(SERVICE_KINDS, service.id).toContain(service.kind);
      if (service.city) expect(directory.cities.get(service.city)?.country, service.id).toBe(service.country);
      for (const phone of service.phones ?? []) {
        expect(phone.number, service.id).toMatch(E164);
        expect(phone.display.replace(/\D/g, ""), service.id).toBe(phone.number.slice(1));
        // Russia and Kazakhstan: +7 and ten digits; Tajikistan: +992 and nine.
        if (phone.number.startsWith("+7")) expect(phone.number, service.id).toMatch(/^\+7\d{10}$/);
        if (phone.number.startsWith("+992")) expect(phone.number, service.id).toMatch(/^\+992\d{9}$/);
      }
      if (service.location) {
        expect(Math.abs(service.location.lat)).toBeLessThanOrEqual(90);
        expect(Math.abs(service.location.lon)).toBeLessThanOrEqual(180);
      }
      expect(service.sources.length, service.id).toBeGreaterThan(0);
      for (const source of service.sources) expect(source.trim().length, service.id).toBeGreaterThanOrEqual(10);
      expect(service.reviewed, service.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(typeof service.needsReview, service.id).toBe("boolean");
    }
  });

  it("has the same entries in every locale: a name, and the address and note where given, in each language", () => {
    for (const service of directory.services) {
      for (const locale of LOCALES) {
        expect(service.name[locale]?.trim(), `${service.id} ${locale}`).toBeTruthy();
        if (service.address) expect(service.address[locale]?.trim(), `${service.id} ${locale}`).toBeTruthy();
        if (service.note) expect(service.note[locale]?.trim(), `${service.id} ${locale}`).toBeTruthy();
      }
    }
    for (const city of directory.cities.values())
      for (const locale of LOCALES) expect(city.names[locale], `${city.key} ${locale}`).toBeTruthy();
    // uz-Latn is made from uz.
    expect(directory.byId.get("iom-dushanbe")!.name["uz-Latn"]).toBe("Xalqaro migratsiya tashkiloti, Tojikistondagi vakolatxona");
  });

  it("covers what the issue asks for: the embassy and consulates in Russia and Kazakhstan, the ministry, IOM, the hotline, pre-departure centres, legal aid in Moscow and St Petersburg", () => {
    const ids = directory.services.map((service) => service.id);
    for (const id of [
      "tj-embassy-moscow",
      "tj-consulate-saint-petersburg",
      "tj-consulate-yekaterinburg",
      "tj-consulate-novosibirsk",
      "tj-consulate-ufa",
      "tj-consulate-almaty",
    ])
      expect(ids).toContain(id);
    for (const kind of ["labour-representation", "iom", "ngo-legal-aid", "pre-departure", "shelter", "migration-centre"]) {
      expect(
        directory.services.some((service) => service.kind === kind),
        kind,
      ).toBe(true);
    }
    expect(
      directory.services
        .filter((service) => service.kind === "pre-departure")
        .map((service) => service.city)
        .sort(),
    ).toEqual(["dushanbe", "khujand"]);
    // Every city a user can store is in the directory, so a list can start from it.
    for (const { city } of CITY_ZONES) expect(directory.cities.has(city), city).toBe(true);
  });

  it("marks for review everything not confirmed by the NGO; the Moscow embassy's announced move is among them", () => {
    expect(directory.byId.get("tj-embassy-moscow")).toMatchObject({ needsReview: true });
    expect(directory.byId.get("tj-embassy-moscow")!.address!.en).toContain("Chayanova");
    expect(directory.byId.get("hotline-woman-and-society")).toMatchObject({ needsReview: false, phones: [{ number: "+992918853434" }] });
  });

  it("names the field and the entry of each mistake", () => {
    const problems = (change: Parameters<typeof variant>[0]) => checkDirectory(variant(change)).join("\n");
    expect(problems((data) => (data.services[0]!.phones = [{ number: "8 495 123", display: "8 495 123" }]))).toMatch(
      /services\.0\.phones\.0\.number must be in E\.164/,
    );
    expect(problems((data) => (data.cities.moscow.lat = 95))).toMatch(/cities\.moscow\.lat/);
    expect(problems((data) => (data.services[2]!.sources = []))).toMatch(/services\.2\.sources needs at least one source/);
    expect(problems((data) => delete data.services[1]!.name.ky)).toMatch(/services\.1\.name\.ky/);
    expect(problems((data) => (data.services[3]!.city = "kazan"))).toMatch(/"tj-consulate-novosibirsk": city "kazan" is not in "cities"/);
    expect(problems((data) => data.services.push(structuredClone(data.services[0]!)))).toMatch(/"tj-embassy-moscow" is listed twice/);
    expect(problems((data) => (data.services[2]!.phones = [{ number: "+73433702360", display: "+7 343 370-23-61" }]))).toMatch(
      /display and number must have the same digits/,
    );
    expect(problems((data) => (data.services[0]!.location = { lat: 55.7, lon: 200, source: "a map" }))).toMatch(/location\.lon/);
    expect(problems((data) => (data.services[0]!.country = "tajikistan"))).toMatch(/city "moscow" is in russia, not tajikistan/);
    expect(problems((data) => (data.services.at(-1)!.contacts = ["nowhere"]))).toMatch(/contact "nowhere" is not another service/);
    expect(problems((data) => (data.services.at(-1)!.location = { lat: 38.5, lon: 68.7, source: "a map" }))).toMatch(
      /a location needs a city/,
    );
    expect(problems((data) => (data.services.at(-1)!.hours = [{ days: ["mon", "fri"], from: "09:00", to: "18:00" }]))).toMatch(
      /"[\w-]+": opening hours need a city/,
    );
    expect(problems((data) => delete data.services[3]!.note)).toMatch(/"tj-consulate-novosibirsk": give at least a phone, an address/);
    expect(problems((data) => (data.services[0]!.reviewed = "2099-01-01"))).toMatch(
      /"tj-embassy-moscow" was reviewed after the file's date/,
    );
    expect(checkDirectory(directoryPath(), (locale, key) => !(locale === "ky" && key === "directory.kind.iom"))).toEqual([
      'locales/ky/bot.json lacks "directory.kind.iom" (the help directory needs it)',
    ]);
  });
});

describe("nearest services", () => {
  it("measures great-circle distances (Moscow–Yekaterinburg about 1,420 km)", () => {
    expect(distanceKm(MOSCOW, YEKATERINBURG)).toBeGreaterThan(1_380);
    expect(distanceKm(MOSCOW, YEKATERINBURG)).toBeLessThan(1_460);
    expect(distanceKm(KHUJAND, KHUJAND)).toBe(0);
  });

  it("from Moscow: the three Moscow services, embassy first", () => {
    expect(nearest(directory, MOSCOW).map((entry) => entry.service.id)).toEqual([
      "tj-embassy-moscow",
      "molmep-russia-hotline",
      "civic-assistance-moscow",
    ]);
    expect(nearest(directory, MOSCOW, { need: "migration" }).map((entry) => entry.service.id)).toEqual([
      "mmc-sakharovo",
      "spb-house-of-nationalities",
      // None left in Russia: the nearest across the border.
      "predeparture-khujand",
    ]);
  });

  it("from Yekaterinburg: the consulate there, then Ufa, then Novosibirsk (Astana is nearer, but across a border)", () => {
    const ranked = nearest(directory, YEKATERINBURG);
    expect(ranked.map((entry) => entry.service.id)).toEqual(["tj-consulate-yekaterinburg", "tj-consulate-ufa", "tj-consulate-novosibirsk"]);
    expect(ranked[0]!.km).toBeLessThan(5);
    expect(ranked[0]!.precision).toBe("city");
  });

  it("from Khujand: the hotline and the pre-departure centre there, then Dushanbe", () => {
    const ranked = nearest(directory, KHUJAND);
    expect(ranked.map((entry) => entry.service.id)).toEqual([
      "hotline-woman-and-society",
      "predeparture-khujand",
      "tj-mfa-consular-dushanbe",
    ]);
    expect(nearest(directory, KHUJAND, { need: "protection" }).map((entry) => entry.service.id)).toEqual(["iom-dushanbe"]);
  });

  it("leaves out another country's missions for a citizen of Uzbekistan, and a service without a place", () => {
    const ids = nearest(directory, MOSCOW, { citizenship: "uzbekistan", limit: 50 }).map((entry) => entry.service.id);
    expect(ids).not.toContain("tj-embassy-moscow");
    expect(ids).toContain("civic-assistance-moscow");
    expect(ids).not.toContain("trafficking-shelters-tajikistan");
    expect(nearest(directory, MOSCOW, { citizenship: "other", limit: 1 })[0]!.service.id).toBe("tj-embassy-moscow");
  });
});

describe("referral options", () => {
  it("finds the city in what a client typed, in any language or short form", () => {
    expect(foldPlaceName("г. Санкт-Петербург")).toBe("санкт петербург");
    expect(cityOfText(directory, "Екатеринбург")?.key).toBe("yekaterinburg");
    expect(cityOfText(directory, "г. Москва")?.key).toBe("moscow");
    expect(cityOfText(directory, "Маскав")?.key).toBe("moscow");
    expect(cityOfText(directory, "спб")?.key).toBe("saint-petersburg");
    expect(cityOfText(directory, "Москва, Люблино")?.key).toBe("moscow");
    expect(cityOfText(directory, "шаҳри Хуҷанд")?.key).toBe("khujand");
    expect(cityOfText(directory, "Kazan")).toBeUndefined();
    expect(cityOfText(directory, null)).toBeUndefined();
  });

  it("offers the client's city first, then the rest of the country nearest first, then the hotline", () => {
    const ids = referralOptions(directory, { country: "russia", city: "Екатеринбург", citizenship: "tajikistan" }).map(
      (service) => service.id,
    );
    expect(ids.slice(0, 3)).toEqual(["tj-consulate-yekaterinburg", "tj-consulate-ufa", "tj-consulate-novosibirsk"]);
    expect(ids).toContain("tj-embassy-moscow");
    expect(ids.at(-1)).toBe("hotline-woman-and-society");
    expect(ids).not.toContain("iom-dushanbe");
  });

  it("offers every service for a client in another country, without other countries' missions", () => {
    const ids = referralOptions(directory, { country: "other", city: null, citizenship: "kyrgyzstan" }).map((service) => service.id);
    expect(ids).toContain("iom-dushanbe");
    expect(ids).not.toContain("tj-consulate-almaty");
  });
});

describe("a service card", () => {
  const i18n = createI18n();
  const hotline = loadHotlineConfig();
  const card = (id: string, locale: "en" | "ru" | "tg" = "en") =>
    serviceCard(i18n.getFixedT(locale), locale, directory, directory.byId.get(id)!, { hotline: hotline.schedule });

  it("shows the kind, name, address, hours with whose time, tappable phones and 'please call first' when not confirmed", () => {
    const text = card("tj-consulate-yekaterinburg");
    expect(text).toContain("<b>Consulate General of Tajikistan in Yekaterinburg</b>");
    expect(text).toContain("Consulate · Yekaterinburg");
    expect(text).toContain("📍 2 Grazhdanskaya St., Yekaterinburg");
    expect(text).toContain("🕒 Mon–Fri 08:30–18:00, Yekaterinburg time");
    expect(text).toContain("📞 +7 343 370-23-60");
    expect(text).toContain("Please call first to check");
  });

  it("gives the hotline's own hours and no warning for the confirmed hotline; says when days are not known", () => {
    expect(card("hotline-woman-and-society")).toContain("Mon–Fri 08:00–12:00, 13:00–17:00; Sat 08:00–12:00, Dushanbe time");
    expect(card("hotline-woman-and-society")).not.toContain("⚠️");
    expect(card("molmep-russia-hotline")).toContain("09:00–18:00 (days not stated), Moscow time");
    expect(card("molmep-russia-hotline")).toContain("WhatsApp +7 999 912-58-68");
    expect(card("trafficking-shelters-tajikistan")).toContain("Ask: IOM: +992 48 701 0202 · Free legal help: +992 918 85 34 34");
    expect(card("tj-consulate-novosibirsk", "tg")).toContain("аз хати боварӣ пурсед");
  });
});

describe("links from FAQ answers and the emergency screen", () => {
  const t = createI18n().getFixedT("en");

  it("lead detention and a lost passport to consulates, trafficking to shelters and IOM", () => {
    expect(needOfQuestion({ id: "detention-first-steps", categoryId: "detention" })).toBe("consulate");
    expect(needOfQuestion({ id: "documents-lost-or-taken", categoryId: "documents" })).toBe("consulate");
    expect(needOfQuestion({ id: "trafficking-signs", categoryId: "trafficking" })).toBe("protection");
    expect(needOfQuestion({ id: "wages-how-often", categoryId: "unpaid-wages" })).toBeUndefined();
    expect(directoryLinkButton(t, "consulate")).toEqual({ text: "🏛 Nearest embassy or consulate", callback_data: "dir:n:consulate" });
    expect(emergencyDirectoryLinks(t).map((button) => button.callback_data)).toEqual(["dir:n:consulate", "dir:n:protection"]);
  });

  it("point only to questions that exist, and every need has a label", () => {
    const catalog = loadFaqCatalogs().en;
    for (const question of catalog.questions.values()) needOfQuestion(question);
    for (const id of [
      "documents-lost-or-taken",
      "documents-employer-keeps-passport",
      "family-death-abroad",
      "wages-held-back",
      "wages-not-paid",
      "departure-advice-centre",
    ]) {
      expect(catalog.questions.has(id), id).toBe(true);
    }
    for (const need of NEEDS) expect(directoryButton.need.pack({ need }).length).toBeLessThanOrEqual(64);
  });
});
