import type { Middleware } from "openapi-fetch";
import type { Clock } from "./clock";
import { HetznerInputError, HetznerNetworkError } from "./errors";
import { sanitizeCause } from "./redact";

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
  maxRetries?: number;
  /** First backoff delay; it doubles with each retry. Default 1000 ms. */
  baseDelayMs?: number;
  /** Cap on one backoff delay. Default 30 000 ms. */
  maxDelayMs?: number;
  /** Cap on one wait for `RateLimit-Reset` after a 429. Default 60 000 ms. */
  maxRateLimitWaitMs?: number;
  /** Hetzner error codes (e.g. `"conflict"`) or HTTP statuses (e.g. `502`) never to retry. */
  doNotRetry?: readonly (string | number)[];
  /** Source of jitter in [0, 1). Default `Math.random`; inject a constant in tests. */
  random?: () => number;
  /**
   * Gives up on one attempt after this long (measured with the client's clock) and treats it as a
   * network timeout: retried unless the request is a POST. Default: no per-attempt timeout.
   */
  timeoutMs?: number;
}

/**
 * Emitted just before the client waits to re-send a request.
 *
 * @example
 * ```ts
 * import { createHetznerClient, type RetryEvent } from "@tailvm/hetzner-client";
 *
 * const hetzner = createHetznerClient({
 *   token,
 *   onRetry: (event: RetryEvent) => log(`${event.method} ${event.path}: ${event.reason}, waiting ${event.delayMs} ms`),
 * });
 * ```
 */
export interface RetryEvent {
  /** 1 for the first retry. */
  attempt: number;
  /** How long the client waits before re-sending. */
  delayMs: number;
  method: string;
  /** The API path without base URL or query, e.g. `/servers/42`. */
  path: string;
  /** The HTTP status that caused the retry, if there was a response. */
  status?: number;
  /** Hetzner's error code, e.g. `"rate_limit_exceeded"`. */
  code?: string;
  /** Short human text, never a secret. */
  reason: string;
}

/**
 * The last rate-limit headers Hetzner sent: `RateLimit-Limit`, `RateLimit-Remaining` and
 * `RateLimit-Reset` (epoch seconds at which the bucket is full again).
 *
 * @example
 * ```ts
 * const { remaining, reset } = hetzner.rateLimit ?? { remaining: Infinity, reset: 0 };
 * ```
 */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch seconds. */
  reset: number;
}

/**
 * Hetzner error codes the client retries with backoff (`conflict` and `rate_limit_exceeded` for
 * every method; `timeout` only when the status is below 500 or the method is not POST).
 *
 * @example
 * ```ts
 * import { RETRYABLE_CODES } from "@tailvm/hetzner-client";
 *
 * RETRYABLE_CODES.includes("conflict"); // true
 * ```
 */
export const RETRYABLE_CODES: readonly string[] = ["conflict", "rate_limit_exceeded", "timeout"];
/**
 * HTTP statuses retried with backoff for every method except POST.
 *
 * @example
 * ```ts
 * import { RETRYABLE_STATUSES } from "@tailvm/hetzner-client";
 *
 * RETRYABLE_STATUSES; // [502, 504]
 * ```
 */
export const RETRYABLE_STATUSES: readonly number[] = [502, 504];

interface ResolvedRetryOptions {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRateLimitWaitMs: number;
  doNotRetry: readonly (string | number)[];
  random: () => number;
  timeoutMs: number | undefined;
}

/**
 * Fills in defaults; `false` becomes zero retries.
 *
 * @example
 * ```ts
 * resolveRetryOptions({ maxRetries: 2 }).baseDelayMs; // 1000
 * ```
 */
