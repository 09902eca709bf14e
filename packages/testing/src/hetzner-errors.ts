import { jsonResponse } from "./router.js";

const HTTP_STATUS_FOR_CODE: Record<string, number> = {
  json_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  uniqueness_error: 409,
  conflict: 409,
  resource_in_use: 422,
  deprecated_api_endpoint: 410,
  resource_unavailable: 412,
  invalid_input: 422,
  locked: 423,
  rate_limit_exceeded: 429,
  server_error: 500,
  not_implemented: 501,
  bad_gateway: 502,
  unavailable: 503,
  timeout: 504,
};

/** One entry of an `invalid_input` answer's `details.fields`. */
export interface InvalidField {
  name: string;
  messages: string[];
}

/**
 * A Hetzner error answer: `{ error: { code, message, details } }` with the status Hetzner uses.
 *
 * @example
 * ```ts
 * return hetznerError("not_found", "server with ID '42' not found");
 * ```
 */
export function hetznerError(
  code: string,
  message: string,
  details: unknown = null,
  status = HTTP_STATUS_FOR_CODE[code] ?? 400,
): Response {
  return jsonResponse({ error: { code, message, details } }, status);
}

/** 422 `invalid_input` naming every field; the message is the first field's, unless given. */
export function invalidInput(fields: InvalidField[], message?: string): Response {
  const first = fields[0];
  const text =
    message ??
    (first
      ? `invalid input in field '${first.name}': ${first.messages.join(", ")}`
      : "invalid input");
  return hetznerError("invalid_input", text, { fields });
}

/** 404 `not_found` for a resource id. */
export function notFound(resource: string, id: string | undefined): Response {
  return hetznerError("not_found", `${resource} with ID '${id ?? ""}' not found`);
}
