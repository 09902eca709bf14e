import { isAbortError, networkErrorReason, type Redactor } from "@tailvm/internal";
import { TailscaleError, TailscaleNetworkError } from "./errors.js";

/**
 * What to throw for a request that got no answer and is not retried: this package's own errors
 * and aborts as they are, anything else as a `TailscaleNetworkError` with a redacted cause.
 */
export function toNetworkError(
  error: unknown,
  timedOut: boolean,
  context: {
    method: string;
    path: string;
    host: string;
    idempotent: boolean;
    attemptTimeoutMs: number | undefined;
    redactor: Redactor;
  },
): unknown {
  if (error instanceof TailscaleError || (!timedOut && isAbortError(error))) return error;
  const { method, path, idempotent, redactor } = context;
  const reason = timedOut
    ? `no response within ${context.attemptTimeoutMs} ms`
    : redactor.redact(networkErrorReason(error));
  return new TailscaleNetworkError(
    `Could not reach Tailscale at ${context.host} for ${method} ${path} (${reason}). ` +
      (idempotent
        ? "Check network access to the API and the client's baseUrl, then try again."
        : "The request may or may not have been applied; check its effect before sending it again."),
    {
      cause: timedOut ? undefined : redactor.redactCause(error),
      isRetryable: idempotent,
      method,
      path,
    },
  );
}
