/**
 * A time source. Every backoff, rate-limit wait, poll and deadline in tailvm goes through one, so
 * a test can inject a virtual clock and control time end to end.
 *
 * `sleep` must only resolve once `ms` have passed on this clock: a wait keeps one sleep pending for
 * its whole deadline, so a sleep that resolves at once (or jumps time forward the moment it is
 * called) ends every wait at once. A virtual clock for tests should keep sleeps pending and move
 * time to the earliest wake-up when nothing else is happening, or when the test advances it.
 * `sleep` must also stop its timer when `signal` aborts: a wait ends its deadline sleep that way,
 * and a timer left running would keep the process alive until the deadline.
 *
 * @example
 * ```ts
 * // A clock that logs every wait, and otherwise sleeps like the real one.
 * const clock: Clock = {
 *   now: () => Date.now(),
 *   sleep: (ms, signal) => {
 *     console.debug(`waiting ${ms} ms`);
 *     return systemClock.sleep(ms, signal);
 *   },
 * };
 * ```
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with `signal.reason` as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The real clock: `Date.now` and `setTimeout`, with abortable sleeps.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * await systemClock.sleep(1_000, controller.signal); // rejects with the abort reason on abort
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
      const timer = setTimeout(
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};
