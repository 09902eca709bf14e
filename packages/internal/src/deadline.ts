import type { Clock } from "./clock.js";

/** A signal that aborts when a deadline passes; `dispose` it when the guarded work is over. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Epoch milliseconds at which `signal` aborts. */
  readonly at: number;
  /** Milliseconds left, never negative. */
  remaining(): number;
  /** Cancels the deadline's sleep, so no timer outlives the work. */
  dispose(): void;
}

/**
 * Starts a deadline of `ms` measured with `clock` (so a virtual clock drives it in tests): one
 * sleep that aborts `signal` with `reason()` when it ends.
 *
 * @example
 * ```ts
 * const deadline = startDeadline(clock, 60_000);
 * try {
 *   await work(deadline.signal);
 * } finally {
 *   deadline.dispose();
 * }
 * ```
 */
export function startDeadline(
  clock: Clock,
  ms: number,
  reason: () => unknown = () => new DOMException(`deadline of ${ms} ms passed`, "TimeoutError"),
): Deadline {
  const at = clock.now() + ms;
  const expired = new AbortController();
  const disposed = new AbortController();
  clock.sleep(ms, disposed.signal).then(
    () => expired.abort(reason()),
    () => {},
  );
  return {
    signal: expired.signal,
    at,
    remaining: () => Math.max(0, at - clock.now()),
    dispose: () => disposed.abort(),
  };
}
