/** A function that counts its calls: `count` is how many it has had so far. */
export interface Counted<Args extends unknown[], Result> {
  (...args: Args): Result;
  readonly count: number;
}

/**
 * `answer` with a count of its calls: each call passes its number (1 for the first) ahead of its
 * own arguments, and `count` says how many calls there were.
 *
 * @example
 * ```ts
 * const onRequest = counted((attempt) => console.log(`attempt ${attempt}`));
 * client.api.use({ onRequest });
 * expect(onRequest.count).toBe(2);
 * ```
 */
export function counted<Args extends unknown[], Result>(
  answer: (call: number, ...args: Args) => Result,
): Counted<Args, Result> {
  let count = 0;
  const call = (...args: Args) => {
    count += 1;
    return answer(count, ...args);
  };
  return Object.defineProperty(call, "count", { get: () => count }) as Counted<Args, Result>;
}

/**
 * A `fetch` that counts its calls and answers each with `answer(call, request)`, numbering calls
 * from 1. What `answer` throws or rejects with, `fetch` rejects with.
 *
 * @example
 * ```ts
 * const fetch = countedFetch((call, request) =>
 *   call === 1 ? hangUntilAborted(request) : Response.json({ devices: [] }),
 * );
 * const client = createTailscaleClient({ auth, fetch, retry: { timeoutMs: 5_000 } });
 * await client.listDevices();
 * expect(fetch.count).toBe(2);
 * ```
 */
export function countedFetch(
  answer: (call: number, request: Request) => Response | Promise<Response>,
): Counted<[input: string | URL | Request, init?: RequestInit], Promise<Response>> {
  return counted(async (call, input: string | URL | Request, init?: RequestInit) =>
    answer(call, input instanceof Request && init === undefined ? input : new Request(input, init)),
  );
}
