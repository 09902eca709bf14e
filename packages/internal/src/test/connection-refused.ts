/**
 * What a `fetch` wrapper may throw when the connection is refused: undici's
 * `TypeError("fetch failed")` with an `ECONNREFUSED` cause, both carrying the request (and with it
 * the `Authorization` header), which no error of a client may expose.
 *
 * @example
 * ```ts
 * const fetch = async (input: RequestInfo | URL) => {
 *   throw connectionRefused(input as Request);
 * };
 * ```
 */
export function connectionRefused(request: Request): TypeError {
  const failure = new TypeError("fetch failed", {
    cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED", request }),
  });
  return Object.assign(failure, { request, headers: request.headers });
}
