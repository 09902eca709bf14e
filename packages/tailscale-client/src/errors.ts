import { causeOptions, errorToJSON, redactCredentialShapes } from "@tailvm/internal";

/**
 * Options shared by every {@link TailscaleError}.
 *
 * @example
 * ```ts
 * new TailscaleError("Tailscale could not be reached", { cause: error, isRetryable: true });
 * ```
 */
export interface TailscaleErrorOptions {
  cause?: unknown;
  /** Whether trying the same call again later may succeed. */
  isRetryable?: boolean | undefined;
}

/**
 * Base class of every error this package throws. Messages never contain a credential: API keys,
 * OAuth client secrets, access tokens and auth keys are replaced by `***`.
 *
 * @example
 * ```ts
 * import { TailscaleError } from "@tailvm/tailscale-client";
 *
 * try {
 *   await tailscale.listDevices();
 * } catch (error) {
 *   if (error instanceof TailscaleError && error.isRetryable) {
 *     // try again later
 *   }
 * }
 * ```
 */
export class TailscaleError extends Error {
  override name = "TailscaleError";
  /** Whether trying the same call again later may succeed. */
  readonly isRetryable: boolean;

  constructor(message: string, options: TailscaleErrorOptions = {}) {
    // Known secrets are removed by the caller; this catches any credential-shaped text it missed.
    super(redactCredentialShapes(message), causeOptions(options.cause));
    this.isRetryable = options.isRetryable ?? false;
  }

  /**
   * A plain, secret-free description (what `JSON.stringify` writes): `name`, `message`,
   * `isRetryable`, the context the error class adds (`status`, `code`, `method`, `path`,
   * `field`, ...) and the (already redacted) cause.
   *
   * @example
   * ```ts
   * logger.error(JSON.stringify(error)); // {"name":"TailscaleApiError","message":"...","status":403,...}
   * ```
   */
  toJSON(): Record<string, unknown> {
    return errorToJSON(this);
  }
}

/**
 * What {@link TailscaleApiError} records about the failed request.
 *
 * @example
 * ```ts
 * new TailscaleApiError("Tailscale answered GET /tailnet/-/devices with HTTP 403.", {
 *   status: 403,
 *   method: "GET",
 *   path: "/tailnet/-/devices",
 * });
 * ```
 */
export interface TailscaleApiErrorOptions extends TailscaleErrorOptions {
  status: number;
  method: string;
  /** Path below the base URL, without the query string, e.g. `/tailnet/-/keys/k123`. */
  path: string;
  /**
   * The API's own error code when it sends one (the OAuth token endpoint does, e.g.
   * `invalid_client`); default `http_<status>`.
   */
  code?: string | undefined;
  /** The API's own message, already redacted. */
  apiMessage?: string | undefined;
}

/**
 * Tailscale answered with a non-2xx status (after any retries). `message` says what to check next.
 * Unless told otherwise, `isRetryable` is true for 429 and for a 5xx answer to any method but POST:
 * a POST that got a 5xx may have been applied.
 *
 * @example
 * ```ts
 * import { isTailscaleApiError } from "@tailvm/tailscale-client";
 *
 * try {
 *   await tailscale.createAuthKey({ tags: ["tag:ci"] });
 * } catch (error) {
 *   if (isTailscaleApiError(error, 403)) {
 *     console.error(`${error.method} ${error.path}: ${error.message}`);
 *   }
 * }
 * ```
 */
export class TailscaleApiError extends TailscaleError {
  override name = "TailscaleApiError";
  readonly status: number;
  readonly method: string;
  readonly path: string;
  /** The API's own error code (e.g. `invalid_client`), or `http_<status>` when it sent none. */
  readonly code: string;
  /** The API's own message, redacted; undefined when it sent none. */
  readonly apiMessage: string | undefined;

  constructor(message: string, options: TailscaleApiErrorOptions) {
    super(message, {
      cause: options.cause,
      isRetryable:
        options.isRetryable ??
        (options.status === 429 ||
          (options.status >= 500 && options.method.toUpperCase() !== "POST")),
    });
    this.status = options.status;
    this.method = options.method;
    this.path = options.path;
    this.code = options.code ?? `http_${options.status}`;
    this.apiMessage = options.apiMessage;
  }
}

/**
 * A request got no HTTP answer (connection refused or reset, DNS failure), after any retries.
 * `isRetryable` is false for a POST, which may have been applied.
 *
 * @example
 * ```ts
 * import { TailscaleNetworkError } from "@tailvm/tailscale-client";
 *
 * if (error instanceof TailscaleNetworkError && error.method === "POST") {
 *   // the key may or may not exist: list keys before minting another
 * }
 * ```
 */
export class TailscaleNetworkError extends TailscaleError {
  override name = "TailscaleNetworkError";
  readonly method: string;
  readonly path: string;

  constructor(message: string, options: TailscaleErrorOptions & { method: string; path: string }) {
    super(message, options);
    this.method = options.method;
    this.path = options.path;
  }
}

/**
 * An option was rejected before any request was sent. `field` names the option, e.g. `tags[1]`.
 *
 * @example
 * ```ts
 * import { TailscaleInputError } from "@tailvm/tailscale-client";
 *
 * try {
 *   await tailscale.createAuthKey({ tags: ["ci"] });
 * } catch (error) {
 *   if (error instanceof TailscaleInputError) console.error(error.field, error.message);
 * }
 * ```
 */
export class TailscaleInputError extends TailscaleError {
  override name = "TailscaleInputError";
  readonly field: string;

  constructor(field: string, message: string) {
    super(message, { isRetryable: false });
    this.field = field;
  }
}

/**
 * A wait (such as {@link TailscaleClient.waitForDevice}) passed its deadline.
 *
 * @example
 * ```ts
 * import { TailscaleTimeoutError } from "@tailvm/tailscale-client";
 *
 * try {
 *   await tailscale.waitForDevice({ hostname: "runner-1", timeoutMs: 60_000 });
 * } catch (error) {
 *   if (error instanceof TailscaleTimeoutError) console.error(`gave up after ${error.timeoutMs} ms`);
 * }
 * ```
 */
export class TailscaleTimeoutError extends TailscaleError {
  override name = "TailscaleTimeoutError";
  readonly timeoutMs: number;

  constructor(message: string, options: TailscaleErrorOptions & { timeoutMs: number }) {
    super(message, { cause: options.cause, isRetryable: options.isRetryable ?? true });
    this.timeoutMs = options.timeoutMs;
  }
}

/**
 * Narrows `error` to a {@link TailscaleApiError}, optionally with a given HTTP status.
 *
 * @example
 * ```ts
 * import { isTailscaleApiError } from "@tailvm/tailscale-client";
 *
 * if (isTailscaleApiError(error, 404)) {
 *   // already gone
 * }
 * ```
 */
export function isTailscaleApiError(error: unknown, status?: number): error is TailscaleApiError {
  return error instanceof TailscaleApiError && (status === undefined || error.status === status);
}