export function resolveRetryOptions(
  options: RetryOptions | false | undefined,
): ResolvedRetryOptions {
  const given = options === false ? { maxRetries: 0 } : (options ?? {});
  const counts: [string, number | undefined, number][] = [
    ["maxRetries", given.maxRetries, 0],
    ["baseDelayMs", given.baseDelayMs, 0],
    ["maxDelayMs", given.maxDelayMs, 0],
    ["maxRateLimitWaitMs", given.maxRateLimitWaitMs, 0],
    ["timeoutMs", given.timeoutMs, 1],
  ];
  for (const [field, value, minimum] of counts) {
    if (value !== undefined && !(Number.isFinite(value) && value >= minimum)) {
      throw new HetznerInputError(
        `retry.${field}`,
        `expected a finite number >= ${minimum}, got ${String(value)}`,
      );
    }
  }
  return {
    maxRetries: given.maxRetries ?? 5,
    baseDelayMs: given.baseDelayMs ?? 1_000,
    maxDelayMs: given.maxDelayMs ?? 30_000,
    maxRateLimitWaitMs: given.maxRateLimitWaitMs ?? 60_000,
    doNotRetry: given.doNotRetry ?? [],
    random: given.random ?? Math.random,
    timeoutMs: given.timeoutMs,
  };
}

/**
 * Exponential backoff with "equal jitter": half the doubled delay is fixed, half random.
 *
 * @example
 * ```ts
 * backoffDelay(3, resolveRetryOptions({ random: () => 0 })); // 2000: base 1000 doubled twice, halved
 * ```
 */
export function backoffDelay(attempt: number, options: ResolvedRetryOptions): number {
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + (exponential / 2) * options.random());
}

/**
 * Reads Hetzner's `RateLimit-*` headers; `undefined` when they are absent.
 *
 * @example
 * ```ts
 * parseRateLimit(response.headers); // { limit: 3600, remaining: 3599, reset: 1731000000 }
 * ```
 */
export function parseRateLimit(headers: Headers): RateLimitState | undefined {
  const limit = Number(headers.get("ratelimit-limit") ?? Number.NaN);
  const remaining = Number(headers.get("ratelimit-remaining") ?? Number.NaN);
  const reset = Number(headers.get("ratelimit-reset") ?? Number.NaN);
  if (![limit, remaining, reset].every(Number.isFinite)) return undefined;
  return { limit, remaining, reset };
}

/** What one attempt produced. */
type Outcome =
  | { kind: "response"; response: Response; code: string | undefined }
  | { kind: "error"; error: unknown; timedOut: boolean };

type Decision =
  | { retry: false }
  | { retry: true; delayMs: number; reason: string; status?: number; code?: string };

/**
 * The retry policy. 429 waits for `RateLimit-Reset` and is retried for every method (the request
 * was not applied); `conflict`, `rate_limit_exceeded` and `timeout` codes, 502, 504 and network
 * errors back off exponentially; a POST is never re-sent after a 5xx or a network error, because
 * Hetzner may have applied it. Aborts are never retried.
 */
function decide(
  outcome: Outcome,
  method: string,
  attempt: number,
  options: ResolvedRetryOptions,
  clock: Clock,
  signal: AbortSignal,
): Decision {
  if (signal.aborted || attempt > options.maxRetries) return { retry: false };
  if (outcome.kind === "error") {
    if ((!outcome.timedOut && isAbort(outcome.error)) || method === "POST") return { retry: false };
    return {
      retry: true,
      delayMs: backoffDelay(attempt, options),
      reason: outcome.timedOut
        ? `no response within ${options.timeoutMs} ms`
        : `network error (${errorName(outcome.error)})`,
    };
  }
  const { response, code } = outcome;
  const status = response.status;
  if (options.doNotRetry.includes(status) || (code && options.doNotRetry.includes(code))) {
    return { retry: false };
  }
  const withCode = code === undefined ? {} : { code };
  if (status === 429) {
    return {
      retry: true,
      delayMs: rateLimitDelay(response.headers, attempt, options, clock),
      reason: "rate limited (429), waiting for RateLimit-Reset",
      status,
      ...withCode,
    };
  }
  if (status >= 500 && method === "POST") return { retry: false };
  if ((code && RETRYABLE_CODES.includes(code)) || RETRYABLE_STATUSES.includes(status)) {
    return {
      retry: true,
      delayMs: backoffDelay(attempt, options),
      reason: `${status}${code ? ` ${code}` : ""}`,
      status,
      ...withCode,
    };
  }
  return { retry: false };
}

