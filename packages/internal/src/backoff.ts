/** How a backoff grows: the first delay, its cap, and the source of jitter. */
export interface BackoffPolicy {
  /** The first delay; it doubles with each attempt. */
  baseDelayMs: number;
  /** Cap on one delay. */
  maxDelayMs: number;
  /** Source of jitter in [0, 1). */
  random: () => number;
}

/**
 * Exponential backoff with "equal jitter": half of `base * 2^(attempt - 1)` (capped) is fixed,
 * half random, so a fleet that failed together does not retry in step.
 *
 * @example
 * ```ts
 * backoffDelay(3, { baseDelayMs: 1_000, maxDelayMs: 30_000, random: () => 0 }); // 2000
 * ```
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * policy.random());
}
