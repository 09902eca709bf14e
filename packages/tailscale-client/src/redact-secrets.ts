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
  /** Returns `error` itself when it carries no secret, otherwise a redacted copy (cause chain included). */
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
    if (!(error instanceof Error) || depth > MAX_CAUSE_DEPTH) {
      return typeof error === "string" ? redact(error) : error;
    }
    const cause = error.cause === undefined ? undefined : redactError(error.cause, depth + 1);
    const clean =
      redact(error.message) === error.message &&
      redact(error.stack ?? "") === (error.stack ?? "") &&
      cause === error.cause;
    if (clean) return error;
    const copy = new Error(redact(error.message), cause === undefined ? undefined : { cause });
    copy.name = error.name;
    copy.stack = redact(error.stack ?? `${error.name}: ${error.message}`);
    return copy;
  };

  return { add, redact, redactError: (error) => redactError(error) };
}
