/** What replaces a secret. */
export const REDACTED = "***";

/** Secrets shorter than this are not searched for: replacing them would shred ordinary text. */
export const MIN_SECRET_LENGTH = 4;

/** How many nested causes {@link Redactor.redactCause} copies; deeper ones are dropped. */
const MAX_CAUSE_DEPTH = 5;

// Shapes that are secret whatever their value: Tailscale credentials (API keys, auth keys, OAuth
// client secrets all start with `tskey-`) and HTTP credentials.
const SECRET_SHAPES: [RegExp, string][] = [
  [/tskey-[A-Za-z0-9_-]+/g, REDACTED],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\b(client_secret|access_token|root_password|password)=[^&\s"']+/gi, `$1=${REDACTED}`],
];

/** Replaces every registered secret, and anything shaped like a credential, in text and values. */
export interface Redactor {
  /** Registers a secret (in its plain, URL-encoded and JSON-escaped forms). Ignores `undefined` and short values. */
  add(secret: string | undefined | null): void;
  /** `text` with every registered secret and credential shape replaced by `***`. */
  redact(text: string): string;
  /** A deep copy of `value` with every string redacted; an `Error` becomes `{ name, message }`. */
  redactValue<T>(value: T): T;
  /**
   * A fresh copy of `cause` that is safe to keep on an error: never the original, which may carry
   * the `Request` (and its `Authorization` header) in properties no text check sees. An `Error`
   * keeps only its name, message, stack, a string `code` and its cause (copied the same way, up to
   * five levels), all redacted; a string is redacted; any other object becomes the name of its type.
   */
  redactCause(cause: unknown): unknown;
  /** How many secret forms are registered. */
  readonly size: number;
}

/** `text` with every credential shape (Tailscale keys, `Bearer`/`Basic` values, `password=`) replaced. */
export function redactCredentialShapes(text: string): string {
  let output = text;
  for (const [shape, replacement] of SECRET_SHAPES) output = output.replace(shape, replacement);
  return output;
}

/**
 * Creates a redactor. Secrets can be registered later as they appear (an auth key, a root password).
 *
 * @example
 * ```ts
 * const redactor = createRedactor(["hunter2-token"]);
 * redactor.add(authKey);
 * redactor.redact("Authorization: Bearer hunter2-token"); // "Authorization: Bearer ***"
 * ```
 */
export function createRedactor(secrets: Iterable<string | undefined | null> = []): Redactor {
  const values = new Set<string>();
  let longestFirst: string[] = [];

  const add = (secret: string | undefined | null) => {
    if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) return;
    const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
    const before = values.size;
    for (const form of forms) values.add(form);
    if (values.size !== before) longestFirst = [...values].sort((a, b) => b.length - a.length);
  };
  for (const secret of secrets) add(secret);

  const redact = (text: string): string => {
    let output = text;
    for (const secret of longestFirst) {
      if (output.includes(secret)) output = output.split(secret).join(REDACTED);
    }
    return redactCredentialShapes(output);
  };

  const redactCause = (cause: unknown, depth = 0): unknown => {
    if (cause instanceof Error) {
      const nested =
        cause.cause === undefined || depth >= MAX_CAUSE_DEPTH
          ? undefined
          : redactCause(cause.cause, depth + 1);
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
  };

  return {
    add,
    redact,
    redactValue: <T>(value: T): T => redactDeep(value, redact, new WeakMap()) as T,
    redactCause: (cause) => redactCause(cause),
    get size() {
      return values.size;
    },
  };
}

function redactDeep(
  value: unknown,
  redact: (text: string) => string,
  seen: WeakMap<object, unknown>,
): unknown {
  if (typeof value === "string") return redact(value);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return seen.get(value);
  if (value instanceof Error) {
    const copy: Record<string, unknown> = { name: value.name, message: redact(value.message) };
    seen.set(value, copy);
    return copy;
  }
  if (value instanceof Date) return new Date(value.getTime());
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(redactDeep(item, redact, seen));
    return copy;
  }
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [key, item] of Object.entries(value)) copy[key] = redactDeep(item, redact, seen);
  return copy;
}
