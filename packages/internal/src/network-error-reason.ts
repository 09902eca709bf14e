const MAX_DEPTH = 5;

/**
 * A short, secret-free reason for a request that got no answer: the first string `code` on the
 * error or its causes (`ECONNREFUSED`, `UND_ERR_SOCKET`), else the error's name. The full message
 * belongs in the error's `cause`, so it is not printed twice.
 */
export function networkErrorReason(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_DEPTH && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]*$/.test(code)) return code;
    current = current.cause;
  }
  return error instanceof Error ? error.name : "unknown error";
}
