import type { Clock } from "./clock.js";
import { type AttemptOutcome, type RetryDecision, sendWithRetries } from "./send-with-retries.js";

/** What one call of an openapi-fetch client resolves with. */
export interface ApiAnswer {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The members of an openapi-fetch client that {@link createRetryingClient} builds on. */
export interface OpenApiClientLike {
  // biome-ignore lint/suspicious/noExplicitAny: stands for openapi-fetch's generic signatures
  request(method: any, url: any, init?: any): Promise<ApiAnswer>;
  // biome-ignore lint/suspicious/noExplicitAny: stands for openapi-fetch's Middleware
  use(...middleware: any[]): void;
  // biome-ignore lint/suspicious/noExplicitAny: stands for openapi-fetch's Middleware
  eject(...middleware: any[]): void;
}

/** One request as the retrying client sees it. */
export interface ApiRequest {
  /** Upper case, e.g. `POST`. */
  method: string;
  /** The OpenAPI path, e.g. `/servers/{id}`. */
  schemaPath: string;
  /** The path with its parameters filled in and no query, e.g. `/servers/42`. */
  path: string;
}

/**
 * Emitted just before a client waits to re-send a request.
 *
 * @example
 * ```ts
 * const onRetry = (event: RetryEvent) =>
 *   log.warn(`${event.method} ${event.path}: ${event.reason}, waiting ${event.delayMs} ms`);
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
  /** The API's error code, when it sent one (e.g. `"rate_limit_exceeded"`). */
  code?: string;
  /** Short human text, never a secret. */
  reason: string;
}

/** The per-API parts of a retrying client: its classification of answers and its errors. */
export interface RetryingClientOptions {
  clock: Clock;
  policy: { maxRetries: number; attemptTimeoutMs?: number | undefined };
  classify(outcome: AttemptOutcome<ApiAnswer>, attempt: number, request: ApiRequest): RetryDecision;
  /**
   * Sends one attempt through `send` (a full call of the inner client, so every middleware runs
   * and the body is serialised afresh). Default: `send(init)`.
   */
  attempt?:
    | ((
        send: (init: Record<string, unknown>) => Promise<ApiAnswer>,
        init: Record<string, unknown>,
        request: ApiRequest,
      ) => Promise<ApiAnswer>)
    | undefined;
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /** What to throw for the last attempt when it got no answer (the caller's abort aside). */
  failure(error: unknown, timedOut: boolean, request: ApiRequest): unknown;
}

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;
const REQUEST = Symbol("tailvm.request");

/**
 * Wraps an openapi-fetch client so that every call is retried by the API's rules: each attempt is
 * a full `inner.request(method, path, init)` with the attempt's signal, so the middleware added
 * with `use()` runs on every attempt and the body is serialised afresh each time. `use` and
 * `eject` reach the inner client. The answer carries its method and path for {@link requestOf}.
 *
 * @example
 * ```ts
 * const api = createRetryingClient(createClient<paths>({ baseUrl }), {
 *   clock,
 *   policy: { maxRetries: 3 },
 *   classify: (outcome) => ({ retry: false }),
 *   failure: (error) => error,
 * });
 * ```
 */
export function createRetryingClient<Client extends OpenApiClientLike>(
  inner: Client,
  options: RetryingClientOptions,
): Client {
  const call = async (method: string, schemaPath: string, init?: Record<string, unknown>) => {
    const { signal: given, ...rest } = init ?? {};
    const signal = given instanceof AbortSignal ? given : undefined;
    const params = rest.params as { path?: Record<string, unknown> } | undefined;
    const request: ApiRequest = { method, schemaPath, path: fillPath(schemaPath, params?.path) };
    const send = (attemptInit: Record<string, unknown>) =>
      inner.request(method, schemaPath, attemptInit);
    const outcome = await sendWithRetries(
      (attemptSignal) => {
        const attemptInit = attemptSignal === undefined ? rest : { ...rest, signal: attemptSignal };
        return options.attempt ? options.attempt(send, attemptInit, request) : send(attemptInit);
      },
      {
        clock: options.clock,
        signal,
        maxRetries: options.policy.maxRetries,
        attemptTimeoutMs: options.policy.attemptTimeoutMs,
        classify: (attempt, number) => options.classify(attempt, number, request),
        onRetry: (notice) =>
          options.onRetry?.({ ...notice, method: request.method, path: request.path }),
        discard: releaseBody,
      },
    );
    if (outcome.kind === "error") throw options.failure(outcome.error, outcome.timedOut, request);
    Object.defineProperty(outcome.answer, REQUEST, { value: request });
    return outcome.answer;
  };

  const client: Record<string, unknown> = {
    request: (method: string, url: string, init?: Record<string, unknown>) =>
      call(String(method).toUpperCase(), url, init),
    // biome-ignore lint/suspicious/noExplicitAny: forwards openapi-fetch's Middleware as is
    use: (...middleware: any[]) => inner.use(...middleware),
    // biome-ignore lint/suspicious/noExplicitAny: forwards openapi-fetch's Middleware as is
    eject: (...middleware: any[]) => inner.eject(...middleware),
  };
  for (const method of METHODS) {
    client[method] = (url: string, init?: Record<string, unknown>) => call(method, url, init);
  }
  return client as unknown as Client;
}

/** The method and path of an answer that a {@link createRetryingClient} client returned. */
export function requestOf(answer: object): ApiRequest | undefined {
  return (answer as { [REQUEST]?: ApiRequest })[REQUEST];
}

/** `schemaPath` with each `{name}` replaced by the URL-encoded value in `values`. */
export function fillPath(schemaPath: string, values: Record<string, unknown> | undefined): string {
  if (values === undefined) return schemaPath;
  return schemaPath.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined || value === null ? whole : encodeURIComponent(String(value));
  });
}

function releaseBody(answer: ApiAnswer): unknown {
  if (answer.response.bodyUsed || answer.response.body === null) return undefined;
  return answer.response.body.cancel().catch(() => undefined);
}
