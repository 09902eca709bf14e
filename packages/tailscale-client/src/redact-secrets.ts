const REPLACEMENT = "***";

/** Tailscale credentials all start with `tskey-` (API keys, auth keys, OAuth client secrets). */
const TAILSCALE_KEY_PATTERN = /tskey-[A-Za-z0-9_-]+/g;
const AUTHORIZATION_PATTERN = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const MAX_CAUSE_DEPTH = 5;

/** Replaces secrets in text that this package is about to put into an error or an event. */
export interface SecretRedactor {
  /** Remembers a secret so that later calls to {@link SecretRedactor.redact} hide it. */
  add(secret: string | undefined): void;
  redact(text: string): string;
  /**
   * A fresh copy of `error` that is safe to keep as a `cause`: never the original, which may carry
   * the `Request` (and its `Authorization` header) in properties no text check sees. An `Error`
   * keeps only its name, message, stack, a string `code` and its cause (copied the same way, up to
   * five levels), all redacted; a string is redacted; any other object becomes the name of its type.
   */
  redactError(error: unknown): unknown;
}

/** Hides anything shaped like a Tailscale key or an Authorization header value. */
export function redactCredentialPatterns(text: string): string {
  return text
    .replace(TAILSCALE_KEY_PATTERN, REPLACEMENT)
    .replace(AUTHORIZATION_PATTERN, (_match, scheme: string) => `${scheme} ${REPLACEMENT}`);
}

export function createSecretRedactor(
  initialSecrets: Iterable<string | undefined> = [],
): SecretRedactor {
  const secrets = new Set<string>();

  const add = (secret: string | undefined) => {
    // Very short values would blank out ordinary words; real credentials are much longer.
    if (secret !== undefined && secret.length >= 6) secrets.add(secret);
  };
  for (const secret of initialSecrets) add(secret);

  const redact = (text: string): string => {
    let result = text;
    for (const secret of secrets) result = result.split(secret).join(REPLACEMENT);
    return redactCredentialPatterns(result);
  };

  const redactError = (error: unknown, depth = 0): unknown => {
    if (error instanceof Error) {
      const cause =
        error.cause === undefined || depth >= MAX_CAUSE_DEPTH
          ? undefined
          : redactError(error.cause, depth + 1);
      const copy = new Error(
        redact(String(error.message)),
        cause === undefined ? undefined : { cause },
      );
      copy.name = redact(String(error.name));
      copy.stack = redact(
        typeof error.stack === "string" ? error.stack : `${copy.name}: ${copy.message}`,
      );
      const code = (error as { code?: unknown }).code;
      if (typeof code === "string") Object.assign(copy, { code: redact(code) });
      return copy;
    }
    if (typeof error === "string") return redact(error);
    if (error === null || typeof error !== "object") {
      return typeof error === "function" ? "[function]" : error;
    }
    return `[${error.constructor?.name ?? "object"}]`;
  };

  return { add, redact, redactError: (error) => redactError(error) };
}
