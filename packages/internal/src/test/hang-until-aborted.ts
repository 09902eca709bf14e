/**
 * A `fetch` that never gets an answer: it settles only when the request's signal aborts, with the
 * signal's reason, like a server that accepted the connection and went silent.
 *
 * @example
 * ```ts
 * const client = createHetznerClient({ token, fetch: (input) => hangUntilAborted(input as Request) });
 * ```
 */
export function hangUntilAborted(request: Request): Promise<Response> {
  return new Promise((_resolve, reject) => {
    if (request.signal.aborted) reject(request.signal.reason);
    request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true });
  });
}
