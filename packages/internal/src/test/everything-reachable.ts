import { inspect } from "node:util";

/**
 * Every string reachable from `value`: `util.inspect` with unlimited depth and hidden properties,
 * `JSON.stringify`, and a walk over every own property (symbols and non-enumerable ones included)
 * that also reads the headers and URL of any `Request`, `Response` or `Headers` on the way. Tests
 * search it for secrets that must not be there.
 *
 * @example
 * ```ts
 * expect(everythingReachable(error)).not.toContain(token);
 * ```
 */
export function everythingReachable(value: unknown): string {
  const parts = [inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true })];
  try {
    parts.push(JSON.stringify(value) ?? "");
  } catch {
    // A cycle: the walk below still covers everything.
  }
  const seen = new Set<unknown>();
  const walk = (current: unknown): void => {
    if (typeof current === "string") {
      parts.push(current);
      return;
    }
    if ((typeof current !== "object" && typeof current !== "function") || current === null) return;
    if (seen.has(current)) return;
    seen.add(current);
    if (current instanceof Headers) {
      for (const [name, headerValue] of current) parts.push(`${name}: ${headerValue}`);
    }
    if (current instanceof Request || current instanceof Response) {
      parts.push(current.url);
      walk(current.headers);
    }
    if (current instanceof Error) parts.push(String(current));
    for (const key of Reflect.ownKeys(current)) {
      const descriptor = Object.getOwnPropertyDescriptor(current, key);
      if (descriptor && "value" in descriptor) walk(descriptor.value);
    }
  };
  walk(value);
  return parts.join("\n");
}
