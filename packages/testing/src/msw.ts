import { type HttpHandler, HttpResponse, http } from "msw";

/**
 * What {@link createMswHandlers} needs of a simulated cloud: `createSimulatedCloud()` returns it.
 *
 * @example
 * ```ts
 * const target: MswSimulatorTarget = createSimulatedCloud();
 * ```
 */
export interface MswSimulatorTarget {
  hetznerUrl: string;
  tailscaleUrl: string;
  fetch: typeof fetch;
}

/**
 * MSW request handlers that answer the simulator's two APIs, for code that calls the global
 * `fetch`. A simulated connection reset becomes MSW's network error. This entry is the only one
 * that needs `msw` (a peer dependency, `^3`): the main entry works without it.
 *
 * @example
 * ```ts
 * import { createSimulatedCloud } from "@tailvm/testing";
 * import { createMswHandlers } from "@tailvm/testing/msw";
 * import { setupServer } from "msw/node";
 *
 * const sim = createSimulatedCloud();
 * const server = setupServer(...createMswHandlers(sim));
 * beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
 * afterEach(() => sim.state.reset());
 * afterAll(() => server.close());
 * ```
 */
export function createMswHandlers(sim: MswSimulatorTarget): HttpHandler[] {
  const resolve = async ({ request }: { request: Request }) => {
    try {
      return await sim.fetch(request);
    } catch (error) {
      if (error instanceof TypeError && error.message === "fetch failed") {
        return HttpResponse.error();
      }
      throw error;
    }
  };
  return [http.all(`${sim.hetznerUrl}/*`, resolve), http.all(`${sim.tailscaleUrl}/*`, resolve)];
}
