/** Replaces every occurrence of each secret in `text` with `***`. */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const values = secrets.filter((secret) => secret.length > 0);
  return (text) => {
    let result = text;
    for (const secret of values) result = result.split(secret).join("***");
    return result;
  };
}

/** How many nested causes are copied; deeper ones are dropped. */
const MAX_CAUSE_DEPTH = 5;

/**
 * A fresh, secret-free copy of `cause` to attach to an error of this package. The original is
 * never handed back: a foreign error may carry the `Request` (and with it the `Authorization`
 * header) in properties that neither `JSON.stringify` nor a look at the message reveals. An
 * `Error` becomes a new `Error` with only its name, message, stack, a string `code` and its own
 * cause (copied the same way, up to five levels), all redacted; a string is redacted; any other
 * object becomes a short description of its type.
 */
export function sanitizeCause(
  cause: unknown,
  redact: (text: string) => string,
  depth = 0,
): unknown {
  if (cause instanceof Error) {
    const nested =
      cause.cause === undefined || depth >= MAX_CAUSE_DEPTH
        ? undefined
        : sanitizeCause(cause.cause, redact, depth + 1);
    const copy = new Error(
      redact(String(cause.message)),
      nested === undefined ? undefined : { cause: nested },
    );
    copy.name = redact(String(cause.name));
    copy.stack = redact(
      typeof cause.stack === "string" ? cause.stack : `${copy.name}: ${copy.message}`,
    );
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string") Object.assign(copy, { code: redact(code) });
    return copy;
  }
  if (typeof cause === "string") return redact(cause);
  if (cause === null || typeof cause !== "object") {
    return typeof cause === "function" ? "[function]" : cause;
  }
  return `[${cause.constructor?.name ?? "object"}]`;
}
