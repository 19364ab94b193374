import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import pino from "pino";
import type { Update } from "grammy/types";
import { createApp } from "../../src/app.js";
import { createLogger } from "../../src/logger.js";
import type { StaffConfig } from "../../src/config.js";
import type { SenderOptions } from "../../src/broadcast/sender.js";
import { loadContent, type Content } from "../../src/content.js";
import { closeDatabase, openDatabase, type Database } from "../../src/db/client.js";
import { BOT_TOKEN, FakeTelegram, botInfo, type Screen } from "./fake-telegram.js";

let content: Content | undefined;

export interface HarnessOptions {
  /** The clock's starting instant (ISO, Dushanbe time unless it names a zone). */
  now?: string;
  content?: Content;
  staff?: Partial<StaffConfig>;
  broadcast?: Partial<SenderOptions>;
  floodLimit?: number;
  /** Where the bot's JSON log lines go (default: nowhere). */
  logLines?: string[];
}

/** The NGO admin in tests (ADMIN_IDS). */
export const ADMIN_ID = 4242;

/** The lawyers' supergroup in tests. */
export const STAFF_CHAT_ID = -1001000000001;

/**
 * The real bot on a real SQLite file (migrations applied) with a fake Bot API.
 * `clock` is what the bot reads as "now"; tests move it.
 */
export async function createHarness(options: HarnessOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), "hamroh-test-"));
  const db = await openDatabase(`file:${join(dir, "hamroh.db")}`);
  content ??= loadContent();
  const telegram = new FakeTelegram();
  const clock = { now: DateTime.fromISO(options.now ?? "2026-11-23T10:00", { zone: "Asia/Dushanbe" }) };
  // The bot's clock: wall-clock time is what the test sets; intervals follow it, never going back.
  let monotonic = 0;
  const botClock = { now: () => clock.now, monotonicMs: () => (monotonic = Math.max(monotonic, clock.now.toMillis())) };
  const logger = options.logLines
    ? createLogger("debug", { write: (line: string) => void options.logLines!.push(line) })
    : pino({ level: "silent" });
  const build = (database: Database) =>
    createApp(
      BOT_TOKEN,
      {
        ...(options.content ?? content!),
        db: database,
        logger,
        clock: botClock,
        adminIds: [ADMIN_ID],
        retentionDays: 180,
        // The test clock stands still while a test sends dozens of updates: only the flood test
        // uses the real limit.
        floodLimit: options.floodLimit ?? 10_000,
        broadcast: { ratePerSecond: 1000, concurrency: 3, progressEveryMs: 0, ...options.broadcast },
        staff: { chatId: STAFF_CHAT_ID, language: "en", reannounceMinutes: 30, urgentReannounceMinutes: 10, ...options.staff },
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
    /** Stops this bot and starts a new one on the same database file (as after a crash or deploy). */
    async restart() {
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
      await person.press(`lang:${locale}`);
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
    const message = { message_id: messageId++, date: 1_790_000_000, chat: this.chat, from: this.from, text, ...(entities ? { entities } : {}), ...extra };
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
      message: { message_id: last?.messageId ?? 1, date: 1_790_000_000, chat: this.chat, from: { id: botInfo.id, is_bot: true, first_name: "Hamroh" }, text: last?.text ?? "" },
    };
    return this.capture(() => this.harness.handle({ callback_query } as never));
  }

  /** Presses the button whose label contains `label` on the last screen. */
  async pressLabel(label: string): Promise<Screen[]> {
    const button = this.lastScreen().buttons.flat().find((candidate) => candidate.text.includes(label));
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