function rateLimitDelay(
  headers: Headers,
  attempt: number,
  options: ResolvedRetryOptions,
  clock: Clock,
): number {
  const reset = Number(headers.get("ratelimit-reset") ?? Number.NaN);
  if (Number.isFinite(reset)) {
    const untilReset = reset * 1000 - clock.now();
    if (untilReset > 0) return Math.min(Math.ceil(untilReset), options.maxRateLimitWaitMs);
  }
  const retryAfter = Number(headers.get("retry-after") ?? Number.NaN);
  if (Number.isFinite(retryAfter) && retryAfter > 0) {
    return Math.min(retryAfter * 1000, options.maxRateLimitWaitMs);
  }
  return backoffDelay(attempt, options);
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

function errorName(error: unknown): string {
  if (!(error instanceof Error)) return "unknown";
  const cause = error.cause as { code?: unknown } | undefined;
  return typeof cause?.code === "string" ? cause.code : error.name;
}

async function readErrorCode(response: Response): Promise<string | undefined> {
  if (response.ok) return undefined;
  try {
    const body = (await response.clone().json()) as { error?: { code?: unknown } };
    return typeof body.error?.code === "string" ? body.error.code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The API path of `url` relative to `baseUrl`, without query: `/servers/42`.
 *
 * @example
 * ```ts
 * apiPath("https://api.hetzner.cloud/v1/servers/42?x=1", "https://api.hetzner.cloud/v1"); // "/servers/42"
 * ```
 */
export function apiPath(url: string, baseUrl: string): string {
  const pathname = new URL(url).pathname;
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, "");
  return pathname.startsWith(basePath) ? pathname.slice(basePath.length) || "/" : pathname;
}

/** Options for the one middleware that retries, tracks rate limits and records request info. */
export interface RetryMiddlewareOptions {
  retry: RetryOptions | false | undefined;
  clock: Clock;
  onRetry: ((event: RetryEvent) => void) | undefined;
  onRateLimit: (state: RateLimitState) => void;
  redact: (text: string) => string;
}

/** Method and path of the request that produced a response, for error messages. */
export interface RequestInfo {
  method: string;
  path: string;
}

const requestInfo = new WeakMap<Response, RequestInfo>();

/**
 * The method and path of the request that produced `response`, when this package's middleware
 * saw it.
 *
 * @example
 * ```ts
 * const { response } = await hetzner.api.GET("/servers");
 * describeResponse(response); // { method: "GET", path: "/servers" }
 * ```
 */
export function describeResponse(response: Response): RequestInfo | undefined {
  return requestInfo.get(response);
}

/** One attempt in flight: the request to send and its optional timeout. */
interface Attempt {
  request: Request;
  timedOut(): boolean;
  finish(): void;
}

/** What the middleware remembers about a request between `onRequest` and its answer. */
interface Pending {
  /** Never sent: cloned again for every retry so the body can be re-sent. */
  original: Request;
  /** The caller's own signal; an abort from it is never retried. */
  signal: AbortSignal;
  attempt: Attempt;
}

/**
 * Creates the client's single middleware. It keeps a pristine clone of every request so the body
 * can be re-sent, retries by the policy above with waits through `clock.sleep` (so an abort
 * interrupts them), records the last `RateLimit-*` headers and turns an unretried network error
 * into a `HetznerNetworkError`.
 *
 * @example
 * ```ts
 * api.use(createRetryMiddleware({ retry: {}, clock: systemClock, onRetry: undefined, onRateLimit, redact }));
 * ```
 */
export function createRetryMiddleware(options: RetryMiddlewareOptions): Middleware {
  const resolved = resolveRetryOptions(options.retry);
  const pending = new WeakMap<Request, Pending>();
  // openapi-fetch still calls onResponse with the Response that onError returned: those answers
  // are final and must not start a second retry loop for the same request.
  const settled = new WeakSet<Response>();

  function startAttempt(request: Request, signal: AbortSignal): Attempt {
    const { timeoutMs } = resolved;
    if (timeoutMs === undefined) return { request, timedOut: () => false, finish: () => {} };
    const timer = new AbortController();
    const attempt = new AbortController();
    let fired = false;
    options.clock.sleep(timeoutMs, timer.signal).then(
      () => {
        fired = true;
        attempt.abort(new DOMException(`no response within ${timeoutMs} ms`, "TimeoutError"));
      },
      () => {},
    );
    return {
      request: new Request(request, { signal: AbortSignal.any([signal, attempt.signal]) }),
      timedOut: () => fired,
      finish: () => timer.abort(),
    };
  }

  async function settle(
    state: Pending,
    baseUrl: string,
    fetchRequest: (request: Request) => Promise<Response>,
    first: Outcome,
  ): Promise<Response> {
    const { original, signal } = state;
    const method = original.method.toUpperCase();
    const path = apiPath(original.url, baseUrl);
    let outcome = first;
    for (let attempt = 1; ; attempt++) {
      if (outcome.kind === "response") {
        const rateLimit = parseRateLimit(outcome.response.headers);
        if (rateLimit) options.onRateLimit(rateLimit);
      }
      const decision = decide(outcome, method, attempt, resolved, options.clock, signal);
      if (!decision.retry) {
        if (outcome.kind === "response") {
          requestInfo.set(outcome.response, { method, path });
          return outcome.response;
        }
        throw toThrown(outcome, method, path, signal);
      }
      const { retry: _retry, ...details } = decision;
      try {
        options.onRetry?.({ attempt, method, path, ...details });
      } catch {
        // A failing listener must not turn a recoverable request into a failure.
      }
      if (outcome.kind === "response") await outcome.response.body?.cancel();
      await options.clock.sleep(decision.delayMs, signal);
      const next = startAttempt(original.clone(), signal);
      try {
        const response = await fetchRequest(next.request);
        outcome = { kind: "response", response, code: await readErrorCode(response) };
      } catch (error) {
        outcome = { kind: "error", error, timedOut: next.timedOut() };
      } finally {
        next.finish();
      }
    }
  }

  function toThrown(
    outcome: { error: unknown; timedOut: boolean },
    method: string,
    path: string,
    signal: AbortSignal,
  ): unknown {
    const { error, timedOut } = outcome;
    if (signal.aborted || (!timedOut && isAbort(error)) || error instanceof HetznerNetworkError) {
      return error;
    }
    return new HetznerNetworkError({
      method,
      path,
      reason: timedOut
        ? `no response within ${resolved.timeoutMs} ms`
        : options.redact(errorName(error)),
      cause: sanitizeCause(error, options.redact),
      isRetryable: method !== "POST",
    });
  }

  function take(request: Request): Pending {
    const state = pending.get(request);
    pending.delete(request);
    if (state) {
      state.attempt.finish();
      return state;
    }
    // Only reachable when another middleware swapped the request: answer it without retrying.
    const attempt = { request, timedOut: () => false, finish: () => {} };
    return { original: request, signal: request.signal, attempt };
  }

  return {
    onRequest({ request }) {
      const original = request.clone();
      const attempt = startAttempt(request, request.signal);
      pending.set(attempt.request, { original, signal: request.signal, attempt });
      return attempt.request;
    },
    async onResponse({ request, response, options: clientOptions }) {
      if (settled.has(response)) return response;
      const state = take(request);
      const first: Outcome = { kind: "response", response, code: await readErrorCode(response) };
      return settle(state, clientOptions.baseUrl, (next) => clientOptions.fetch(next), first);
    },
    async onError({ request, error, options: clientOptions }) {
      const state = take(request);
      try {
        const response = await settle(
          state,
          clientOptions.baseUrl,
          (next) => clientOptions.fetch(next),
          { kind: "error", error, timedOut: state.attempt.timedOut() },
        );
        settled.add(response);
        return response;
      } catch (thrown) {
        if (thrown instanceof Error) return thrown;
        throw thrown;
      }
    },
  };
}
