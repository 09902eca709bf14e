import { describe, expect, it } from "vitest";
import type { Clock } from "../clock.js";

/** A clock under test, with a way to move its time and to count the timers it keeps. */
export interface ClockSubject {
  clock: Clock;
  /** Moves the clock's time forward by `ms`, waking the sleeps due by then. */
  advance(ms: number): Promise<unknown>;
  /** How many of the clock's timers are still pending. */
  pending(): number;
}

/**
 * The rules of `Clock` that every clock keeps: a sleep resolves once its time has passed and not
 * before, and a sleep whose signal aborts (before or while it sleeps) rejects at once with the
 * signal's reason and leaves no timer behind. `make` builds a fresh subject for each test.
 *
 * @example
 * ```ts
 * describeClockRules("the virtual clock", () => {
 *   const clock = createVirtualClock({ autoAdvance: false });
 *   return { clock, advance: (ms) => clock.advance(ms), pending: () => clock.pending };
 * });
 * ```
 */
export function describeClockRules(name: string, make: () => ClockSubject): void {
  describe(`${name}, as a Clock`, () => {
    it("sleeps for the requested time", async () => {
      const { clock, advance, pending } = make();
      let done = false;
      const sleeping = clock.sleep(5_000).then(() => {
        done = true;
      });

      await advance(4_999);
      expect(done).toBe(false);
      await advance(1);
      await sleeping;
      expect(done).toBe(true);
      expect(pending()).toBe(0);
    });

    it("rejects with the signal's reason as soon as it aborts", async () => {
      const { clock, pending } = make();
      const controller = new AbortController();
      const sleeping = clock.sleep(60_000, controller.signal);

      controller.abort(new Error("stop"));

      await expect(sleeping).rejects.toThrow("stop");
      expect(pending()).toBe(0);
    });

    it("rejects at once for an already aborted signal", async () => {
      const { clock, pending } = make();

      await expect(clock.sleep(10, AbortSignal.abort(new Error("gone")))).rejects.toThrow("gone");
      expect(pending()).toBe(0);
    });
  });
}
