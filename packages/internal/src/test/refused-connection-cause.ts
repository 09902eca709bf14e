import { expect } from "vitest";
import { everythingReachable } from "./everything-reachable.js";

/**
 * Checks a client's error for a request whose `fetch` threw `connectionRefused`: its cause
 * is still the fetch failure with the `ECONNREFUSED` reason, the request is gone from it, and no
 * string reachable from the error matches one of `secrets`.
 *
 * @example
 * ```ts
 * const client = createHetznerClient({ token, retry: false, fetch: async (input) => {
 *   throw connectionRefused(input as Request);
 * } });
 * expectRefusedConnectionCause(await client.getServer(1).catch((error) => error), [token]);
 * ```
 */
export function expectRefusedConnectionCause(
  error: unknown,
  secrets: readonly (string | RegExp)[],
): void {
  const cause = (error as Error).cause as Error & { request?: unknown };
  expect(cause).toMatchObject({ name: "TypeError", message: "fetch failed" });
  expect(cause.request).toBeUndefined();
  expect(cause.cause).toMatchObject({ code: "ECONNREFUSED" });
  const exposed = everythingReachable(error);
  expect(exposed).toContain("ECONNREFUSED");
  for (const secret of secrets) {
    if (typeof secret === "string") expect(exposed).not.toContain(secret);
    else expect(exposed).not.toMatch(secret);
  }
}
