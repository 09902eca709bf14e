import { CloudConfigError } from "./errors.js";
import { isSecret, REDACTED_TEXT } from "./secret.js";

/** What to put in place of each `Secret`: its value (render) or `***` (preview). */
export type SecretMode = "reveal" | "redact";

/**
 * Copies a config into plain JSON-like data, replacing each Secret and dropping `undefined` fields.
 * Mappings come back as null-prototype objects, so every key (even `__proto__`) is kept.
 * Anything YAML cannot carry faithfully (functions, symbols, bigints, NaN, class instances, cycles)
 * is an error naming its field path.
 */
export function toPlainData(
  value: unknown,
  mode: SecretMode,
  path = "",
  seen = new Set<object>(),
): unknown {
  if (isSecret(value)) return mode === "reveal" ? value.reveal() : REDACTED_TEXT;
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    throw unsupported(path, `the number ${value}`);
  }
  if (typeof value !== "object") throw unsupported(path, `a ${typeof value}`);
  if (seen.has(value)) throw unsupported(path, "a circular reference");
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      return value.map((item, index) => toPlainData(item, mode, `${path}[${index}]`, seen));
    }
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw unsupported(path, `an instance of ${prototype?.constructor?.name ?? "a class"}`);
    }
    // No prototype, so that a mapping key named `__proto__` stays an ordinary key.
    const result: Record<string, unknown> = Object.create(null);
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      result[key] = toPlainData(item, mode, path === "" ? key : `${path}.${key}`, seen);
    }
    return result;
  } finally {
    seen.delete(value);
  }
}

function unsupported(path: string, what: string): CloudConfigError {
  return new CloudConfigError(
    `Cannot render ${path === "" ? "the config" : path}: it is ${what}. Use strings, finite numbers, booleans, null, arrays, plain objects or secret(...).`,
  );
}
