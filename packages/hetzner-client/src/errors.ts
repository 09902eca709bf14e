import { causeOptions, errorToJSON } from "@tailvm/internal";
import { hintFor } from "./error-hints";
import { isRetryableAnswer } from "./retryable-answers";
import type { Action } from "./types";

/**
 * Options every error in this package accepts.
 *
 * @example
 * ```ts
 * new HetznerError("could not reach Hetzner", { cause: error, isRetryable: true });
 * ```
 */
export interface HetznerErrorOptions {
  cause?: unknown;
  isRetryable?: boolean | undefined;
}

/**
 * The base class of every error this package throws.
 *
 * Errors never carry the API token, the `Authorization` header or a `Request`: their message,
 * `toJSON()` and `cause` are safe to log.
 *
 * @example
 * ```ts
 * import { HetznerError } from "@tailvm/hetzner-client";
 *
 * try {
 *   await hetzner.getServer(42);
 * } catch (error) {
 *   if (error instanceof HetznerError && error.isRetryable) {
 *     // try again later
 *   }
 * }
 * ```
 */
export class HetznerError extends Error {
  override name = "HetznerError";
  /** Whether the same call may succeed if you try again later. */
  readonly isRetryable: boolean;

  constructor(message: string, options: HetznerErrorOptions = {}) {
    super(message, causeOptions(options.cause));
    this.isRetryable = options.isRetryable ?? false;
  }

  /**
   * A plain, secret-free object for structured logs: `name`, `message`, `isRetryable`, the
   * context the error class adds (`status`, `code`, `method`, `path`, `field`, ...) and the
   * (already redacted) cause.
   *
   * @example
   * ```ts
   * logger.error(JSON.stringify(error)); // {"name":"HetznerApiError","message":"...","status":404,...}
   * ```
   */
  toJSON(): Record<string, unknown> {
    return errorToJSON(this);
  }
}

/**
 * What `HetznerApiError` is built from.
 *
 * @example
 * ```ts
 * new HetznerApiError({ status: 404, code: "not_found", method: "GET", path: "/servers/42" });
 * ```
 */
export interface HetznerApiErrorInit extends HetznerErrorOptions {
  status: number;
  /** Hetzner's `error.code`, or `http_<status>` when the body carried none. */
  code: string;
  /** Hetzner's `error.message`, if any. */
  apiMessage?: string | undefined;
  details?: unknown;
  method: string;
  path: string;
  requestId?: string | undefined;
}

/**
 * A non-2xx answer from the Hetzner Cloud API, with Hetzner's error code. `isRetryable` is true
 * for 429, for retryable codes (`conflict`, `rate_limit_exceeded`, `timeout`, `locked`) and for
 * a 5xx answer to any method but POST: a POST that got a 5xx may have been applied.
 *
 * @example
 * ```ts
 * import { HetznerApiError } from "@tailvm/hetzner-client";
 *
 * try {
 *   await hetzner.createServer({ name: "runner-1", server_type: "cpx22", image: "ubuntu-24.04" });
 * } catch (error) {
 *   if (error instanceof HetznerApiError && error.code === "uniqueness_error") {
 *     // a server with that name exists already
 *   }
 * }
 * ```
 */
export class HetznerApiError extends HetznerError {
  override name = "HetznerApiError";
  readonly status: number;
  /** Hetzner's `error.code` (e.g. `"not_found"`), or `http_<status>` when the body had none. */
  readonly code: string;
  readonly details?: unknown;
  /** The request's method; empty when `unwrap` got a result that did not come from `api`. */
  readonly method: string;
  /** The API path without base URL or query, e.g. `/servers/42`. */
  readonly path: string;
  /** Hetzner's `X-Correlation-Id`, worth quoting to Hetzner support. */
  readonly requestId?: string;

  constructor(init: HetznerApiErrorInit) {
    const detail = init.apiMessage ? `: ${init.apiMessage}` : "";
    const hint = hintFor(init.code, init.status, init.method.toUpperCase());
    super(
      `Hetzner API ${[init.method, init.path].filter(Boolean).join(" ")} failed with ${init.status} ${init.code}${detail}.${hint ? ` ${hint}` : ""}`,
      {
        cause: init.cause,
        isRetryable: init.isRetryable ?? isRetryableAnswer(init.status, init.code, init.method),
      },
    );
    this.status = init.status;
    this.code = init.code;
    if (init.details !== undefined) this.details = init.details;
    this.method = init.method;
    this.path = init.path;
    if (init.requestId !== undefined) this.requestId = init.requestId;
  }
}

