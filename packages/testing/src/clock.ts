/**
 * A time source. Inject one to control time in tests.
 *
 * @example
 * ```ts
 * const deadline = clock.now() + 30_000;
 * while (clock.now() < deadline) await clock.sleep(1_000, signal);
 * ```
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with `signal.reason` as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * A clock the simulation runs on: a {@link Clock} that a test can also move forward by hand.
 *
 * @example
 * ```ts
 * const clock = createVirtualClock({ autoAdvance: false });
 * const woke = clock.sleep(1_000);
 * await clock.advance(1_000); // `woke` is now resolved
 * ```
 */
export interface SimulatedClock extends Clock {
  /** Moves time forward by `ms`, waking every sleep that falls due, in order. */
  advance(ms: number): Promise<void>;
}

/**
 * The real clock: `Date.now` and `setTimeout`.
 *
 * @example
 * ```ts
 * await systemClock.sleep(10);
 * const elapsed = systemClock.now() - start;
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

const holders = new WeakMap<Clock, () => () => void>();

/**
 * Registers how a clock is told that work is in flight (used by the virtual clock so that it does
 * not jump ahead while a simulated request is being answered).
 */
export function registerClockHold(clock: Clock, hold: () => () => void): void {
  holders.set(clock, hold);
}

/** Tells `clock` that work is in flight until the returned function is called. */
export function holdClock(clock: Clock): () => void {
  const hold = holders.get(clock);
  return hold ? hold() : () => {};
}
