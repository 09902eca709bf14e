import { type Clock, type Redactor, requestOf } from "@tailvm/internal";
import type { Client } from "openapi-fetch";
import { apiError } from "./api-error.js";
import type { AuthKind } from "./error-hints.js";
import { TailscaleInputError } from "./errors.js";
import type { paths } from "./generated/tailscale.js";

/** What the helpers share. */
export interface ClientContext {
  api: Client<paths>;
  tailnet: string;
  clock: Clock;
  redactor: Redactor;
  auth: AuthKind;
}

/** The data of a 2xx answer of `api`; anything else throws `TailscaleApiError`. */
export function expectOk<Data>(
  context: ClientContext,
  result: { data?: Data; error?: unknown; response: Response },
): Data | undefined {
  if (result.error === undefined && result.response.ok) return result.data;
  const { url } = result.response;
  const request = requestOf(result) ?? {
    method: "",
    path: URL.canParse(url) ? new URL(url).pathname : "",
  };
  throw apiError({
    method: request.method,
    path: request.path,
    response: result.response,
    body: result.error,
    redactor: context.redactor,
    auth: context.auth,
  });
}

/** `{ signal }` when there is one, for openapi-fetch's options (which take no `undefined`). */
export function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

/** Throws unless `value` is a non-empty id string. */
export function requireId(field: string, value: unknown): asserts value is string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new TailscaleInputError(field, `${field} must be a non-empty id string.`);
  }
}
