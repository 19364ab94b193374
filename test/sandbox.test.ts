import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Demo, startDemo } from "../src/sandbox/demo.js";

/**
 * The sandbox page in a real browser (Debian's Chromium, driven by playwright-core) with the real
 * bot behind it: a migrant chooses Russian and asks a lawyer (with a photo and "share my number");
 * a lawyer takes the card in the staff group and answers by replying; the migrant sees the answer
 * and rates it after the lawyer closes the request; the admin sends a notice and the migrant
 * receives it; the page works on a phone-sized window; Reset empties everything.
 * Screenshots go to data/sandbox-screens/.
 */

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
/** Set by .ci/run: there a missing browser fails the run instead of skipping the test. */
const required = process.env.REQUIRE_BROWSER === "1";
const SKIPPED = `the browser test (test/sandbox.test.ts) was skipped: ${CHROMIUM} is missing. Install it with "apt-get install -y chromium" (.ci/run does).`;
const SCREENS = join(import.meta.dirname, "..", "data", "sandbox-screens");

const ru = (await import("../locales/ru/bot.json", { with: { type: "json" } })).default;
const en = (await import("../locales/en/bot.json", { with: { type: "json" } })).default;

if (!hasChromium && !required) console.warn(`⚠ ${SKIPPED}`);

