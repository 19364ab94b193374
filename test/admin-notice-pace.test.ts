import { describe, expect, it } from "vitest";
import { SendPacer } from "../src/broadcast/pacer.js";

/**
 * Notices at Telegram's pace, simulated on a fake clock: each send reaches "Telegram" after a
 * forward delay and is answered `processing` ms later (plus the delay back). Telegram counts
 * what reaches it in a sliding second, as the benchmark's loopback server does.
 */
function simulate(options: {
  rate: number;
  sends: number;
  forward: (index: number) => number;
  refused?: (index: number) => boolean;
  processing?: number;
  stallEvery?: number;
}) {
  const pacer = new SendPacer(options.rate);
  const processing = options.processing ?? 80;
  const answers: { at: number; send: ReturnType<SendPacer["start"]>; delivered: boolean }[] = [];
  const arrivals: number[] = [];
  let now = 0;
  for (let index = 0; index < options.sends; index++) {
    // Concurrency 3, as the sender: wait for the oldest answer when three are out.
    for (;;) {
      answers.sort((a, b) => a.at - b.at);
      while (answers.length > 0 && answers[0]!.at <= now) {
        const answer = answers.shift()!;
        pacer.answered(answer.send, answer.at, answer.delivered);
      }
      const next = Math.max(now, pacer.nextAt(now));
      if (answers.length >= 3) {
        now = Math.max(now, answers[0]!.at);
        continue;
      }
      if (next > now) {
        now = answers.length > 0 ? Math.min(next, answers[0]!.at) : next;
        if (now < next) continue;
      }
      break;
    }
    const send = pacer.start(now);
    pacer.left(send, now + 0.3);
    const reachedAt = now + options.forward(index);
    const refused = options.refused?.(index) ?? false;
    if (!refused) arrivals.push(reachedAt);
    answers.push({ at: reachedAt + (refused ? 2 : processing) + 0.5, send, delivered: !refused });
    if (options.stallEvery && index % options.stallEvery === 0) now += 40; // a database write holds the loop
  }
  return { arrivals, duration: now, pacer };
}

/** The most messages Telegram saw within any second. */
function busiestSecond(arrivals: number[]): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= 1000) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe("the notice sender's pace", () => {
  it("reaches the configured rate without ever putting more than that into a second", () => {
    const { arrivals, duration } = simulate({ rate: 30, sends: 3000, forward: () => 0.5 });
    expect(busiestSecond(arrivals)).toBeLessThanOrEqual(30);
    expect(arrivals.length / (duration / 1000)).toBeGreaterThan(29.7);
  });

  it("keeps below the limit when some requests are held up on their way, and when its own loop stalls", () => {
    // Every 13th request takes up to 40 ms longer to reach Telegram (and its answer as much longer).
    const { arrivals, duration } = simulate({
      rate: 30,
      sends: 3000,
      forward: (index) => (index % 13 === 0 ? 0.5 + ((index * 7) % 40) : 0.5),
      stallEvery: 50,
    });
    expect(busiestSecond(arrivals)).toBeLessThanOrEqual(30);
    expect(arrivals.length / (duration / 1000)).toBeGreaterThan(29);
  });

  it("gives a refused send (a blocked user) its place back: refusals do not slow the notice", () => {
    const { arrivals, duration } = simulate({ rate: 30, sends: 3000, forward: () => 0.5, refused: (index) => index % 10 === 0 });
    expect(busiestSecond(arrivals)).toBeLessThanOrEqual(30);
    expect(arrivals.length / (duration / 1000)).toBeGreaterThan(29.5);
  });

  it("pauses for a 429's retry_after and widens its margin afterwards, then narrows it again", () => {
    const pacer = new SendPacer(30);
    const send = pacer.start(0);
    pacer.rateLimited(1000);
    pacer.answered(send, 5, false);
    expect(pacer.nextAt(10)).toBe(1000);
    expect(pacer.margin).toBe(6);
    let now = 1000;
    for (let index = 0; index < 1000; index++) {
      now = Math.max(now, pacer.nextAt(now));
      const next = pacer.start(now);
      pacer.answered(next, now + 80, true);
    }
    expect(pacer.margin).toBe(2);
  });

  it("counts a request not answered yet as reaching Telegram now", () => {
    const pacer = new SendPacer(2);
    pacer.start(0);
    pacer.start(500);
    // Two sends in the window, neither answered: the next may go once the older is a whole window (and margin) old, measured from now.
    expect(pacer.nextAt(1000)).toBeGreaterThan(2000);
  });
});
