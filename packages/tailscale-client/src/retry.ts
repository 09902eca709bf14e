import type { Clock } from "./clock.js";
import { TailscaleError, TailscaleNetworkError } from "./errors.js";
import type { SecretRedactor } from "./redact-secrets.js";

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
  maxRetries?: number;
  /** First backoff delay; it doubles on each retry (with jitter). Default 1000 ms. */
  baseDelayMs?: number;
  /** Upper bound for any single wait, `Retry-After` included. Default 30 000 ms. */
  maxDelayMs?: number;
  /** HTTP statuses never retried, even when they would be. */
  doNotRetry?: readonly number[];
  /** Source of jitter in [0, 1). Default `Math.random`; inject a constant in tests. */
  random?: () => number;
}

/**
 * Sent to `onRetry` before the client waits and re-sends a request.
 *
 * @example
 * ```ts
 * import { createTailscaleClient, type RetryEvent } from "@tailvm/tailscale-client";
 *
 * const tailscale = createTailscaleClient({
 *   auth: { apiKey: process.env.TAILSCALE_API_KEY ?? "" },
 *   onRetry: (event: RetryEvent) => console.warn(`${event.method} ${event.path}: ${event.reason}`),
 * });
 * ```
 */
export interface RetryEvent {
  /** 1 for the first retry. */
  attempt: number;
  /** How long the client waits before re-sending. */
  delayMs: number;
  method: string;
  /** Path below the base URL, without the query string. */
  path: string;
  /** HTTP status that caused the retry, if any. */
  status?: number;
  /** API error code, when the API sent one. */
  code?: string;
  /** Short human text, never a secret. */
  reason: string;
}

/** {@link RetryOptions} with every default filled in. */
export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  doNotRetry: ReadonlySet<number>;
  random: () => number;
}

export function resolveRetryPolicy(options: RetryOptions | false | undefined): RetryPolicy | false {
  if (options === false) return false;
  return {
    maxRetries: options?.maxRetries ?? 5,
    baseDelayMs: options?.baseDelayMs ?? 1_000,
    maxDelayMs: options?.maxDelayMs ?? 30_000,
    doNotRetry: new Set(options?.doNotRetry ?? []),
    random: options?.random ?? Math.random,
  };
}

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

export interface SendWithRetriesContext {
  method: string;
  path: string;
  /** Host name used in network-error messages. */
  host: string;
  signal?: AbortSignal | undefined;
  clock: Clock;
  policy: RetryPolicy | false;
  redactor: SecretRedactor;
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /** Overrides the method-based rule, e.g. for the OAuth token request, which is safe to repeat. */
  idempotent?: boolean;
}

/**
 * Sends a request until it succeeds, fails for good or runs out of retries. 429 is retried for every
 * method (Tailscale has not applied the request); 5xx and network errors only for idempotent ones,
 * because a POST may already have been applied. An abort is never retried.
 */
export async function sendWithRetries(
  send: () => Promise<Response>,
  context: SendWithRetriesContext,
): Promise<Response> {
  const { method, path, signal, clock, policy } = context;
  const idempotent = context.idempotent ?? IDEMPOTENT_METHODS.has(method.toUpperCase());

  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    let response: Response;
    try {
      response = await send();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof TailscaleError || isAbortError(error)) throw error;
      const detail = context.redactor.redact(
        error instanceof Error ? error.message : String(error),
      );
      if (policy && idempotent && attempt <= policy.maxRetries) {
        const delayMs = backoffDelay(policy, attempt);
        notify(context, { attempt, delayMs, method, path, reason: `network error: ${detail}` });
        await clock.sleep(delayMs, signal);
        continue;
      }
      throw new TailscaleNetworkError(
        `Could not reach Tailscale at ${context.host} for ${method} ${path}: ${detail}. ` +
          (idempotent
            ? "Check network access to the API and the client's baseUrl, then try again."
            : "The request may or may not have been applied; check its effect before sending it again."),
        { cause: context.redactor.redactError(error), isRetryable: idempotent, method, path },
      );
    }

    const status = response.status;
    const retryable =
      policy &&
      attempt <= policy.maxRetries &&
      !policy.doNotRetry.has(status) &&
      (status === 429 || (idempotent && isRetryableServerStatus(status)));
    if (!retryable) return response;

    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), clock.now());
    const delayMs = Math.min(retryAfterMs ?? backoffDelay(policy, attempt), policy.maxDelayMs);
    await response.body?.cancel().catch(() => undefined);
    const reason =
      status === 429
        ? `rate limited (HTTP 429)${retryAfterMs === undefined ? "" : `, Retry-After ${Math.ceil(retryAfterMs / 1000)} s`}`
        : `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ""}`;
    notify(context, { attempt, delayMs, method, path, status, reason });
    await clock.sleep(delayMs, signal);
  }
}

/** 5xx except the ones that will not change by waiting (not implemented, version not supported). */
function isRetryableServerStatus(status: number): boolean {
  return status >= 500 && status !== 501 && status !== 505;
}

/** Exponential backoff with "equal jitter": between half and all of base * 2^(attempt-1). */
function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (policy.random() * ceiling) / 2);
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110, section 10.2.3). */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

function notify(context: SendWithRetriesContext, event: RetryEvent): void {
  try {
    context.onRetry?.(event);
  } catch {
    // An observer must not be able to break the request it observes.
  }
}
