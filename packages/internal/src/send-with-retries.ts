import type { Clock } from "./clock.js";

/** What one attempt produced: an answer, or an error thrown while sending it. */
export type AttemptOutcome<Answer> =
  | { kind: "answer"; answer: Answer }
  | { kind: "error"; error: unknown; timedOut: boolean };

/** Whether to send again, and after how long. */
export type RetryDecision =
  | { retry: false }
  | { retry: true; delayMs: number; reason: string; status?: number; code?: string };

/** Reported just before the engine waits to send again. */
export interface RetryNotice {
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  /** Short human text, never a secret. */
  reason: string;
  status?: number;
  code?: string;
}

/** How {@link sendWithRetries} runs: the per-API classification, limits, and time. */
export interface SendWithRetriesOptions<Answer> {
  clock: Clock;
  /** The caller's signal: its abort ends the loop with `signal.reason` and is never retried. */
  signal?: AbortSignal | undefined;
  /** Sends after the first attempt. */
  maxRetries: number;
  /** Ends one attempt after this long on `clock`, reported as `timedOut`. Default: none. */
  attemptTimeoutMs?: number | undefined;
  /** The API's rules: is this outcome worth another attempt, and after how long? */
  classify(
    outcome: AttemptOutcome<Answer>,
    attempt: number,
  ): RetryDecision | Promise<RetryDecision>;
  /** Called before each wait; an exception it throws is ignored. */
  onRetry?: ((notice: RetryNotice) => void) | undefined;
  /** Releases an answer that is not returned (cancels its body). */
  discard?: ((answer: Answer) => unknown) | undefined;
}

/**
 * The retry engine both API clients share: sends with `send` until `classify` says stop or
 * `maxRetries` is used up, sleeping on `clock` between attempts, and returns the last outcome
 * (the caller turns it into its own result or error). Every attempt is a fresh call of `send`, so
 * whatever `send` does (middleware, serialising the body) happens again each time.
 *
 * @example
 * ```ts
 * const outcome = await sendWithRetries((signal) => fetch(url, { signal }), {
 *   clock: systemClock,
 *   maxRetries: 3,
 *   classify: (outcome) =>
 *     outcome.kind === "answer" && outcome.answer.status === 503
 *       ? { retry: true, delayMs: 1_000, reason: "503" }
 *       : { retry: false },
 * });
 * ```
 */
export async function sendWithRetries<Answer>(
  send: (signal: AbortSignal | undefined) => Promise<Answer>,
  options: SendWithRetriesOptions<Answer>,
): Promise<AttemptOutcome<Answer>> {
  const { clock, signal } = options;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    const outcome = await attemptOnce(send, options);
    if (signal?.aborted) {
      if (outcome.kind === "answer") await options.discard?.(outcome.answer);
      throw signal.reason;
    }
    if (attempt > options.maxRetries) return outcome;
    const decision = await options.classify(outcome, attempt);
    if (!decision.retry) return outcome;
    const { retry: _retry, ...notice } = decision;
    try {
      options.onRetry?.({ attempt, ...notice });
    } catch {
      // An observer must not turn a recoverable request into a failure.
    }
    if (outcome.kind === "answer") await options.discard?.(outcome.answer);
    await clock.sleep(decision.delayMs, signal);
  }
}

async function attemptOnce<Answer>(
  send: (signal: AbortSignal | undefined) => Promise<Answer>,
  options: SendWithRetriesOptions<Answer>,
): Promise<AttemptOutcome<Answer>> {
  const { attemptTimeoutMs, clock, signal } = options;
  if (attemptTimeoutMs === undefined) {
    try {
      return { kind: "answer", answer: await send(signal) };
    } catch (error) {
      return { kind: "error", error, timedOut: false };
    }
  }
  const timer = new AbortController();
  const attempt = new AbortController();
  let timedOut = false;
  clock.sleep(attemptTimeoutMs, timer.signal).then(
    () => {
      timedOut = true;
      attempt.abort(new DOMException(`no response within ${attemptTimeoutMs} ms`, "TimeoutError"));
    },
    () => {},
  );
  try {
    const combined =
      signal === undefined ? attempt.signal : AbortSignal.any([signal, attempt.signal]);
    return { kind: "answer", answer: await send(combined) };
  } catch (error) {
    return { kind: "error", error, timedOut };
  } finally {
    timer.abort();
  }
}
