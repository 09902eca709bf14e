/** Hetzner error codes retried with backoff: the request was refused before it was applied. */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  "conflict",
  "locked",
  "rate_limit_exceeded",
  "timeout",
]);

/** Statuses retried with backoff, except for a POST (Hetzner may have applied it). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 504]);

/**
 * Whether the same request may succeed when sent again later: after a 429, a retryable code, or
 * a 5xx to anything but a POST (which may have been applied).
 */
export function isRetryableAnswer(status: number, code: string, method: string): boolean {
  if (status === 429) return true;
  if (status >= 500) return method.toUpperCase() !== "POST";
  return RETRYABLE_CODES.has(code);
}
