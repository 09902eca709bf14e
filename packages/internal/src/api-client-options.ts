import type { Clock } from "./clock.js";
import type { RetryEvent } from "./retrying-client.js";

/**
 * The transport options both API clients take, beside their credentials. Every optional field
 * also accepts `undefined`, so `baseUrl: process.env.API_URL` compiles under
 * `exactOptionalPropertyTypes`.
 *
 * @example
 * ```ts
 * const transport: ApiClientOptions<{ maxRetries?: number }> = {
 *   baseUrl: process.env.API_URL,
 *   retry: { maxRetries: 2 },
 * };
 * ```
 */
export interface ApiClientOptions<Retry> {
  /** The API's base URL. Default: the vendor's public API; override for proxies, simulators and tests. */
  baseUrl?: string | undefined;
  /** Used for every request. Default: the global `fetch`, looked up on every request. */
  fetch?: typeof fetch | undefined;
  /** Sent as (or before) the client's own `User-Agent`, e.g. `"my-app/1.0"`. */
  userAgent?: string | undefined;
  /** Retry policy; `false` sends every request once. */
  retry?: Retry | false | undefined;
  /** Time source for backoff, rate-limit waits, token expiry, polls and deadlines. Default `systemClock`. */
  clock?: Clock | undefined;
  /** Called before each retry wait; the event never carries a secret. */
  onRetry?: ((event: RetryEvent) => void) | undefined;
}
