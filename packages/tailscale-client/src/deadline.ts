import type { Clock } from "./clock.js";

/** A signal that aborts when a wait's deadline passes; `dispose` it when the wait is over. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Epoch milliseconds at which `signal` aborts. */
  readonly at: number;
  dispose(): void;
}

/**
 * Starts a deadline measured with `clock`, so an injected clock drives it in tests: one sleep of
 * `ms` that aborts `signal` when it ends. `dispose` cancels that sleep, so no timer outlives the
 * wait.
 *
 * @example
 * ```ts
 * const deadline = startDeadline(clock, 60_000);
 * try {
 *   await listDevices({ signal: deadline.signal });
 * } finally {
 *   deadline.dispose();
 * }
 * ```
 */
export function startDeadline(clock: Clock, ms: number): Deadline {
  const at = clock.now() + ms;
  const expired = new AbortController();
  const disposed = new AbortController();
  clock.sleep(ms, disposed.signal).then(
    () => expired.abort(new DOMException(`deadline of ${ms} ms passed`, "TimeoutError")),
    () => {},
  );
  return {
    signal: expired.signal,
    at,
    dispose: () => disposed.abort(),
  };
}
