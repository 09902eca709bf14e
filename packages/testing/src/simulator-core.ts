import { holdClock } from "@tailvm/internal/test";
import type { ScheduledFault } from "./fault-schedule.js";
import { hetznerError } from "./hetzner-errors.js";
import { createHetznerRoutes } from "./hetzner-routes.js";
import { notSimulated } from "./not-simulated.js";
import { matchRoute, type Route } from "./router.js";
import { applyBeforeAnswer, hangUntilReleased, withdrawUnused } from "./scheduled-fault-effects.js";
import { createStalledClockDetector, type StalledClockDetector } from "./stalled-clock-detector.js";
import { createTailscaleRoutes, tailscaleError } from "./tailscale-routes.js";
import type { SimulatedApi, SimulatedClock, SimulatedCredentials } from "./types.js";
import type { FaultTargetRecord, World } from "./world.js";

/** The one request pipeline both the MSW handlers and the loopback server run. */
export interface SimulatorCore {
  /** The API a URL belongs to, or `undefined` when it is under neither base URL. */
  apiOf(url: URL): SimulatedApi | undefined;
  /** Answers a request. A connection reset is answered with `Response.error()`. */
  handle(request: Request): Promise<Response>;
  /** Forgets what the stalled-clock check has seen. */
  reset(): void;
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

interface Base {
  api: SimulatedApi;
  origin: string;
  path: string;
  routes: Route[];
}

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

function baseOf(api: SimulatedApi, baseUrl: string, routes: Route[]): Base {
  const url = new URL(baseUrl);
  return { api, origin: url.origin, path: url.pathname.replace(/\/+$/, ""), routes };
}

function injectedFailure(
  world: World,
  api: SimulatedApi,
  status: number,
  code?: string,
  resetSeconds = 1,
) {
  if (api === "tailscale") {
    const response = tailscaleError(status, `simulated ${status} answer`);
    if (status === 429) response.headers.set("Retry-After", String(resetSeconds));
    return response;
  }
  const now = world.config.clock.now();
  const response = hetznerError(
    code ?? HETZNER_CODE_FOR_STATUS[status] ?? "server_error",
    `simulated ${status} answer`,
    null,
    status,
  );
  for (const [name, value] of Object.entries(world.rateLimit.headers(now, world.config.wallTime))) {
    response.headers.set(name, value);
  }
  if (status === 429) {
    response.headers.set("RateLimit-Remaining", "0");
    const reset = Math.ceil(world.config.wallTime(now + resetSeconds * 1_000) / 1000);
    response.headers.set("RateLimit-Reset", String(reset));
    response.headers.set("Retry-After", String(resetSeconds));
  }
  return response;
}

/**
 * Creates the request pipeline: latency, settling the world to the clock's time, faults, auth,
 * Hetzner's rate limit, the stalled-clock check, routing (501 outside the simulated routes), and
 * the request log.
 *
 * @example
 * ```ts
 * const core = createSimulatorCore({ world, clock, credentials, hetznerBaseUrl, tailscaleBaseUrl, latencyMs: 0 });
 * const response = await core.handle(new Request(`${hetznerBaseUrl}/servers`));
 * ```
 */
export function createSimulatorCore(options: SimulatorCoreOptions): SimulatorCore {
  const { world, clock, credentials } = options;
  const bases: Base[] = [
    baseOf("hetzner", options.hetznerBaseUrl, createHetznerRoutes(world)),
    baseOf("tailscale", options.tailscaleBaseUrl, createTailscaleRoutes(world, credentials)),
  ];
  const stalled: StalledClockDetector = createStalledClockDetector({ clock, world });

  const findBase = (url: URL) =>
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
    base: Base,
    request: Request,
    path: string,
    url: URL,
    scheduled: ScheduledFault | undefined,
  ) => {
    const { api } = base;
    const method = request.method.toUpperCase();
    const now = clock.now();
    world.settle(now);
    const match = matchRoute(base.routes, method, path);
    const template = match?.route.template;

    if (takeFault(world.faults.resetConnection, api, method, path, template)) {
      return Response.error();
    }
    if (api === "tailscale" && template === "/oauth/token" && world.faults.tokenEndpoint) {
      const fault = world.faults.tokenEndpoint;
      fault.remaining -= 1;
      if (fault.remaining <= 0) world.faults.tokenEndpoint = undefined;
      return tailscaleError(fault.status, "token endpoint failed (simulated fault)");
    }
    const failure = takeFault(world.faults.failNext, api, method, path, template);
    if (failure) return injectedFailure(world, api, failure.status, failure.code);
    if (scheduled?.kind === "reset") return Response.error();
    if (scheduled?.kind === "server-error" || scheduled?.kind === "rate-limit") {
      const status = scheduled.kind === "rate-limit" ? 429 : (scheduled.status ?? 503);
      return injectedFailure(world, api, status, undefined, scheduled.resetSeconds);
    }
    if (scheduled) await applyBeforeAnswer(world, scheduled, request);

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
    const problem = stalled.check({ api, method, path, query: url.search });
    if (problem) {
      return api === "hetzner"
        ? hetznerError("simulated_clock_not_used", problem, null, 400)
        : tailscaleError(400, problem);
    }
    if (!match) return notSimulated(api, method, path);
    return match.route.handler({ request, params: match.params, query: url.searchParams, now });
  };

  return {
    apiOf: (url) => findBase(url)?.api,
    reset: () => stalled.reset(),
    async handle(request) {
      const url = new URL(request.url);
      const base = findBase(url);
      if (!base) return notSimulated(undefined, request.method.toUpperCase(), url.pathname);
      const path = url.pathname.slice(base.path.length) || "/";
      const method = request.method.toUpperCase();
      const time = clock.now();
      const template = matchRoute(base.routes, method, path)?.route.template;
      const schedule = world.faults.schedule;
      const scheduled = schedule?.next({ api: base.api, method, route: template ?? path });
      const latency = latencyFor(method, template) + (scheduled?.slowMs ?? 0);
      if (latency > 0) await clock.sleep(latency, request.signal);
      if (schedule && scheduled?.kind === "hang") {
        try {
          return await hangUntilReleased(clock, schedule.hangMs, request.signal);
        } finally {
          world.requestLog.push({ api: base.api, method, path, status: 0, time });
        }
      }
      const release = holdClock(clock);
      try {
        let response = await answer(base, request, path, url, scheduled);
        if (scheduled) {
          withdrawUnused(world, scheduled, response);
          if (scheduled.kind === "applied-then-reset") response = Response.error();
          if (scheduled.kind === "applied-then-error") {
            response = injectedFailure(world, base.api, scheduled.status ?? 502);
          }
        }
        if (base.api === "hetzner" && response.type !== "error") {
          const headers = world.rateLimit.headers(clock.now(), world.config.wallTime);
          for (const [name, value] of Object.entries(headers)) {
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
