import {
  type ApiAnswer,
  type AttemptOutcome,
  type RetryDecision,
  requestedWaitMs,
  retryLostAnswer,
} from "@tailvm/internal";
import { HetznerError } from "./errors";
import type { HetznerRetryPolicy } from "./retry-options";
import { RETRYABLE_CODES, RETRYABLE_STATUSES } from "./retryable-answers";

/** Hetzner's `error.code` in a parsed error body, if there is one. */
export function errorCodeOf(body: unknown): string | undefined {
  const code = (body as { error?: { code?: unknown } } | null | undefined)?.error?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Hetzner's rules, after its own clients: a 429 waits for `RateLimit-Reset` (capped, falling back
 * to `Retry-After`, then backoff) for every method, as Hetzner did not apply the request; the
 * `conflict`, `locked`, `rate_limit_exceeded` and `timeout` codes, 502, 504 and network errors
 * back off exponentially; a POST is never re-sent after a 5xx or a network error, because it may
 * have been applied; an abort is never retried.
 */
export function classifyAnswer(
  outcome: AttemptOutcome<ApiAnswer>,
  attempt: number,
  context: { method: string; policy: HetznerRetryPolicy; now: number },
): RetryDecision {
  const { method, policy } = context;
  if (outcome.kind === "error") {
    const mayResend = method !== "POST" && !(outcome.error instanceof HetznerError);
    return retryLostAnswer(outcome, attempt, policy, mayResend);
  }
  const { status, headers } = outcome.answer.response;
  const code = errorCodeOf(outcome.answer.error);
  if (policy.doNotRetry.includes(status) || (code && policy.doNotRetry.includes(code))) {
    return { retry: false };
  }
  const withCode = code === undefined ? {} : { code };
  if (status === 429) {
    const requested = requestedWaitMs(headers, context.now);
    return {
      retry: true,
      delayMs:
        requested === undefined
          ? policy.backoff(attempt)
          : Math.min(requested, policy.maxRateLimitWaitMs),
      reason: "rate limited (429), waiting for RateLimit-Reset",
      status,
      ...withCode,
    };
  }
  if (status >= 500 && method === "POST") return { retry: false };
  if ((code !== undefined && RETRYABLE_CODES.has(code)) || RETRYABLE_STATUSES.has(status)) {
    return {
      retry: true,
      delayMs: policy.backoff(attempt),
      reason: `${status}${code ? ` ${code}` : ""}`,
      status,
      ...withCode,
    };
  }
  return { retry: false };
}
