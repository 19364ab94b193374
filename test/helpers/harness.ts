import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Update } from "grammy/types";
import { DateTime } from "luxon";
import pino from "pino";
import { afterAll, afterEach, beforeEach, onTestFinished, vi } from "vitest";
import { createApp } from "../../src/app.js";
import { callback } from "../../src/bot/callbacks.js";
import type { SenderOptions } from "../../src/broadcast/sender.js";
import type { StaffConfig } from "../../src/config.js";
import { type Content, loadContent } from "../../src/content.js";
import { closeDatabase, type Database, openDatabase } from "../../src/db/client.js";
import { migrateDatabase } from "../../src/db/migrate.js";
import type { Locale } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import type { Clock } from "../../src/shared/clock.js";
import { BOT_TOKEN, botInfo, FakeTelegram, type Screen } from "./fake-telegram.js";

let content: Content | undefined;

/**
 * A database file with every migration applied, made once per test process: each harness
 * starts from a copy of it (openDatabase then finds nothing to migrate), which is faster than
 * migrating a new file for every test.
 */
let migratedTemplate: string | undefined;
function migratedDatabaseFile(dir: string): string {
  if (!migratedTemplate) {
    const templateDir = mkdtempSync(join(tmpdir(), "hamroh-template-"));
    process.once("exit", () => rmSync(templateDir, { recursive: true, force: true }));
    migratedTemplate = join(templateDir, "hamroh.db");
    migrateDatabase(migratedTemplate);
  }
  const file = join(dir, "hamroh.db");
  copyFileSync(migratedTemplate, file);
  return file;
}

export interface HarnessOptions {
  /** The clock's starting instant (ISO, Dushanbe time unless it names a zone). */
  now?: string;
  content?: Content;
  staff?: Partial<StaffConfig>;
  broadcast?: Partial<SenderOptions>;
  floodLimit?: number;
  /** Where the bot's JSON log lines go (default: nowhere). */
  logLines?: string[];
  /**
   * Whether the wall clock runs on its own, following `Date.now()` (with vitest's fake timers:
   * fake time) from `now`. By default it stands still and moves only when a test moves it.
   */
  running?: boolean;
}

/**
 * The bot's clock in tests. `now` is wall-clock time: it stands still (or, `running`, follows
 * `Date.now()`) and tests set or advance it. `monotonicMs` is `performance.now()` (real time,
 * or fake time under vitest's fake timers) plus every step the test moved the wall clock
 * forward: waits (pacing, pauses) pass in real time, windows pass when a test moves the clock,
 * and a step backwards freezes nothing.
 */
export class TestClock {
  private wall: DateTime;
  /** `Date.now()` when `wall` was set (what a running clock counts from). */
  private wallSetAt = Date.now();
  private monotonic = 0;
  private lastPerformanceNow = performance.now();

  constructor(
    start: DateTime,
    private readonly running = false,
  ) {
    this.wall = start;
  }

  get now(): DateTime {
    return this.running ? this.wall.plus({ milliseconds: Date.now() - this.wallSetAt }) : this.wall;
  }

  set now(value: DateTime) {
    this.monotonic += Math.max(0, value.toMillis() - this.now.toMillis());
    this.wall = value;
    this.wallSetAt = Date.now();
  }

  /** Moves the wall clock (and the monotonic one) `ms` forward. */
  advance(ms: number): void {
    this.now = this.now.plus({ milliseconds: ms });
  }

  monotonicMs(): number {
    // Only the time that passed counts: installing or removing fake timers midway (which
    // restarts `performance.now()`) moves it neither back nor forward.
    const performanceNow = performance.now();
    this.monotonic += Math.max(0, performanceNow - this.lastPerformanceNow);
    this.lastPerformanceNow = performanceNow;
    return this.monotonic;
  }
}

/**
 * What fake time replaces: timers, `Date` and `performance.now()` (and so the harness clock's
 * monotonic time). `setImmediate` and `process.nextTick` stay real: work goes on through them.
 */
export const FAKE_TIMERS = ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"] as const;

/**
 * Runs the rest of the test on fake time that passes by itself, `stepMs` at each turn of the
 * event loop (about 20 times faster than real time): waits in the code under test (a 429's
 * `retry_after`, auto-retry, the notice sender's pace and pauses) and the test's own `setTimeout`
 * pass in a fraction of their length, in the same order and with the same gaps as in real time.
 * The wall clock of the harness still stands still unless the test moves it.
 */
