import type { Clock } from "./clock.js";
import { startDeadline } from "./deadline.js";

/** Where a poll stands when it picks its next delay. */
export interface PollProgress {
  /** 1 after the first look. */
  attempt: number;
  /** Milliseconds since the poll started, on its clock. */
  elapsedMs: number;
  /** Milliseconds left before the deadline. */
  remainingMs: number;
}

/** What `poll` needs: one look, the delays between looks, a deadline and what to throw at it. */
export interface PollOptions<T> {
  clock: Clock;
  /** The caller's signal: an abort ends the poll with `signal.reason`, never retried. */
  signal?: AbortSignal | undefined;
  /** The deadline for the whole poll; it also aborts a look in flight. */
  timeoutMs: number;
  /** One look: `{ value }` ends the poll with `value`, `undefined` asks for another look. */
  check(signal: AbortSignal): Promise<{ value: T } | undefined>;
  /** The delay before the next look. */
  nextDelayMs(progress: PollProgress): number;
  /** Whether a look that threw is worth another one; otherwise the error ends the poll. Default: never. */
  isTransient?(error: unknown): boolean;
  /** What to throw when the deadline passes, given the last transient error (if any). */
  timeoutError(lastError: unknown): unknown;
}

/**
 * Looks with `check` until it yields a value, `signal` aborts, or `timeoutMs` passes on `clock`.
 * The deadline aborts a look that never answers as well as a sleep, so neither can run past it.
 *
 * @example
 * ```ts
 * const action = await poll({
 *   clock,
 *   timeoutMs: 60_000,
 *   check: async (signal) => {
 *     const current = await getAction(id, signal);
 *     return current.status === "success" ? { value: current } : undefined;
 *   },
 *   nextDelayMs: ({ attempt }) => Math.min(10_000, 1_000 * 1.5 ** (attempt - 1)),
 *   timeoutError: () => new Error(`action ${id} still running after 60 s`),
 * });
 * ```
 */
export async function poll<T>(options: PollOptions<T>): Promise<T> {
  const { clock, signal } = options;
  signal?.throwIfAborted();
  const startedAt = clock.now();
  const deadline = startDeadline(clock, options.timeoutMs);
  const pollSignal =
    signal === undefined ? deadline.signal : AbortSignal.any([signal, deadline.signal]);
  let lastError: unknown;
  const stopped = (error: unknown): unknown => {
    if (signal?.aborted) return signal.reason;
    if (deadline.signal.aborted) return options.timeoutError(lastError);
    return error;
  };
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await options.check(pollSignal);
        if (result !== undefined) return result.value;
        lastError = undefined;
      } catch (error) {
        if (signal?.aborted || deadline.signal.aborted) throw stopped(error);
        if (!options.isTransient?.(error)) throw error;
        lastError = error;
      }
      const remainingMs = deadline.remaining();
      if (remainingMs <= 0) throw options.timeoutError(lastError);
      const delayMs = options.nextDelayMs({
        attempt,
        elapsedMs: clock.now() - startedAt,
        remainingMs,
      });
      try {
        await clock.sleep(Math.max(0, Math.min(delayMs, remainingMs)), pollSignal);
      } catch (error) {
        throw stopped(error);
      }
      if (deadline.signal.aborted || deadline.remaining() <= 0) {
        throw options.timeoutError(lastError);
      }
    }
  } finally {
    deadline.dispose();
  }
}
