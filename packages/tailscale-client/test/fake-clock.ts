import type { Clock } from "../src/clock.js";

export interface FakeClock extends Clock {
  /** Every sleep requested, in order. */
  readonly sleeps: number[];
  /** Sleeps not yet resolved or aborted. */
  readonly pending: number;
  /** Moves time forward and resolves the sleeps that are due. */
  advance(ms: number): void;
}

/** Event-loop turns without clock activity after which the clock jumps to the next wake-up. */
const IDLE_TURNS = 10;

/**
 * A virtual clock: whenever sleeps are pending and the clock has seen no activity for a few
 * event-loop turns, time jumps to the earliest wake-up and the sleeps due by then resolve (in the
 * order they were asked for). A long sleep pending in the background, such as a wait's deadline,
 * therefore does not make time jump early.
 */
export function createFakeClock(start = Date.parse("2026-03-01T12:00:00Z")): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  const waiting: { wakeAt: number; resolve: () => void }[] = [];
  let activity = 0;
  let checking = false;

  const wakeDue = () => {
    const due = waiting
      .filter((entry) => entry.wakeAt <= now)
      .sort((first, second) => first.wakeAt - second.wakeAt);
    for (const sleeper of due) {
      waiting.splice(waiting.indexOf(sleeper), 1);
      sleeper.resolve();
    }
  };

  const scheduleIdleCheck = () => {
    if (checking) return;
    checking = true;
    const seen = activity;
    let turns = 0;
    const step = () => {
      if (activity !== seen) {
        checking = false;
        if (waiting.length > 0) scheduleIdleCheck();
        return;
      }
      if (++turns < IDLE_TURNS) {
        setImmediate(step);
        return;
      }
      checking = false;
      const earliest = Math.min(...waiting.map((entry) => entry.wakeAt));
      if (!Number.isFinite(earliest)) return;
      now = Math.max(now, earliest);
      activity++;
      wakeDue();
      if (waiting.length > 0) scheduleIdleCheck();
    };
    setImmediate(step);
  };

  return {
    sleeps,
    get pending() {
      return waiting.length;
    },
    now: () => now,
    advance(ms) {
      now += ms;
      activity++;
      wakeDue();
    },
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      sleeps.push(ms);
      activity++;
      return new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const index = waiting.indexOf(entry);
          if (index >= 0) waiting.splice(index, 1);
          activity++;
          reject(signal?.reason);
        };
        const entry = {
          wakeAt: now + Math.max(0, ms),
          resolve: () => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          },
        };
        waiting.push(entry);
        signal?.addEventListener("abort", onAbort, { once: true });
        scheduleIdleCheck();
      });
    },
  };
}
