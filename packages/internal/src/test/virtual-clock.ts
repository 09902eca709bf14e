import type { Clock } from "../clock.js";

/** A {@link Clock} whose time a test moves: by hand, or by jumping to the next wake-up when idle. */
export interface VirtualClock extends Clock {
  /** Every `sleep(ms)` requested, in order. */
  readonly sleeps: readonly number[];
  /** Sleeps neither resolved nor aborted yet. */
  readonly pending: number;
  /** Moves time forward by `ms`, waking every sleep that falls due, in order. */
  advance(ms: number): Promise<void>;
  /**
   * Tells the clock that work is in flight (a simulated request being answered), so that it does
   * not jump ahead; call the returned function when the work is done.
   */
  hold(): () => void;
}

/** Options of {@link createVirtualClock}. */
export interface VirtualClockOptions {
  /** Start time in milliseconds since the epoch. Default: `Date.UTC(2030, 0, 1)`. */
  start?: number;
  /**
   * When true (the default), whenever sleeps are pending and nothing has happened for a few
   * event-loop turns, time jumps to the earliest wake-up. A long sleep pending in the background
   * (a wait's deadline) therefore does not make time jump early.
   */
  autoAdvance?: boolean;
}

interface PendingSleep {
  wakeAt: number;
  order: number;
  resolve: () => void;
}

// Captured at load, so that a test that fakes timers does not stop the clock's own idle checks.
const realSetImmediate = globalThis.setImmediate;
/** Event-loop turns without clock activity after which an auto-advancing clock jumps ahead. */
const IDLE_TURNS = 10;

/**
 * The one virtual clock of tailvm's tests, demos and simulator. Nothing real is waited for: 40 s
 * of simulated boot time pass in microseconds.
 *
 * @example
 * ```ts
 * const clock = createVirtualClock();
 * const before = clock.now();
 * await clock.sleep(60_000); // returns at once, virtual time jumped
 * clock.now() - before; // 60_000
 * ```
 */
export function createVirtualClock(options: VirtualClockOptions = {}): VirtualClock {
  let now = options.start ?? Date.UTC(2030, 0, 1);
  const autoAdvance = options.autoAdvance ?? true;
  const waiting = new Set<PendingSleep>();
  const sleeps: number[] = [];
  let order = 0;
  let activity = 0;
  let holds = 0;
  let checking = false;

  const earliest = (): PendingSleep | undefined => {
    let best: PendingSleep | undefined;
    for (const entry of waiting) {
      if (
        !best ||
        entry.wakeAt < best.wakeAt ||
        (entry.wakeAt === best.wakeAt && entry.order < best.order)
      ) {
        best = entry;
      }
    }
    return best;
  };

  const wakeDue = () => {
    const due = [...waiting]
      .filter((entry) => entry.wakeAt <= now)
      .sort((a, b) => a.wakeAt - b.wakeAt || a.order - b.order);
    for (const entry of due) {
      waiting.delete(entry);
      entry.resolve();
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
        if (waiting.size > 0 && holds === 0) scheduleIdleCheck();
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
      if (waiting.size > 0) scheduleIdleCheck();
    };
    realSetImmediate(step);
  };

  return {
    sleeps,
    get pending() {
      return waiting.size;
    },
    now: () => now,
    sleep(ms, signal) {
      sleeps.push(ms);
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
          waiting.delete(entry);
          activity += 1;
          reject(signal?.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        waiting.add(entry);
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
    hold() {
      holds += 1;
      activity += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holds -= 1;
        activity += 1;
        if (holds === 0 && waiting.size > 0) scheduleIdleCheck();
      };
    },
  };
}

/** Holds `clock` while work is in flight when it is a {@link VirtualClock}; otherwise does nothing. */
export function holdClock(clock: Clock): () => void {
  const hold = (clock as Partial<VirtualClock>).hold;
  return typeof hold === "function" ? hold.call(clock) : () => {};
}