/**
 * The request never got an HTTP answer (connection refused or reset, DNS failure, timeout). The
 * message names the short reason (`ECONNREFUSED`, `no response within 10000 ms`); the redacted
 * original error is the `cause`.
 *
 * @example
 * ```ts
 * import { HetznerNetworkError } from "@tailvm/hetzner-client";
 *
 * if (error instanceof HetznerNetworkError && error.method === "POST") {
 *   // the server may or may not have been created: look it up by name before trying again
 * }
 * ```
 */
export class HetznerNetworkError extends HetznerError {
  override name = "HetznerNetworkError";
  readonly method: string;
  readonly path: string;

  constructor(init: { method: string; path: string; reason: string } & HetznerErrorOptions) {
    const advice =
      init.method === "POST"
        ? "The request may have been applied; check before sending it again."
        : "Check the network and the base URL, then try again.";
    super(
      `Hetzner API ${init.method} ${init.path} got no response (${init.reason}). ${advice}`,
      init,
    );
    this.method = init.method;
    this.path = init.path;
  }
}

/**
 * An action finished with status `"error"`; `code` is the action's `error.code`.
 *
 * @example
 * ```ts
 * import { HetznerActionError } from "@tailvm/hetzner-client";
 *
 * try {
 *   await hetzner.waitForAction(actionId);
 * } catch (error) {
 *   if (error instanceof HetznerActionError) console.log(error.code, error.action.command);
 * }
 * ```
 */
export class HetznerActionError extends HetznerError {
  override name = "HetznerActionError";
  readonly action: Action;
  readonly code: string;

  constructor(action: Action, options: HetznerErrorOptions = {}) {
    const code = action.error?.code ?? "unknown_error";
    const detail = action.error?.message ? `: ${action.error.message}` : "";
    super(
      `Hetzner action ${action.id} (${action.command}) failed with ${code}${detail}. Inspect the affected resources and start the operation again.`,
      options,
    );
    this.action = action;
    this.code = code;
  }
}

/**
 * A wait passed its deadline (for example `waitForAction`'s `timeoutMs`).
 *
 * @example
 * ```ts
 * import { HetznerTimeoutError } from "@tailvm/hetzner-client";
 *
 * try {
 *   await hetzner.waitForAction(actionId, { timeoutMs: 60_000 });
 * } catch (error) {
 *   if (error instanceof HetznerTimeoutError) console.log(`gave up after ${error.timeoutMs} ms`);
 * }
 * ```
 */
export class HetznerTimeoutError extends HetznerError {
  override name = "HetznerTimeoutError";
  readonly timeoutMs: number;

  constructor(message: string, timeoutMs: number, options: HetznerErrorOptions = {}) {
    super(message, { isRetryable: true, ...options });
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Bad input, rejected before any request is sent; `field` names the offending option.
 *
 * @example
 * ```ts
 * import { HetznerInputError } from "@tailvm/hetzner-client";
 *
 * try {
 *   await hetzner.getServer(-1);
 * } catch (error) {
 *   if (error instanceof HetznerInputError) console.log(error.field); // "id"
 * }
 * ```
 */
export class HetznerInputError extends HetznerError {
  override name = "HetznerInputError";
  readonly field: string;

  constructor(field: string, message: string) {
    super(`Invalid ${field}: ${message}`);
    this.field = field;
  }
}

/**
 * Narrows `error` to a `HetznerApiError`, optionally with a given Hetzner error code.
 *
 * @example
 * ```ts
 * import { isHetznerApiError } from "@tailvm/hetzner-client";
 *
 * try {
 *   await hetzner.getServer(42);
 * } catch (error) {
 *   if (isHetznerApiError(error, "not_found")) return undefined;
 *   throw error;
 * }
 * ```
 */
export function isHetznerApiError(error: unknown, code?: string): error is HetznerApiError {
  return error instanceof HetznerApiError && (code === undefined || error.code === code);
}
