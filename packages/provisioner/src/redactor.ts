/**
 * What replaces a secret.
 *
 * @example
 * ```ts
 * createRedactor(["s3cret-value"]).redact("token s3cret-value"); // `token ${REDACTED}`
 * ```
 */
export const REDACTED = "***";

/** Secrets shorter than this are not searched for: replacing them would shred ordinary text. */
export const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every registered secret in strings and in (deep) values.
 *
 * @example
 * ```ts
 * const redactor: Redactor = createRedactor();
 * redactor.add(process.env.HETZNER_API_TOKEN);
 * log(redactor.redact(message));
 * ```
 */
export interface Redactor {
  /** Registers a secret. Safe to call with `undefined` or an empty string. */
  add(secret: string | undefined | null): void;
  /** `text` with every registered secret, and anything shaped like a Tailscale key or bearer token, replaced by `***`. */
  redact(text: string): string;
  /** A deep copy of `value` with every string redacted. Errors become `{ name, message }`. */
  redactValue<T>(value: T): T;
  /** How many secrets are registered. */
  readonly size: number;
}

// Shapes that are secret whatever their value: Tailscale keys and HTTP credentials.
const SECRET_SHAPES: [RegExp, string][] = [
  [/tskey-[A-Za-z0-9]+-[A-Za-z0-9_-]+/g, REDACTED],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\b(client_secret|access_token|root_password|password)=[^&\s"']+/gi, `$1=${REDACTED}`],
];

/**
 * Creates the redactor a run shares between its events, loggers and outputs. Secrets are
 * registered as they appear (tokens, client secret, auth key, webhook secret, root password).
 *
 * @example
 * ```ts
 * const redactor = createRedactor(["hunter2-token"]);
 * redactor.add(authKey);
 * redactor.redact("Authorization: Bearer hunter2-token"); // "Authorization: Bearer ***"
 * ```
 */
export function createRedactor(secrets: Iterable<string> = []): Redactor {
  const values = new Set<string>();
  let sorted: string[] = [];

  const add = (secret: string | undefined | null) => {
    if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) return;
    const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
    let changed = false;
    for (const form of forms) {
      if (!values.has(form)) {
        values.add(form);
        changed = true;
      }
    }
    if (changed) sorted = [...values].sort((a, b) => b.length - a.length);
  };

  for (const secret of secrets) add(secret);

  const redact = (text: string): string => {
    let output = text;
    for (const secret of sorted) {
      if (output.includes(secret)) output = output.split(secret).join(REDACTED);
    }
    for (const [shape, replacement] of SECRET_SHAPES) output = output.replace(shape, replacement);
    return output;
  };

  const redactValue = <T>(value: T): T => redactDeep(value, redact, new WeakMap()) as T;

  return {
    add,
    redact,
    redactValue,
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
