import { isOptionProblem, type RetryPolicy, resolveRetryPolicy } from "@tailvm/internal";
import { TailscaleInputError } from "./errors.js";

export type { RetryEvent } from "@tailvm/internal";

/**
 * How the client retries failed requests. Pass `retry: false` to the factory to turn retries off.
 *
 * @example
 * ```ts
 * import { createTailscaleClient } from "@tailvm/tailscale-client";
 *
 * const tailscale = createTailscaleClient({
 *   auth: { apiKey: process.env.TAILSCALE_API_KEY ?? "" },
 *   retry: { maxRetries: 3, maxDelayMs: 10_000, doNotRetry: [500] },
 * });
 * ```
 */
export interface RetryOptions {
  /** Re-sends after the first attempt. Default 5. */
  maxRetries?: number | undefined;
  /** First backoff delay; it doubles on each retry (with jitter). Default 1000 ms. */
  baseDelayMs?: number | undefined;
  /** Upper bound for any single wait, `Retry-After` included. Default 30 000 ms. */
  maxDelayMs?: number | undefined;
  /** HTTP statuses never retried, even when they would be. */
  doNotRetry?: readonly number[] | undefined;
  /** Source of jitter in [0, 1). Default `Math.random`; inject a constant in tests. */
  random?: (() => number) | undefined;
  /**
   * Gives up on one attempt after this long (measured with the client's clock) and treats it as a
   * network error: retried unless the request is a POST. Default: no per-attempt timeout.
   */
  timeoutMs?: number | undefined;
}

/** The Tailscale retry policy: the shared one plus the statuses never retried. */
export interface TailscaleRetryPolicy extends RetryPolicy {
  doNotRetry: ReadonlySet<number>;
}

export function resolveRetryOptions(
  options: RetryOptions | false | undefined,
): TailscaleRetryPolicy {
  const shared = resolveRetryPolicy(options);
  if (isOptionProblem(shared)) throw new TailscaleInputError(shared.field, shared.message);
  const doNotRetry = options ? options.doNotRetry : undefined;
  if (doNotRetry !== undefined && !Array.isArray(doNotRetry)) {
    throw new TailscaleInputError(
      "retry.doNotRetry",
      "retry.doNotRetry must be a list of HTTP statuses, e.g. [500, 502].",
    );
  }
  return { ...shared, doNotRetry: new Set(doNotRetry ?? []) };
}
