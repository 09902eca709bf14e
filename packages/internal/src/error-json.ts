import { redactCredentialShapes } from "./redactor.js";

const MAX_CAUSE_DEPTH = 5;

/**
 * A JSON-safe form of an error's `cause`: its own `toJSON()` when it has one, else the name,
 * message, string `code` and nested cause of an `Error`, else its string form; credential shapes
 * in any text are replaced.
 */
export function describeCause(cause: unknown, depth = 0): unknown {
  if (cause === undefined) return undefined;
  const toJSON = (cause as { toJSON?: unknown } | null)?.toJSON;
  if (cause instanceof Error && typeof toJSON === "function") return toJSON.call(cause);
  if (cause instanceof Error) {
    const json: Record<string, unknown> = {
      name: redactCredentialShapes(cause.name),
      message: redactCredentialShapes(cause.message),
    };
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string") json.code = redactCredentialShapes(code);
    if (cause.cause !== undefined && depth < MAX_CAUSE_DEPTH) {
      json.cause = describeCause(cause.cause, depth + 1);
    }
    return json;
  }
  return redactCredentialShapes(String(cause));
}

/**
 * What `JSON.stringify` should write for one of tailvm's errors: `name` and `message` first, then
 * every own enumerable field the error defines (status, code, method, path, ...) that is set, then
 * the cause as {@link describeCause} gives it.
 */
export function errorToJSON(error: Error): Record<string, unknown> {
  const json: Record<string, unknown> = { name: error.name, message: error.message };
  for (const [key, value] of Object.entries(error)) {
    if (value !== undefined && !(key in json)) json[key] = value;
  }
  const cause = describeCause(error.cause);
  if (cause !== undefined) json.cause = cause;
  return json;
}
