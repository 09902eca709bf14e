import type { SimulatedClock } from "./clock.js";
import { holdClock } from "./clock.js";
import { createHetznerRoutes, hetznerError } from "./hetzner-routes.js";
import { matchRoute, type Route } from "./router.js";
import { createTailscaleRoutes, tailscaleError } from "./tailscale-routes.js";
import type { SimulatedApi, SimulatedCredentials } from "./types.js";
import type { FaultTargetRecord, World } from "./world.js";

/** The one request pipeline both the MSW handlers and the loopback server run. */
export interface SimulatorCore {
  /** The API a URL belongs to, or `undefined` when it is under neither base URL. */
  apiOf(url: URL): SimulatedApi | undefined;
  /** Answers a request. A connection reset is answered with `Response.error()`. */
  handle(request: Request): Promise<Response>;
}

export interface SimulatorCoreOptions {
  world: World;
  clock: SimulatedClock;
  credentials: SimulatedCredentials;
  hetznerBaseUrl: string;
  tailscaleBaseUrl: string;
  latencyMs: number | Record<string, number> | undefined;
}

const HETZNER_CODE_FOR_STATUS: Record<number, string> = {
  429: "rate_limit_exceeded",
  500: "server_error",
  502: "bad_gateway",
  503: "unavailable",
  504: "timeout",
};

function takeFault<Fault extends FaultTargetRecord>(
  faults: Fault[],
  api: SimulatedApi,
  method: string,
  path: string,
  template: string | undefined,
): Fault | undefined {
  const fault = faults.find(
    (candidate) =>
      candidate.api === api &&
      candidate.remaining > 0 &&
      (candidate.method === undefined || candidate.method.toUpperCase() === method) &&
      (typeof candidate.path === "string"
        ? candidate.path === path || candidate.path === template
        : candidate.path.test(path)),
  );
  if (!fault) return undefined;
  fault.remaining -= 1;
  if (fault.remaining <= 0) faults.splice(faults.indexOf(fault), 1);
  return fault;
}

function basePath(url: URL): string {
  return url.pathname.replace(/\/+$/, "");
}

/**
 * Creates the request pipeline: latency, settling the world to the clock's time, faults, auth,
 * Hetzner's rate limit, routing, and the request log.
 *
 * @example
 * ```ts
 * const core = createSimulatorCore({ world, clock, credentials, hetznerBaseUrl, tailscaleBaseUrl, latencyMs: 0 });
 * const response = await core.handle(new Request(`${hetznerBaseUrl}/servers`));
 * ```
 */
export function createSimulatorCore(options: SimulatorCoreOptions): SimulatorCore {
  const { world, clock, credentials } = options;
  const bases: { api: SimulatedApi; origin: string; path: string; routes: Route[] }[] = [
    {
      api: "hetzner",
      ...(() => {
        const url = new URL(options.hetznerBaseUrl);
        return { origin: url.origin, path: basePath(url) };
      })(),
      routes: createHetznerRoutes(world),
    },
    {
      api: "tailscale",
      ...(() => {
        const url = new URL(options.tailscaleBaseUrl);
        return { origin: url.origin, path: basePath(url) };
      })(),
      routes: createTailscaleRoutes(world, credentials),
    },
  ];

  const baseOf = (url: URL) =>
    bases.find(
      (base) =>
        base.origin === url.origin &&
        (url.pathname === base.path || url.pathname.startsWith(`${base.path}/`)),
    );

  const latencyFor = (method: string, template: string | undefined): number => {
    const latency = options.latencyMs;
    if (latency === undefined) return 0;
    if (typeof latency === "number") return latency;
    return (
      (template !== undefined ? latency[`${method} ${template}`] : undefined) ?? latency["*"] ?? 0
    );
  };

  const answer = async (
    api: SimulatedApi,
    routes: Route[],
    request: Request,
    path: string,
    query: URLSearchParams,
  ): Promise<Response> => {
    const method = request.method.toUpperCase();
    const now = clock.now();
    world.settle(now);
    const match = matchRoute(routes, method, path);
    const template = typeof match === "object" ? match.route.template : undefined;

    if (takeFault(world.faults.resetConnection, api, method, path, template))
      return Response.error();

    if (api === "tailscale" && template === "/oauth/token" && world.faults.tokenEndpoint) {
      const fault = world.faults.tokenEndpoint;
      fault.remaining -= 1;
      if (fault.remaining <= 0) world.faults.tokenEndpoint = undefined;
      return tailscaleError(fault.status, "token endpoint failed (simulated fault)");
    }

    const failure = takeFault(world.faults.failNext, api, method, path, template);
    if (failure) {
      if (api === "tailscale") {
        const response = tailscaleError(failure.status, `simulated ${failure.status} answer`);
        if (failure.status === 429) response.headers.set("Retry-After", "1");
        return response;
      }
      const code = failure.code ?? HETZNER_CODE_FOR_STATUS[failure.status] ?? "server_error";
      const response = hetznerError(
        code,
        `simulated ${failure.status} answer`,
        null,
        failure.status,
      );
      for (const [name, value] of Object.entries(world.rateLimit.headers(now))) {
        response.headers.set(name, value);
      }
      if (failure.status === 429) {
        response.headers.set("RateLimit-Remaining", "0");
        response.headers.set("RateLimit-Reset", String(Math.ceil(now / 1000) + 1));
        response.headers.set("Retry-After", "1");
      }
      return response;
    }

    if (api === "hetzner") {
      // "All requests, whether they are authenticated or not, are subject to rate limiting."
      if (!world.rateLimit.take(now)) {
        return hetznerError("rate_limit_exceeded", "limit of requests per hour reached");
      }
      const authorization = request.headers.get("authorization") ?? "";
      if (authorization !== `Bearer ${credentials.hetznerToken}`) {
        return hetznerError("unauthorized", "unable to authenticate: check the API token");
      }
    }

    if (match === undefined) {
      return api === "hetzner"
        ? hetznerError("not_found", `no route for ${method} ${path}`)
        : tailscaleError(404, `no route for ${method} ${path}`);
    }
    if (match === "method-not-allowed") {
      return api === "hetzner"
        ? hetznerError("method_not_allowed", `${method} is not allowed on ${path}`)
        : tailscaleError(405, `${method} is not allowed on ${path}`);
    }
    return match.route.handler({ request, params: match.params, query, now });
  };

  return {
    apiOf: (url) => baseOf(url)?.api,
    async handle(request) {
      const url = new URL(request.url);
      const base = baseOf(url);
      if (!base) {
        return new Response(`no simulated API under ${url.origin}${url.pathname}`, { status: 404 });
      }
      const path = url.pathname.slice(base.path.length) || "/";
      const method = request.method.toUpperCase();
      const time = clock.now();
      const match = matchRoute(base.routes, method, path);
      const latency = latencyFor(
        method,
        typeof match === "object" ? match.route.template : undefined,
      );
      if (latency > 0) await clock.sleep(latency, request.signal);
      const release = holdClock(clock);
      try {
        const response = await answer(base.api, base.routes, request, path, url.searchParams);
        if (base.api === "hetzner" && response.type !== "error") {
          const now = clock.now();
          for (const [name, value] of Object.entries(world.rateLimit.headers(now))) {
            if (!response.headers.has(name)) response.headers.set(name, value);
          }
        }
        world.requestLog.push({
          api: base.api,
          method,
          path,
          status: response.type === "error" ? 0 : response.status,
          time,
        });
        return response;
      } finally {
        release();
      }
    },
  };
}
