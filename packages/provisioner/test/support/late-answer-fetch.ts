import type { SimulatedCloud } from "@tailvm/testing";

/**
 * A fetch to `sim` that behaves like a slow real network for the requests `matches` selects: the
 * request reaches the simulator (and is applied) only after `delayMs` of simulated time, whatever
 * the caller does, while an abort rejects the caller's promise at once, as a real socket would.
 * `applied` settles when the slow request has been answered.
 */
export function lateAnswerFetch(
  sim: SimulatedCloud,
  options: { matches: (request: Request) => boolean; delayMs: number },
): { fetch: typeof fetch; applied: () => Promise<void> } {
  const inFlight: Promise<unknown>[] = [];
  const slowFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    if (!options.matches(request)) return sim.fetch(request);
    const signal = request.signal;
    signal.throwIfAborted();
    // Detached from the caller's signal: once sent, the request is the server's to apply.
    const detached = new Request(request.url, {
      method: request.method,
      headers: request.headers,
      body: await request.text(),
    });
    const answer = sim.clock.sleep(options.delayMs).then(() => sim.fetch(detached));
    inFlight.push(answer.catch(() => {}));
    return new Promise<Response>((resolve, reject) => {
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      answer.then(resolve, reject);
    });
  };
  return {
    fetch: slowFetch as typeof fetch,
    applied: async () => {
      await Promise.all(inFlight);
    },
  };
}
