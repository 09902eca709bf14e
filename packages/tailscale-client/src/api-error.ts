import type { Redactor } from "@tailvm/internal";
import { type AuthKind, hintFor } from "./error-hints.js";
import { TailscaleApiError } from "./errors.js";

/**
 * The error for a non-2xx answer: what was asked, what Tailscale said (redacted), and the next
 * step chosen by its code.
 */
export function apiError(context: {
  method: string;
  path: string;
  response: Response;
  body: unknown;
  redactor: Redactor;
  auth: AuthKind;
}): TailscaleApiError {
  const { method, path, response, redactor } = context;
  const status = response.status;
  const raw =
    typeof context.body === "object" && context.body !== null && "message" in context.body
      ? String(context.body.message)
      : typeof context.body === "string"
        ? context.body.slice(0, 300)
        : "";
  const apiMessage = raw ? redactor.redact(raw) : undefined;
  const code = `http_${status}`;
  const what = `Tailscale answered ${method} ${path} with HTTP ${status}${apiMessage ? `: ${apiMessage}` : ""}`;
  return new TailscaleApiError(
    redactor.redact(`${what}. ${hintFor(code, status, method, context.auth)}`),
    { status, method, path, code, apiMessage },
  );
}
