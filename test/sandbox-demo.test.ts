import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Message } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callback, requestDialogButton } from "../src/bot/callbacks.js";
import { staffButton } from "../src/requests/staff/card.js";
import { SANDBOX_GROUP, SANDBOX_STAFF } from "../src/sandbox/cast.js";
import { type Demo, startDemo } from "../src/sandbox/demo.js";
import { demoRefusal, staffLanguageFrom } from "../src/sandbox/settings.js";
import type { PageMessage } from "../src/sandbox/telegram.js";

/**
 * `npm run demo` and what it starts: the real bot against the sandbox, driven here through the
 * page's own endpoints (what the page's buttons send), without a browser — so this runs where
 * Chromium is missing too. The group has topics, which the browser test leaves off.
 */

const ru = (await import("../locales/ru/bot.json", { with: { type: "json" } })).default;
const ROOT = join(import.meta.dirname, "..");
const GROUP = SANDBOX_GROUP.id;
const DILNOZA = SANDBOX_STAFF[0]!.user.id;
const SITORA = SANDBOX_STAFF[2]!.user.id;
const MIGRANT = 100001;

describe("npm run demo", () => {
  it("refuses where a real bot is configured or in production, and says why", () => {
    expect(demoRefusal({ NODE_ENV: "production" })).toMatch(/NODE_ENV=production/);
    expect(demoRefusal({ BOT_TOKEN: "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0" })).toMatch(/real bot token/);
    expect(demoRefusal({ BOT_TOKEN: "", NODE_ENV: "development" })).toBeUndefined();
    expect(demoRefusal({ BOT_TOKEN: "not-a-token" })).toBeUndefined();
    expect([staffLanguageFrom({ STAFF_LANGUAGE: "en" }), staffLanguageFrom({ STAFF_LANGUAGE: "xx" }), staffLanguageFrom({})]).toEqual([
      "en",
      undefined,
      undefined,
    ]);
  });

  it("starts with no token and no network, prints the page's address on 127.0.0.1, and stops cleanly on Ctrl+C", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hamroh-demo-"));
    const { BOT_TOKEN: _, NODE_ENV: __, ...env } = process.env;
    const started = performance.now();
    const demo = spawn("npm", ["run", "--silent", "demo"], {
      cwd: ROOT,
      env: { ...env, SANDBOX_PORT: "0", SANDBOX_DATA_DIR: dataDir },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    demo.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    demo.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    // Closed once every process of the group has let go of the output: npm, and the sandbox itself.
    const closed = new Promise<void>((resolve) => demo.on("close", () => resolve()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no address within 20 s:\n${output}`)), 20_000);
        demo.stdout.on("data", () => {
          const found = /Hamroh sandbox: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
          if (found) {
            clearTimeout(timer);
            resolve(found);
          }
        });
      });
      const page = await fetch(url);
      const answeredAfter = performance.now() - started;
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("<title>Hamroh sandbox</title>");
      console.log(`npm run demo → the page answered in ${(answeredAfter / 1000).toFixed(2)} s`);
      expect(answeredAfter).toBeLessThan(15_000);
    } finally {
      // The process group this test started (npm, its shell and the sandbox).
      if (demo.pid) process.kill(-demo.pid, "SIGINT");
    }
    await closed;
    expect(output).toContain("Hamroh sandbox stopped.");
    expect(output).not.toMatch(/error/i);
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it("exits at once with the reason when BOT_TOKEN looks real or NODE_ENV is production", async () => {
    const { BOT_TOKEN: _, NODE_ENV: __, ...env } = process.env;
    const run = (extra: Record<string, string>) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
          cwd: ROOT,
          env: { ...env, SANDBOX_PORT: "0", ...extra },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.on("exit", (code) => resolve({ code, output }));
      });
    const [token, production, port] = await Promise.all([
      run({ BOT_TOKEN: "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0" }),
      run({ NODE_ENV: "production" }),
      run({ SANDBOX_PORT: "http" }),
    ]);
    expect(token).toEqual({ code: 1, output: expect.stringContaining("BOT_TOKEN is set to a real bot token") });
    expect(production).toEqual({ code: 1, output: expect.stringContaining("NODE_ENV=production") });
    expect(port).toEqual({ code: 1, output: expect.stringContaining("SANDBOX_PORT must be a port number") });
  }, 30_000);
});

describe("the real bot in the sandbox, through the page's endpoints (topics on)", () => {
  let demo: Demo;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "hamroh-demo-"));
    demo = await startDemo({ dataDir, forum: true, staffLanguage: "ru" });
  });

  afterAll(async () => {
    await demo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function post(action: string, body: Record<string, unknown> | FormData): Promise<any> {
    const form = body instanceof FormData;
    const response = await fetch(`${demo.url}sandbox/${action}`, {
      method: "POST",
      headers: form ? {} : { "content-type": "application/json" },
      body: form ? body : JSON.stringify(body),
    });
    const answer = (await response.json()) as any;
    if (!answer.ok) throw new Error(`${action}: ${answer.description}`);
    return answer.result;
  }
  const messages = (chatId: number) => demo.server.telegram.messagesOf(chatId);
  /** Waits until a chat has a message that `match` accepts; resolves to it. */
  async function waitFor(chatId: number, match: (message: PageMessage) => boolean, what: string): Promise<PageMessage> {
    for (let waited = 0; waited < 8000; waited += 20) {
      const found = messages(chatId).findLast(match);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(
      `no ${what} in chat ${chatId}: ${JSON.stringify(messages(chatId).map((message) => message.text ?? message.caption ?? Object.keys(message)))}`,
    );
  }
  const holding = (text: string) => (message: PageMessage) => (message.text ?? message.caption ?? "").includes(text);
  /** Presses the button with this data on the newest message of the chat that has it, as the page does (by row and column). */
  async function press(from: number, chatId: number, data: string): Promise<void> {
    const message = await waitFor(
      chatId,
      (candidate) =>
        (candidate.reply_markup?.inline_keyboard ?? []).some((row) =>
          row.some((button) => "callback_data" in button && button.callback_data === data),
        ),
      `button ${data}`,
    );
    const rows = message.reply_markup!.inline_keyboard;
    const row = rows.findIndex((buttons) => buttons.some((button) => "callback_data" in button && button.callback_data === data));
    const column = rows[row]!.findIndex((button) => "callback_data" in button && button.callback_data === data);
    const pressed = await post("press", { from, chat_id: chatId, message_id: message.message_id, row, column });
    expect(pressed.callback_query_id).toBeDefined();
  }
  const say = (from: number, chatId: number, text: string, extra: Record<string, unknown> = {}): Promise<Message> =>
    post("send", { from, chat_id: chatId, text, ...extra });

  it("posts each request in its own topic; notes get ✍, a member cannot answer, a lawyer's reply reaches the migrant, the migrant's next message comes back", async () => {
    await say(MIGRANT, MIGRANT, "/start");
    await press(MIGRANT, MIGRANT, callback.setLanguage.pack({ locale: "ru" }));
    await press(MIGRANT, MIGRANT, callback.ask.pack());
    await press(MIGRANT, MIGRANT, requestDialogButton.topic.pack({ topic: "registration-documents" }));
    await press(MIGRANT, MIGRANT, requestDialogButton.country.pack({ country: "russia" }));
    await press(MIGRANT, MIGRANT, requestDialogButton.skip.pack());
    await say(MIGRANT, MIGRANT, "Потерял паспорт в Москве, что делать с регистрацией?");
    await waitFor(
      MIGRANT,
      (message) =>
        message.reply_markup?.inline_keyboard
          .flat()
          .some((button) => "callback_data" in button && button.callback_data === requestDialogButton.continue.pack()) === true,
      "the files step",
    );
    const voice = new FormData();
    for (const [key, value] of Object.entries({ from: MIGRANT, chat_id: MIGRANT, kind: "voice", duration: 4 }))
      voice.append(key, String(value));
    voice.append("file", new Blob([Buffer.from("OggS fake opus")], { type: "audio/ogg" }), "voice.ogg");
    await post("send", voice);
    await press(MIGRANT, MIGRANT, requestDialogButton.continue.pack());
    await press(MIGRANT, MIGRANT, requestDialogButton.replyVia.pack({ via: "telegram" }));
    await press(MIGRANT, MIGRANT, requestDialogButton.consent.pack({ answer: "yes" }));
    await press(MIGRANT, MIGRANT, requestDialogButton.send.pack());
    await waitFor(MIGRANT, holding("A-1001"), "the reference");

    // The card opens its own topic, with the voice note in it.
    const card = await waitFor(GROUP, (message) => holding("A-1001")(message) && message.reply_markup !== undefined, "the card");
    const [topic] = demo.server.telegram.snapshot().chats.find((chat) => chat.id === GROUP)!.topics;
    expect(topic!.name).toMatch(/^A-1001 · /);
    expect(card).toMatchObject({ message_thread_id: topic!.message_thread_id, is_topic_message: true, has_protected_content: true });
    await waitFor(
      GROUP,
      (message) => message.voice !== undefined && message.message_thread_id === topic!.message_thread_id,
      "the voice note",
    );

    // A plain member's reply is not delivered; a lawyer's note in the topic is marked ✍.
    await say(SITORA, GROUP, "Я отвечу!", { reply_to_message_id: card.message_id });
    await waitFor(GROUP, holding(ru.staff.onlyLawyers.slice(0, 30)), "the answer to a member");
    const note = await say(DILNOZA, GROUP, "Проверю в базе", { message_thread_id: topic!.message_thread_id });
    await waitFor(GROUP, (message) => message.message_id === note.message_id && message.reactions.includes("✍"), "✍ on the note");

    // The lawyer takes the card and answers by replying; the answer reaches the migrant, 👌 on hers.
    await press(DILNOZA, GROUP, staffButton.take.pack({ requestId: 1 }));
    const reply = await say(DILNOZA, GROUP, "Обратитесь в МФЦ с заявлением об утере.", { reply_to_message_id: card.message_id });
    expect(reply.message_thread_id).toBe(topic!.message_thread_id);
    const answer = await waitFor(MIGRANT, holding("Обратитесь в МФЦ"), "the lawyer's answer");
    await waitFor(GROUP, (message) => message.message_id === reply.message_id && message.reactions.includes("👌"), "👌 on the answer");

    // The migrant replies to the answer: the message comes to the topic as a copy, without the migrant's account.
    const followUp = await say(MIGRANT, MIGRANT, "Спасибо! А штраф будет?", { reply_to_message_id: answer.message_id });
    const copy = await waitFor(GROUP, holding("А штраф будет"), "the follow-up");
    expect(copy).toMatchObject({
      from: { is_bot: true },
      message_thread_id: topic!.message_thread_id,
      reply_to_message: { message_id: card.message_id },
    });
    expect(copy).not.toHaveProperty("forward_origin");
    await waitFor(MIGRANT, (message) => message.reply_to_message?.message_id === followUp.message_id, "the note that it was sent");
  }, 30_000);

  it("restarts the bot when topics are switched off, and Reset starts everything afresh", async () => {
    const before = demo.app();
    await post("forum", { on: false });
    expect(demo.app()).not.toBe(before);
    expect(demo.server.telegram.snapshot().chats.find((chat) => chat.id === GROUP)!.is_forum).toBe(false);
    const queue = await say(DILNOZA, GROUP, "/queue");
    await waitFor(GROUP, (message) => message.message_id > queue.message_id && holding("A-1001")(message), "the queue after the restart");

    await post("reset", {});
    expect(messages(GROUP)).toEqual([]);
    expect(messages(MIGRANT)).toEqual([]);
    await say(MIGRANT, MIGRANT, "/start");
    await waitFor(MIGRANT, (message) => message.from?.is_bot === true, "the language picker after the reset");
    expect(await demo.app().services.requests.store.queue()).toEqual([]);
  }, 30_000);
});
