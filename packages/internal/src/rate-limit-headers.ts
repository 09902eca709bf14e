/** The `RateLimit-*` headers of an answer: the bucket size, what is left, and when it is full. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch seconds at which the bucket is full again. */
  reset: number;
}

/**
 * Reads `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (epoch seconds, as Hetzner
 * sends it); `undefined` unless all three are numbers.
 */
export function parseRateLimit(headers: Headers): RateLimitState | undefined {
  const limit = Number(headers.get("ratelimit-limit") ?? Number.NaN);
  const remaining = Number(headers.get("ratelimit-remaining") ?? Number.NaN);
  const reset = Number(headers.get("ratelimit-reset") ?? Number.NaN);
  if (![limit, remaining, reset].every(Number.isFinite)) return undefined;
  return { limit, remaining, reset };
}

/**
 * Milliseconds until `value`, a `Retry-After` header: delay-seconds or an HTTP date (RFC 9110,
 * section 10.2.3); `undefined` when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long an answer asks to wait before the next request: until `RateLimit-Reset` (epoch seconds)
 * when it lies ahead, else `Retry-After`; `undefined` when it says neither.
 */
export function requestedWaitMs(headers: Headers, now: number): number | undefined {
  const reset = Number(headers.get("ratelimit-reset") ?? Number.NaN);
  if (Number.isFinite(reset)) {
    const untilReset = Math.ceil(reset * 1000 - now);
    if (untilReset > 0) return untilReset;
  }
  const retryAfter = parseRetryAfter(headers.get("retry-after"), now);
  return retryAfter !== undefined && retryAfter > 0 ? retryAfter : undefined;
}
