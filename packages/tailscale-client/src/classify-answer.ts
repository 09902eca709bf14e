import {
  type AttemptOutcome,
  parseRetryAfter,
  type RetryDecision,
  retryLostAnswer,
} from "@tailvm/internal";
import { TailscaleError } from "./errors.js";
import type { TailscaleRetryPolicy } from "./retry-options.js";

/** Methods that change nothing when sent twice. */
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/** How one request may be retried: its method, and whether sending it twice is harmless. */
export interface RequestKind {
  method: string;
  /** Overrides the method rule, e.g. for the OAuth token request, which is safe to repeat. */
  idempotent?: boolean | undefined;
}

/** Whether sending `request` twice is harmless. */
export function isIdempotent(request: RequestKind): boolean {
  return request.idempotent ?? IDEMPOTENT_METHODS.has(request.method.toUpperCase());
}

/** 5xx except the ones that will not change by waiting (not implemented, version not supported). */
export function isRetryableServerStatus(status: number): boolean {
  return status >= 500 && status !== 501 && status !== 505;
}

/**
 * Tailscale's rules: a 429 is retried for every method (Tailscale did not apply the request),
 * honouring `Retry-After`; 5xx answers (not 501 or 505) and network errors only for idempotent
 * requests, because a POST may already have been applied; an abort never. Waits are capped at
 * `maxDelayMs`.
 */
export function classifyAnswer(
  outcome: AttemptOutcome<{ response: Response }>,
  attempt: number,
  context: RequestKind & { policy: TailscaleRetryPolicy; now: number },
): RetryDecision {
  const { policy } = context;
  const idempotent = isIdempotent(context);
  if (outcome.kind === "error") {
    const mayResend = idempotent && !(outcome.error instanceof TailscaleError);
    return retryLostAnswer(outcome, attempt, policy, mayResend);
  }
  const { status, statusText, headers } = outcome.answer.response;
  if (policy.doNotRetry.has(status)) return { retry: false };
  if (status !== 429 && !(idempotent && isRetryableServerStatus(status))) return { retry: false };
  const retryAfterMs = parseRetryAfter(headers.get("retry-after"), context.now);
  return {
    retry: true,
    delayMs: Math.min(retryAfterMs ?? policy.backoff(attempt), policy.maxDelayMs),
    reason:
      status === 429
        ? `rate limited (HTTP 429)${retryAfterMs === undefined ? "" : `, Retry-After ${Math.ceil(retryAfterMs / 1000)} s`}`
        : `HTTP ${status}${statusText ? ` ${statusText}` : ""}`,
    status,
  };
}
