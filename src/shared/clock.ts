import { DateTime } from "luxon";

/**
 * The one clock of all logic, injected so that tests fix the instant. `now` is wall-clock time
 * (what the hotline's schedule and stored dates mean); `monotonicMs` only ever grows and
 * measures intervals (pacing, windows, waits), so a clock step backwards freezes nothing.
 */
export interface Clock {
  now(): DateTime;
  monotonicMs(): number;
}

export const systemClock: Clock = {
  now: () => DateTime.now(),
  monotonicMs: () => performance.now(),
};
