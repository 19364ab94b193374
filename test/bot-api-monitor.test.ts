import { GrammyError, HttpError } from "grammy";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";
import type { Clock } from "../src/shared/clock.js";
import { BotApiMonitor, networkProblem } from "../src/telegram/bot-api-monitor.js";
import { connectToBotApi, explainTelegramRefusal, StartupError } from "../src/telegram/startup.js";
import { botInfo } from "./helpers/fake-telegram.js";

const API_ROOT = "https://api.telegram.org";

/** A monitor on a clock the test moves, logging into `lines`. */
function monitorWithClock() {
  let ms = 0;
  const clock: Clock = { now: () => DateTime.fromMillis(Date.UTC(2026, 10, 23, 5) + ms, { zone: "utc" }), monotonicMs: () => ms };
  const lines: string[] = [];
  const monitor = new BotApiMonitor({ apiRoot: API_ROOT, logger: createLogger("info", { write: (line) => void lines.push(line) }), clock });
  const logged = () => lines.map((line) => JSON.parse(line) as { level: number; msg: string; problem?: string; minutes?: number });
  return { monitor, logged, advance: (by: number) => (ms += by) };
}

const refused = Object.assign(new Error("request to https://api.telegram.org/bot123:secret/getMe failed, reason: connect ECONNREFUSED"), {
  code: "ECONNREFUSED",
});

