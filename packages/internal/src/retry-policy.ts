import { backoffDelay } from "./backoff.js";
import { networkErrorReason } from "./network-error-reason.js";
import type { RetryDecision } from "./send-with-retries.js";
import { isAbortError } from "./signals.js";

/** The retry settings both API clients accept; every field is optional. */
export interface RetryPolicyOptions {
  maxRetries?: number | undefined;
  baseDelayMs?: number | undefined;
  maxDelayMs?: number | undefined;
  random?: (() => number) | undefined;
  timeoutMs?: number | undefined;
}

/** {@link RetryPolicyOptions} with the defaults filled in. */
export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
  /** Ends one attempt after this long; `undefined` for no per-attempt timeout. */
  attemptTimeoutMs: number | undefined;
  /** The backoff before retry number `attempt` (1 for the first). */
  backoff(attempt: number): number;
}

/** An option that failed its check: the field's name (e.g. `retry.maxRetries`) and what was wrong. */
export interface OptionProblem {
  field: string;
  message: string;
}

/**
 * The first of `checks` (`[field, value, minimum]`) whose value is given but is not a finite number
 * at or above its minimum.
 */
export function findInvalidNumber(
  checks: readonly (readonly [field: string, value: unknown, minimum: number])[],
): OptionProblem | undefined {
  for (const [field, value, minimum] of checks) {
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value < minimum) {
      return { field, message: `expected a finite number >= ${minimum}, got ${String(value)}` };
    }
  }
  return undefined;
}

/**
 * Checks retry options and fills in the defaults both clients share: 5 retries, backoff from 1 s
 * doubling up to 30 s, `Math.random` jitter, no per-attempt timeout. `false` means no retries.
 */
export function resolveRetryPolicy(
  options: RetryPolicyOptions | false | undefined,
): RetryPolicy | OptionProblem {
  const given: RetryPolicyOptions = options === false ? { maxRetries: 0 } : (options ?? {});
  const problem = findInvalidNumber([
    ["retry.maxRetries", given.maxRetries, 0],
    ["retry.baseDelayMs", given.baseDelayMs, 0],
    ["retry.maxDelayMs", given.maxDelayMs, 0],
    ["retry.timeoutMs", given.timeoutMs, 1],
  ]);
  if (problem) return problem;
  if (given.random !== undefined && typeof given.random !== "function") {
    return { field: "retry.random", message: "expected a function returning a number in [0, 1)" };
  }
  const policy = {
    maxRetries: given.maxRetries ?? 5,
    baseDelayMs: given.baseDelayMs ?? 1_000,
    maxDelayMs: given.maxDelayMs ?? 30_000,
    random: given.random ?? Math.random,
    attemptTimeoutMs: given.timeoutMs,
  };
  return { ...policy, backoff: (attempt: number) => backoffDelay(attempt, policy) };
}

/** Whether {@link resolveRetryPolicy} reported a problem rather than a policy. */
export function isOptionProblem(value: RetryPolicy | OptionProblem): value is OptionProblem {
  return "field" in value;
}

/**
 * The decision for an attempt that got no answer: no retry after an abort (unless the attempt's
 * own timeout caused it) or when the API's rules say the request must not be re-sent; otherwise
 * backoff, with a short reason (`no response within 5000 ms`, `network error (ECONNREFUSED)`).
 */
export function retryLostAnswer(
  outcome: { error: unknown; timedOut: boolean },
  attempt: number,
  policy: RetryPolicy,
  mayResend: boolean,
): RetryDecision {
  if (!mayResend || (!outcome.timedOut && isAbortError(outcome.error))) return { retry: false };
  return {
    retry: true,
    delayMs: policy.backoff(attempt),
    reason: outcome.timedOut
      ? `no response within ${policy.attemptTimeoutMs} ms`
      : `network error (${networkErrorReason(outcome.error)})`,
  };
}
