import { registerClockHold, type SimulatedClock } from "./clock.js";

/**
 * Options for {@link createVirtualClock}.
 *
 * @example
 * ```ts
 * const options: VirtualClockOptions = { start: Date.UTC(2030, 0, 1), autoAdvance: false };
 * ```
 */
export interface VirtualClockOptions {
  /** Start time in milliseconds since the epoch. Default: `Date.UTC(2030, 0, 1)`. */
  start?: number;
  /**
   * When true (the default), whenever sleeps are pending and nothing else has happened for a few
   * event-loop turns, time jumps to the earliest wake-up.
   */
  autoAdvance?: boolean;
}

interface PendingSleep {
  wakeAt: number;
  order: number;
  resolve: () => void;
}

const realSetImmediate = globalThis.setImmediate;
const IDLE_TURNS = 5;

/**
 * A clock whose time only moves when a sleep is due (auto-advance) or when `advance` is called.
 * Nothing real is waited for: 40 s of simulated boot time passes in microseconds.
 *
 * @example
 * ```ts
 * const clock = createVirtualClock();
 * const before = clock.now();
 * await clock.sleep(60_000); // returns at once, virtual time jumped
 * clock.now() - before; // 60_000
 * ```
 */
export function createVirtualClock(options: VirtualClockOptions = {}): SimulatedClock {
  let now = options.start ?? Date.UTC(2030, 0, 1);
  const autoAdvance = options.autoAdvance ?? true;
  const pending = new Set<PendingSleep>();
  let order = 0;
  let activity = 0;
  let holds = 0;
  let checking = false;

  const earliest = (): PendingSleep | undefined => {
    let best: PendingSleep | undefined;
    for (const sleep of pending) {
      if (
        !best ||
        sleep.wakeAt < best.wakeAt ||
        (sleep.wakeAt === best.wakeAt && sleep.order < best.order)
      ) {
        best = sleep;
      }
    }
    return best;
  };

  const wakeDue = () => {
    const due = [...pending]
      .filter((sleep) => sleep.wakeAt <= now)
      .sort((a, b) => a.wakeAt - b.wakeAt || a.order - b.order);
    for (const sleep of due) {
      pending.delete(sleep);
      sleep.resolve();
    }
  };

  const scheduleIdleCheck = () => {
    if (!autoAdvance || checking) return;
    checking = true;
    const seen = activity;
    let turns = 0;
    const step = () => {
      if (activity !== seen || holds > 0) {
        checking = false;
        if (pending.size > 0 && holds === 0) scheduleIdleCheck();
        return;
      }
      turns += 1;
      if (turns < IDLE_TURNS) {
        realSetImmediate(step);
        return;
      }
      checking = false;
      const next = earliest();
      if (!next) return;
      if (next.wakeAt > now) now = next.wakeAt;
      activity += 1;
      wakeDue();
      if (pending.size > 0) scheduleIdleCheck();
    };
    realSetImmediate(step);
  };

  const clock: SimulatedClock = {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        activity += 1;
        const entry: PendingSleep = {
          wakeAt: now + Math.max(0, ms),
          order: order++,
          resolve: () => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          pending.delete(entry);
          activity += 1;
          reject(signal?.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        pending.add(entry);
        scheduleIdleCheck();
      });
    },
    async advance(ms) {
      const target = now + Math.max(0, ms);
      for (;;) {
        const next = earliest();
        if (!next || next.wakeAt > target) break;
        if (next.wakeAt > now) now = next.wakeAt;
        activity += 1;
        wakeDue();
        await new Promise<void>((resolve) => realSetImmediate(resolve));
      }
      now = target;
      activity += 1;
    },
  };

  registerClockHold(clock, () => {
    holds += 1;
    activity += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      holds -= 1;
      activity += 1;
      if (holds === 0 && pending.size > 0) scheduleIdleCheck();
    };
  });

  return clock;
}
