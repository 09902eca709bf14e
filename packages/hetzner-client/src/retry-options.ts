import {
  findInvalidNumber,
  isOptionProblem,
  type RetryPolicy,
  resolveRetryPolicy,
} from "@tailvm/internal";
import { HetznerInputError } from "./errors";

export type { RetryEvent } from "@tailvm/internal";

/**
 * How the client retries. Pass `retry: false` to `createHetznerClient` to turn retries off.
 *
 * @example
 * ```ts
 * import { createHetznerClient } from "@tailvm/hetzner-client";
 *
 * const hetzner = createHetznerClient({
 *   token,
 *   retry: { maxRetries: 3, maxDelayMs: 10_000, doNotRetry: ["conflict"] },
 * });
 * ```
 */
export interface RetryOptions {
  /** Retries after the first attempt. Default 5. */
  maxRetries?: number | undefined;
  /** First backoff delay; it doubles with each retry. Default 1000 ms. */
  baseDelayMs?: number | undefined;
  /** Cap on one backoff delay. Default 30 000 ms. */
  maxDelayMs?: number | undefined;
  /** Cap on one wait for `RateLimit-Reset` after a 429. Default 60 000 ms. */
  maxRateLimitWaitMs?: number | undefined;
  /** Hetzner error codes (e.g. `"conflict"`) or HTTP statuses (e.g. `502`) never to retry. */
  doNotRetry?: readonly (string | number)[] | undefined;
  /** Source of jitter in [0, 1). Default `Math.random`; inject a constant in tests. */
  random?: (() => number) | undefined;
  /**
   * Gives up on one attempt after this long (measured with the client's clock) and treats it as a
   * network timeout: retried unless the request is a POST. Default: no per-attempt timeout.
   */
  timeoutMs?: number | undefined;
}

/** The Hetzner retry policy: the shared one plus the rate-limit cap and the exclusions. */
export interface HetznerRetryPolicy extends RetryPolicy {
  maxRateLimitWaitMs: number;
  doNotRetry: readonly (string | number)[];
}

export function resolveRetryOptions(options: RetryOptions | false | undefined): HetznerRetryPolicy {
  const shared = resolveRetryPolicy(options);
  const given = options || {};
  const problem = isOptionProblem(shared)
    ? shared
    : findInvalidNumber([["retry.maxRateLimitWaitMs", given.maxRateLimitWaitMs, 0]]);
  if (problem) throw new HetznerInputError(problem.field, problem.message);
  if (given.doNotRetry !== undefined && !Array.isArray(given.doNotRetry)) {
    throw new HetznerInputError(
      "retry.doNotRetry",
      'expected a list of Hetzner error codes and HTTP statuses, e.g. ["conflict", 502]',
    );
  }
  return {
    ...(shared as RetryPolicy),
    maxRateLimitWaitMs: given.maxRateLimitWaitMs ?? 60_000,
    doNotRetry: given.doNotRetry ?? [],
  };
}