export function runOnFastTime(stepMs = 20): void {
  vi.useFakeTimers({ toFake: [...FAKE_TIMERS] });
  let running = true;
  const ticking = (async () => {
    while (running) {
      await vi.advanceTimersByTimeAsync(stepMs);
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  onTestFinished(async () => {
    running = false;
    await ticking;
    vi.useRealTimers();
  });
}

/** The NGO admin in tests (ADMIN_IDS). */
export const ADMIN_ID = 4242;

/** The lawyers' supergroup in tests. */
export const STAFF_CHAT_ID = -1001000000001;

/**
 * The real bot on a real SQLite file (migrations applied) with a fake Bot API.
 * `clock` is what the bot reads as "now"; tests move it (`clock.now = …`, `setNow`, `clock.advance`).
 */
export async function createHarness(options: HarnessOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), "hamroh-test-"));
  const db = await openDatabase(`file:${migratedDatabaseFile(dir)}`);
  content ??= loadContent();
  const telegram = new FakeTelegram();
  const clock = new TestClock(DateTime.fromISO(options.now ?? "2026-11-23T10:00", { zone: "Asia/Dushanbe" }), options.running);
  const botClock: Clock = { now: () => clock.now, monotonicMs: () => clock.monotonicMs() };
  const logger = options.logLines
    ? createLogger("debug", { write: (line: string) => void options.logLines!.push(line) })
    : pino({ level: "silent" });
  /** The settings the app is built with; a restart may change them (as a deploy with a new setting). */
  let settings: HarnessOptions = { ...options };
  const build = (database: Database) =>
    createApp(
      BOT_TOKEN,
      {
        ...(settings.content ?? content!),
        db: database,
        logger,
        clock: botClock,
        adminIds: [ADMIN_ID],
        retentionDays: 180,
        // The test clock stands still while a test sends dozens of updates: only the flood test
        // uses the real limit.
        floodLimit: settings.floodLimit ?? 10_000,
        broadcast: { ratePerSecond: 1000, concurrency: 3, progressEveryMs: 0, ...settings.broadcast },
        staff: { chatId: STAFF_CHAT_ID, language: "en", reannounceMinutes: 30, urgentReannounceMinutes: 10, ...settings.staff },
      },
      { botInfo, client: { fetch: telegram.fetch } },
    );
  let updateId = 1;

  const app = (database: Database) => {
    const built = build(database);
    return { ...built, ...built.workers };
  };
  const harness = {
    ...app(db),
    db,
    telegram,
    clock,
    dir,
    setNow(iso: string, zone = "Asia/Dushanbe") {
      clock.now = DateTime.fromISO(iso, { zone });
    },
    async handle(update: Omit<Update, "update_id">) {
      await harness.bot.handleUpdate({ update_id: updateId++, ...update } as Update);
    },
    /**
     * Stops this bot and starts a new one on the same database file (as after a crash or deploy),
     * with `changes` to its settings if given (a deploy with a new STAFF_CHAT_ID, say).
     */
    async restart(changes: Pick<HarnessOptions, "content" | "staff" | "broadcast" | "floodLimit"> = {}) {
      settings = { ...settings, ...changes };
      await closeDatabase(harness.db);
      harness.db = await openDatabase(`file:${join(dir, "hamroh.db")}`);
      Object.assign(harness, app(harness.db));
    },
    /** A person in a private chat with the bot. */
    person(id: number, languageCode?: string) {
      return new Person(harness, id, languageCode);
    },
    /** A person who has opened the bot and chosen `locale`. */
    async registered(id: number, locale = "en") {
      const person = new Person(harness, id, locale);
      await person.send("/start");
      await person.press(callback.setLanguage.pack({ locale: locale as Locale }));
      return person;
    },
    async close() {
      await closeDatabase(harness.db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;

/** The harness of the running test, as `useHarness` gives it. */
export type HarnessAccessor = Harness & {
  /** Closes this test's harness and opens a fresh one with other options (a `floodLimit`, `content`, a sender rate …). */
  recreate(options?: HarnessOptions): Promise<void>;
};

/**
 * A fresh harness for every test of the file (or `describe` block) that calls it: created before
 * each test, closed after it. Returns the harness of the running test, read through at each
 * access (so `h.restart()` and `h.db` keep working):
 *
 *     const h = useHarness();
 *     it("…", async () => { const person = await h.registered(5001); … });
 *
 * A test that needs other options calls `await h.recreate({ … })` first (a different start time:
 * `h.setNow(…)`).
 */
export function useHarness(options: HarnessOptions = {}): HarnessAccessor {
  let current: Harness | undefined;
  // A test's harness closes while the next test runs (closing waits for the checkpoint thread);
  // the last ones are waited for, and any failure reported, at the end of the file.
  const closing: Promise<unknown>[] = [];
  const closeInBackground = (harness: Harness) =>
    closing.push(
      harness.close().then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
  beforeEach(async () => {
    current = await createHarness(options);
  });
  afterEach(() => {
    if (current) closeInBackground(current);
    current = undefined;
  });
  afterAll(async () => {
    const errors = (await Promise.all(closing.splice(0))).filter((error) => error !== undefined);
    if (errors.length > 0) throw errors[0];
  });
  const harness = () => {
    if (!current) throw new Error("useHarness(): the harness exists only while a test runs");
    return current;
  };
  const recreate = async (other: HarnessOptions = {}) => {
    closeInBackground(harness());
    current = undefined;
    current = await createHarness({ ...options, ...other });
  };
  return new Proxy({} as HarnessAccessor, {
    get: (_, key) => (key === "recreate" ? recreate : Reflect.get(harness(), key)),
    set: (_, key, value) => Reflect.set(harness(), key, value),
    has: (_, key) => key === "recreate" || Reflect.has(harness(), key),
  });
}

let messageId = 1;

export class Person {
  constructor(
    private readonly harness: { handle: (update: Omit<Update, "update_id">) => Promise<void>; telegram: FakeTelegram },
    readonly id: number,
    readonly languageCode?: string,
  ) {}

  get from() {
    return { id: this.id, is_bot: false, first_name: "Test", ...(this.languageCode ? { language_code: this.languageCode } : {}) };
  }

  get chat() {
    return { id: this.id, type: "private" as const, first_name: "Test" };
  }

  /** Sends a message; extra fields (sticker, photo, entities …) replace or add to the text message. */
  async send(text: string, extra: Record<string, unknown> = {}): Promise<Screen[]> {
    const entities = text.startsWith("/") ? [{ type: "bot_command", offset: 0, length: text.split(/\s/)[0]!.length }] : undefined;
    const message = {
      message_id: messageId++,
      date: 1_790_000_000,
      chat: this.chat,
      from: this.from,
      text,
      ...(entities ? { entities } : {}),
      ...extra,
    };
    return this.capture(() => this.harness.handle({ message } as never));
  }

  async sendOther(content: Record<string, unknown>): Promise<Screen[]> {
    const message = { message_id: messageId++, date: 1_790_000_000, chat: this.chat, from: this.from, ...content };
    return this.capture(() => this.harness.handle({ message } as never));
  }

  /** Presses an inline button with this data on the bot's last message. */
  async press(data: string): Promise<Screen[]> {
    const last = this.harness.telegram.screensIn(this.id).at(-1);
    const callback_query = {
      id: String(messageId++),
      from: this.from,
      chat_instance: "1",
      data,
      message: {
        message_id: last?.messageId ?? 1,
        date: 1_790_000_000,
        chat: this.chat,
        from: { id: botInfo.id, is_bot: true, first_name: "Hamroh" },
        text: last?.text ?? "",
      },
    };
    return this.capture(() => this.harness.handle({ callback_query } as never));
  }

  /** Presses the button whose label contains `label` on the last screen. */
  async pressLabel(label: string): Promise<Screen[]> {
    const button = this.lastScreen()
      .buttons.flat()
      .find((candidate) => candidate.text.includes(label));
    if (!button) throw new Error(`No button "${label}" on: ${JSON.stringify(this.lastScreen().buttons)}`);
    return this.press(button.data);
  }

  lastScreen(): Screen {
    const screen = this.harness.telegram.screensIn(this.id).at(-1);
    if (!screen) throw new Error(`The bot has not written to ${this.id}`);
    return screen;
  }

  private async capture(action: () => Promise<void>): Promise<Screen[]> {
    const before = this.harness.telegram.screensIn(this.id).length;
    await action();
    return this.harness.telegram.screensIn(this.id).slice(before);
  }
}

export function buttonData(screen: Screen): string[] {
  return screen.buttons.flat().map((button) => button.data);
}