describe("the Bot API monitor", () => {
  it("says a problem at once, again about once a minute while it lasts, and once when the Bot API answers again", async () => {
    const { monitor, logged, advance } = monitorWithClock();
    monitor.record(undefined);
    expect(logged()).toEqual([]);
    monitor.recordError(new HttpError("Network request for 'getMe' failed!", refused));
    advance(20_000);
    monitor.recordError(new HttpError("Network request for 'getMe' failed!", refused));
    expect(logged()).toHaveLength(1);
    expect(logged()[0]).toMatchObject({
      level: 40,
      problem: "ECONNREFUSED",
      msg: `no route to the Bot API at ${API_ROOT} (ECONNREFUSED): Hamroh keeps trying. Check this machine's network, DNS and firewall (outgoing HTTPS), or TELEGRAM_API_ROOT`,
    });
    expect(monitor.status()).toMatchObject({ ok: false, problem: "ECONNREFUSED", failingSince: "2026-11-23T05:00:00.000Z" });

    // No call ends for a while (auto-retry waits): the minute's check says it again and asks the Bot API.
    advance(45_000);
    let probes = 0;
    await monitor.check(async () => {
      probes++;
      throw new HttpError("Network request for 'getMe' failed!", new Error("Request to 'getMe' timed out after 10 seconds"));
    });
    expect(probes).toBe(1);
    expect(logged()).toHaveLength(2);
    expect(logged()[1]).toMatchObject({ level: 40, minutes: 1, problem: "no answer within 10 s" });
    expect(logged()[1]!.msg).toMatch(/\(for 1 min now\)$/);

    advance(30_000);
    await monitor.check(async () => botInfo);
    expect(logged()).toHaveLength(3);
    expect(logged()[2]).toMatchObject({ level: 30, msg: `the Bot API at ${API_ROOT} answers again` });
    expect(monitor.status()).toMatchObject({ ok: true, problem: undefined, failingSince: undefined });
    expect(JSON.stringify(logged())).not.toContain("secret");
  });

  it("asks the Bot API only when nothing proved it fine for a minute", async () => {
    const { monitor, advance } = monitorWithClock();
    let probes = 0;
    const probe = async () => void probes++;
    advance(30_000);
    await monitor.check(probe);
    expect(probes).toBe(0);
    advance(31_000);
    await monitor.check(probe);
    expect(probes).toBe(1);
    await monitor.check(probe);
    expect(probes).toBe(1);
  });

  it("records each HTTP attempt through its fetch, once the answer is read: JSON is fine, 5xx, not JSON and no route are problems", async () => {
    const json = (body: unknown) => async () => body;
    const answers: ({ status: number; json: () => Promise<unknown> } | Error)[] = [
      { status: 200, json: json({ ok: true, result: true }) },
      { status: 502, json: json({ ok: false, error_code: 502, description: "Bad Gateway" }) },
      { status: 403, json: json({ ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" }) },
      { status: 404, json: () => Promise.reject(new SyntaxError("Unexpected token <")) },
      refused,
    ];
    const monitor = new BotApiMonitor({
      apiRoot: API_ROOT,
      logger: createLogger("silent"),
      clock: { now: () => DateTime.now(), monotonicMs: () => 0 },
      fetch: (async () => {
        const next = answers.shift()!;
        if (next instanceof Error) throw next;
        return next;
      }) as never,
    });
    const call = async () => (await monitor.fetch("x")).json();
    expect(monitor.status().ok).toBeUndefined();
    await call();
    expect(monitor.status().ok).toBe(true);
    await call();
    expect(monitor.status()).toMatchObject({ ok: false, problem: "HTTP 502" });
    await call();
    expect(monitor.status()).toMatchObject({ ok: true, problem: undefined });
    const notJson = await call().catch((error: unknown) => error);
    expect(monitor.status()).toMatchObject({ ok: false, problem: "HTTP 404, not JSON" });
    // grammY wraps the error: recording it again names the same problem.
    expect(networkProblem(new HttpError("x", notJson as Error))).toBe("HTTP 404, not JSON");
    await expect(call()).rejects.toBe(refused);
    expect(monitor.status()).toMatchObject({ ok: false, problem: "ECONNREFUSED" });
  });

  it("names network problems without the URL (which holds the token)", () => {
    expect(networkProblem(new HttpError("x", refused))).toBe("ECONNREFUSED");
    expect(networkProblem(new HttpError("x", Object.assign(new Error("fetch failed"), { cause: { code: "ENOTFOUND" } })))).toBe(
      "ENOTFOUND",
    );
    expect(networkProblem(new HttpError("x", new Error("Request to 'getMe' timed out after 10 seconds")))).toBe("no answer within 10 s");
  });
});

describe("connecting at start", () => {
  const refusal = (code: number, description: string, method = "getMe") =>
    new GrammyError(`Call to '${method}' failed! (${code}: ${description})`, { ok: false, error_code: code, description }, method, {});

  it("tries again after no route until getMe answers, with growing waits", async () => {
    const { monitor, logged } = monitorWithClock();
    const answers: (Error | typeof botInfo)[] = [new HttpError("x", refused), new HttpError("x", refused), botInfo];
    const waits: number[] = [];
    const me = await connectToBotApi(
      {
        getMe: async () => {
          const next = answers.shift()!;
          if (next instanceof Error) throw next;
          return next;
        },
      },
      monitor,
      { apiRoot: API_ROOT, wait: async (ms) => void waits.push(ms) },
    );
    expect(me.username).toBe("hamroh_test_bot");
    expect(waits).toEqual([500, 1000]);
    expect(logged().map((entry) => entry.level)).toEqual([40, 30]);
  });

  it("stops with the fix when Telegram refuses the token", async () => {
    const { monitor } = monitorWithClock();
    const connecting = connectToBotApi({ getMe: async () => Promise.reject(refusal(401, "Unauthorized")) }, monitor, {
      apiRoot: API_ROOT,
      wait: async () => undefined,
    });
    await expect(connecting).rejects.toBeInstanceOf(StartupError);
    await expect(connecting).rejects.toThrow(
      /Telegram refuses BOT_TOKEN \(401 Unauthorized\)\. The token was revoked or mistyped\.\n.*@BotFather/,
    );
  });

  it("explains 404, WEBHOOK_URL refusals and conflicts; leaves the rest to retries", () => {
    expect(explainTelegramRefusal(refusal(404, "Not Found"), "http://127.0.0.1:8081")).toMatch(
      /the Bot API at http:\/\/127\.0\.0\.1:8081 answers 404 Not Found to this BOT_TOKEN/,
    );
    expect(explainTelegramRefusal(refusal(400, "Bad Request: bad webhook: Failed to resolve host", "setWebhook"), API_ROOT)).toMatch(
      /Telegram refuses WEBHOOK_URL \(Bad Request: bad webhook: Failed to resolve host\)/,
    );
    expect(
      explainTelegramRefusal(
        refusal(
          409,
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
          "getUpdates",
        ),
        API_ROOT,
      ),
    ).toMatch(/A webhook is set for this bot while BOT_MODE=polling/);
    expect(explainTelegramRefusal(refusal(502, "Bad Gateway"), API_ROOT)).toBeUndefined();
    expect(explainTelegramRefusal(new HttpError("x", refused), API_ROOT)).toBeUndefined();
  });
});
