const REDACTED = "***";

/**
 * A string that must reach the rendered user data but never a preview, a log line or an error.
 * Create one with {@link secret}. `String(value)`, `JSON.stringify` and `util.inspect` all show `***`.
 * This protects tailvm's own output only: on the machine the user data stays readable, and
 * cloud-init logs some values (the `phone_home` URL) in `/var/log/cloud-init.log`.
 *
 * @example
 * ```ts
 * const key = secret("tskey-auth-abc123");
 * String(key); // "***"
 * ```
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    if (typeof value !== "string") {
      throw new TypeError("secret(value) takes a string; pass the secret text itself.");
    }
    this.#value = value;
  }

  /** The wrapped text. Only the renderer should call this. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Secret(${REDACTED})`;
  }
}

/**
 * Wraps a sensitive string (an auth key, a password hash, a token in a URL). `render()` writes the
 * real value; `preview()` writes `***`.
 *
 * @example
 * ```ts
 * import { preview, render, secret } from "@tailvm/cloud-init";
 * const config = { write_files: [{ path: "/etc/token", content: secret("s3cr3t"), permissions: "0600" }] };
 * render(config);  // ... content: s3cr3t
 * preview(config); // ... content: "***"
 * ```
 */
export function secret(value: string): Secret {
  return new Secret(value);
}

/**
 * Whether `value` was made by {@link secret}.
 *
 * @example
 * ```ts
 * isSecret(secret("x")); // true
 * isSecret("x");         // false
 * ```
 */
export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}

/**
 * The text `preview()` shows in place of every secret.
 *
 * @example
 * ```ts
 * String(secret("x")) === REDACTED_TEXT; // true
 * ```
 */
export const REDACTED_TEXT = REDACTED;
