/** Hetzner's rate limit: a bucket of `limit` requests refilling `refillPerSecond` per second. */
export interface RateLimitBucket {
  /** Takes one request from the bucket; false when it is empty. */
  take(now: number): boolean;
  /**
   * The `RateLimit-*` headers describing the bucket at `now`; `RateLimit-Reset` is the epoch second
   * (of `wallTime`, the wall clock of a simulated time) at which the bucket is full again.
   */
  headers(now: number, wallTime?: (time: number) => number): Record<string, string>;
  reset(now: number): void;
}

/**
 * Creates a token bucket with Hetzner's header semantics (`RateLimit-Reset` is the epoch second
 * at which the bucket is full again).
 *
 * @example
 * ```ts
 * const bucket = createRateLimitBucket({ limit: 3600, refillPerSecond: 1, now: clock.now() });
 * if (!bucket.take(clock.now())) respond429();
 * ```
 */
export function createRateLimitBucket(options: {
  limit: number;
  refillPerSecond: number;
  now: number;
}): RateLimitBucket {
  const { limit, refillPerSecond } = options;
  let tokens = limit;
  let last = options.now;

  const refill = (now: number) => {
    if (now > last) {
      tokens = Math.min(limit, tokens + ((now - last) / 1000) * refillPerSecond);
      last = now;
    }
  };

  return {
    take(now) {
      refill(now);
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
    headers(now, wallTime = (time) => time) {
      refill(now);
      const missing = limit - tokens;
      const fullAt = refillPerSecond > 0 ? now + (missing / refillPerSecond) * 1000 : now;
      return {
        "RateLimit-Limit": String(limit),
        "RateLimit-Remaining": String(Math.floor(tokens)),
        "RateLimit-Reset": String(Math.ceil(wallTime(fullAt) / 1000)),
      };
    },
    reset(now) {
      tokens = limit;
      last = now;
    },
  };
}