describe.runIf(hasChromium)("the sandbox page in Chromium", () => {
  let demo: Demo;
  let context: BrowserContext;
  let page: Page;
  const profiles: string[] = [];

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hamroh-sandbox-"));
    const profile = mkdtempSync(join(tmpdir(), "hamroh-chromium-"));
    profiles.push(dataDir, profile);
    // The cards in Russian (the real default), a notice sent at once.
    [demo, context] = await Promise.all([
      startDemo({ dataDir, staffLanguage: "ru", broadcastRate: 30 }),
      chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        args: [
          "--no-sandbox",
          "--headless",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--no-first-run",
          "--disable-sync",
        ],
        viewport: { width: 1440, height: 900 },
      }),
    ]);
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(8000);
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    onProblems = () => problems;
    rmSync(SCREENS, { recursive: true, force: true });
    mkdirSync(SCREENS, { recursive: true });
  });

  afterAll(async () => {
    await page?.screenshot({ path: join(SCREENS, "last.png") }).catch(() => undefined);
    await context?.close();
    await demo?.stop();
    for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
  });

  let onProblems: () => string[] = () => [];
  const pane = (name: "migrant" | "group" | "admin") => page.locator(`[data-pane="${name}"]`);
  /** The newest message in a pane that holds `text`. */
  const message = (where: Locator, text: string | RegExp) => where.locator("li.msg", { hasText: text }).last();
  /** Presses the inline button labelled `label` on the newest message that has it. */
  const press = (where: Locator, label: string) => where.locator(".inline-keyboard button", { hasText: label }).last().click();
  const write = async (where: Locator, text: string) => {
    await where.locator("textarea").fill(text);
    await where.locator("textarea").press("Enter");
  };
  const shot = (name: string) => page.screenshot({ path: join(SCREENS, `${name}.png`) });

  it("runs the whole scenario: ask in Russian, a lawyer's answer, a rating, a notice, a phone-sized window, reset", async () => {
    const started = performance.now();
    await page.goto(demo.url);
    const migrant = pane("migrant");
    const group = pane("group");
    const admin = pane("admin");

    // The migrant opens the bot and chooses Russian.
    await migrant.getByRole("button", { name: "START" }).click();
    await press(migrant, ru.language.name);
    await message(migrant, ru.menu.ask).waitFor();

    // Asks a lawyer: topic, country, city, the question, a photo, a call back on "share my number", consent.
    await press(migrant, ru.menu.ask);
    await press(migrant, ru.topic["unpaid-wages"]);
    await press(migrant, ru.country.russia);
    await write(migrant, "Казань");
    await write(migrant, "Работодатель не платит зарплату уже два месяца. Что мне делать?");
    const chooser = page.waitForEvent("filechooser");
    await migrant.getByRole("button", { name: "Attach" }).click();
    await migrant.locator(".menu button", { hasText: "Photo" }).click();
    await (await chooser).setFiles({ name: "contract.png", mimeType: "image/png", buffer: png(240, 160) });
    await expect.poll(() => migrant.locator(".msg img").count()).toBe(1);
    await press(migrant, ru.ask.continue.replace(/\s*➡️/, ""));
    await press(migrant, ru.ask.via.call);
    await migrant.locator(".reply-keyboard button", { hasText: ru.ask.shareContact.replace("📱 ", "") }).click();
    await message(migrant, "+79000000001").waitFor();
    await press(migrant, ru.ask.consentAnswer.yes);
    await press(migrant, ru.ask.send);
    const saved = message(migrant, /A-\d{4}/);
    const reference = /A-\d{4}/.exec((await saved.textContent()) ?? "")![0];
    await shot("01-migrant-asked");

    // The card and the photo reach the lawyers' group, protected; Dilnoza takes the card.
    const card = group.locator("li.msg", { hasText: reference }).first();
    await card.locator(".inline-keyboard button", { hasText: ru.staff.take }).waitFor();
    await expect.poll(() => group.locator(".msg.protected img").count()).toBe(1);
    await card.locator(".inline-keyboard button", { hasText: ru.staff.take }).click();
    await page.locator(".toast", { hasText: reference }).waitFor();
    await expect.poll(() => card.locator(".meta").textContent()).toContain("edited");
    await shot("02-lawyer-took-the-card");

    // She answers by replying to the card; the bot delivers it and marks her message 👌.
    await card.hover();
    await card.getByRole("button", { name: "Reply" }).click();
    await write(group, "Здравствуйте! Напишите письменную претензию работодателю и сохраните копию. Мы перезвоним сегодня.");
    const answer = message(migrant, ru.requests.fromLawyer.replace("{{reference}}", reference).replace(":", ""));
    await answer.waitFor();
    expect(await answer.textContent()).toContain("письменную претензию");
    await expect.poll(() => answer.evaluate((node) => node.classList.contains("protected"))).toBe(true);
    await expect.poll(() => message(group, "письменную претензию").locator(".reactions").textContent()).toContain("👌");
    await shot("03-answer-delivered");

    // She closes the request; the migrant rates the help with five stars.
    await card.locator(".inline-keyboard button", { hasText: ru.staff.close }).click();
    await card.locator(".inline-keyboard button", { hasText: ru.staff.outcome.answered }).click();
    const closed = message(migrant, ru.requests.closed.split("{{reference}}")[0]!.trim());
    await closed.locator(".inline-keyboard button").first().waitFor();
    await closed.locator(".inline-keyboard button", { hasText: "⭐⭐⭐⭐⭐" }).click();
    await page.locator(".toast", { hasText: ru.requests.thanksForRating }).waitFor();
    await expect.poll(() => closed.locator(".inline-keyboard").count()).toBe(0);
    await shot("04-migrant-rated");

    // The admin (in ADMIN_IDS) sends a notice to everyone; the migrant receives it, formatted.
    await admin.getByRole("button", { name: "START" }).click();
    await press(admin, en.language.name);
    await message(admin, en.menu.ask).waitFor();
    await write(admin, "/broadcast");
    await message(admin, en.broadcast.compose.slice(0, 20)).waitFor();
    await write(admin, "**Hotline** closed on Friday 5 December: call the emergency numbers if you need help.");
    await press(admin, en.language.name);
    await press(admin, en.broadcast.noMoreVersions);
    await press(admin, en.broadcast.audienceKind.all);
    await press(admin, en.broadcast.send);
    const notice = message(migrant, "closed on Friday 5 December");
    await notice.waitFor();
    expect(await notice.locator("strong").textContent()).toBe("Hotline");
    await shot("05-notice-received");

    // A phone-sized window: one chat at a time, chosen with the tabs.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => group.isVisible()).toBe(false);
    await page.getByRole("tab", { name: /Lawyers/ }).click();
    await expect.poll(() => group.isVisible()).toBe(true);
    await shot("06-phone-lawyers");
    await page.getByRole("tab", { name: /Migrant/ }).click();
    await shot("07-phone-migrant");
    await page.setViewportSize({ width: 1440, height: 900 });

    // Reset: every chat empty, the bot on a fresh database.
    await page.getByRole("button", { name: "Reset" }).click();
    await migrant.getByRole("button", { name: "START" }).waitFor();
    await expect.poll(() => group.locator("li").count()).toBe(0);
    await migrant.getByRole("button", { name: "START" }).click();
    await message(migrant, ru.language.name).waitFor();
    expect(onProblems()).toEqual([]);
    expect(readdirSync(SCREENS).sort()).toEqual([
      "01-migrant-asked.png",
      "02-lawyer-took-the-card.png",
      "03-answer-delivered.png",
      "04-migrant-rated.png",
      "05-notice-received.png",
      "06-phone-lawyers.png",
      "07-phone-migrant.png",
    ]);
    console.log(
      `sandbox scenario in Chromium: ${((performance.now() - started) / 1000).toFixed(1)} s; screenshots in data/sandbox-screens/`,
    );
  }, 60_000);

  it("has topics, a new user in another language, documents and voice files, edits and a location", async () => {
    await page.goto(demo.url);
    const migrant = pane("migrant");
    const group = pane("group");

    // Topics on (the bot restarts to read the group's setting); a new migrant whose Telegram is in English.
    await group.getByRole("checkbox", { name: "Topics" }).check();
    await page.locator(".toast", { hasText: "each new request gets its own topic" }).waitFor();
    await migrant.getByLabel("App language").selectOption("en");
    await migrant.getByRole("button", { name: "New user" }).click();
    await expect.poll(() => migrant.getByLabel("User").inputValue()).toBe("100002");
    await migrant.getByRole("button", { name: "START" }).click();
    // The bot suggests the app's language.
    await press(migrant, `✅ ${en.language.name}`);
    await press(migrant, en.menu.ask);
    await press(migrant, en.topic["registration-documents"]);
    await press(migrant, en.country.russia);
    await press(migrant, en.ask.skip);
    await write(migrant, "I lost my passport in Moscow. How do I renew my registration?");
    for (const [item, file] of [
      ["Document", { name: "fine.txt", mimeType: "text/plain", buffer: Buffer.from("Police fine No. 12345, 2,000 roubles") }],
      ["Voice file", { name: "question.ogg", mimeType: "audio/ogg", buffer: Buffer.from("OggS not really audio") }],
    ] as const) {
      const chooser = page.waitForEvent("filechooser");
      await migrant.getByRole("button", { name: "Attach" }).click();
      await migrant.locator(".menu button", { hasText: item }).click();
      await (await chooser).setFiles(file);
    }
    await message(migrant, "Voice message").waitFor();
    await press(migrant, en.ask.continue.replace(/\s*➡️/, ""));
    await press(migrant, en.ask.via.telegram);
    await press(migrant, en.ask.consentAnswer.yes);
    await press(migrant, en.ask.send);
    const reference = /A-\d{4}/.exec((await message(migrant, /A-\d{4}/).textContent()) ?? "")![0];

    // The request has its own topic; in it, the card, the document and the voice note.
    const chip = group.locator(".topics button", { hasText: reference });
    await chip.click();
    await expect.poll(() => chip.getAttribute("aria-pressed")).toBe("true");
    const card = group.locator("li.msg", { hasText: reference }).first();
    await card.locator(".inline-keyboard button").first().waitFor();
    await group.locator(".card", { hasText: "fine.txt" }).waitFor();
    await group.locator("li.msg audio").waitFor();
    // A message in the topic that replies to nothing is a note for the lawyers: ✍, never delivered.
    await write(group, "Checking the registration database first.");
    await expect.poll(() => message(group, "registration database").locator(".reactions").textContent()).toContain("✍");
    await card.hover();
    await card.getByRole("button", { name: "Reply" }).click();
    await write(group, "Go to the MFC with your patent and a police certificate of the loss.");
    await message(migrant, "Go to the MFC").waitFor();
    await shot("08-topics");

    // The migrant writes, then edits it in place; the bot reads only new messages and says so.
    await write(migrant, "Thank you");
    const thanks = migrant.locator("li.msg.out", { hasText: "Thank you" }).last();
    await thanks.hover();
    await thanks.getByRole("button", { name: "Edit" }).click();
    await write(migrant, "Thank you very much!");
    await expect.poll(() => thanks.textContent()).toContain("very much");
    await expect.poll(() => thanks.locator(".meta").textContent()).toContain("edited");
    await message(migrant, en.fallback.edited).waitFor();
    // A location, from the attachment menu: the bot gets it and answers.
    await migrant.getByRole("button", { name: "Attach" }).click();
    await migrant.locator(".menu button", { hasText: "Location" }).click();
    await page.locator("#location").getByRole("button", { name: "Kazan" }).click();
    await page.locator("#location").getByRole("button", { name: "Send" }).click();
    const location = Number(await message(migrant, "55.7963, 49.1088").getAttribute("data-id"));
    await expect.poll(async () => Number(await migrant.locator("li.msg.in").last().getAttribute("data-id"))).toBeGreaterThan(location);
    await shot("09-migrant-inputs");
    expect(onProblems()).toEqual([]);
  }, 60_000);
});

if (!hasChromium) {
  describe("the sandbox page in Chromium", () => {
    if (required) {
      it("needs Chromium: REQUIRE_BROWSER=1 makes a missing browser a failure", () => {
        throw new Error(`REQUIRE_BROWSER=1, but ${CHROMIUM} is missing: install it with "apt-get install -y chromium".`);
      });
    } else {
      it.skip(SKIPPED, () => undefined);
    }
  });
}

/** A small PNG (a document-like page: a white sheet with grey lines), made here rather than shipped. */
function png(width: number, height: number): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const line = y > 20 && y % 16 < 3 && x > 16 && x < width - 16;
      const value = line ? 150 : 250;
      row.set([value, value, line ? 170 : 245], 1 + x * 3);
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
