import { afterEach, expect, it, vi } from "vitest";
import { POLL_RETRY_MS, receiveByPolling } from "../src/telegram/updates.js";
import { startMessage } from "./helpers/fake-telegram.js";
import { FAKE_TIMERS, useHarness } from "./helpers/harness.js";

// Long polling through the real runner and the bot's own API transformers, on fake time.
const h = useHarness();
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

it("polls through a day without network every few seconds, never gives up, and answers within seconds once the network is back", async () => {
  const printed = vi.spyOn(console, "error").mockImplementation(() => undefined);
  vi.useFakeTimers({ toFake: [...FAKE_TIMERS] });
  // Longer than the 15 hours after which grammY's runner gives up by default.
  const DOWN_MS = 20 * 60 * 60_000;
  const wentDownAt = Date.now();
  h.telegram.goDown(DOWN_MS);
  const polling = receiveByPolling(h.bot);
  let ended: unknown;
  polling.done.then(
    () => (ended = "stopped"),
    (error: unknown) => (ended = error),
  );
  for (let passed = 0; passed < DOWN_MS; passed += 60_000) await vi.advanceTimersByTimeAsync(60_000);
  expect(ended).toBeUndefined();

  // Tried at a steady pace the whole time, not at waits that double.
  const polls = h.telegram.polls.filter((at) => at < wentDownAt + DOWN_MS);
  const gaps = polls.slice(1).map((at, index) => at - polls[index]!);
  expect(Math.max(...gaps)).toBeLessThanOrEqual(POLL_RETRY_MS + 1000);
  expect(polls.length).toBeGreaterThan(DOWN_MS / (POLL_RETRY_MS + 1000));

  // The network is back: a user's /start is answered within one retry.
  const backAt = Date.now();
  h.telegram.queueUpdate({ update_id: 1, ...startMessage(7001, "en") });
  while (h.telegram.screensIn(7001).length === 0 && Date.now() - backAt < 60_000) await vi.advanceTimersByTimeAsync(250);
  expect(h.telegram.screensIn(7001)).not.toHaveLength(0);
  expect(Date.now() - backAt).toBeLessThanOrEqual(POLL_RETRY_MS + 1000);

  // The outage is the Bot API monitor's to log (redacted): the runner printed nothing itself.
  expect(printed).not.toHaveBeenCalled();
  const stopping = polling.stop();
  await vi.advanceTimersByTimeAsync(31_000);
  await stopping;
  expect(ended).toBe("stopped");
});
