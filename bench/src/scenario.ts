import { type SimulatedCloudServer, startSimulatedCloudServer } from "@tailvm/testing";

/**
 * Cloud-side latency of each answer, in simulated ms, keyed as the simulator keys it
 * ("METHOD /path-template"): typical round trips to Hetzner's and Tailscale's public APIs, with
 * server creation slower than the rest.
 */
export const LATENCY_MS: Record<string, number> = {
  "*": 100,
  "POST /oauth/token": 200,
  "POST /tailnet/{tailnet}/keys": 200,
  "POST /servers": 1_000,
};

/** The cloud's own durations: the simulator's defaults, close to a small Hetzner VM's. */
export const CLOUD_TIMINGS = {
  createActionMs: 10_000,
  bootMs: 40_000,
  joinMs: 15_000,
  deleteMs: 2_000,
} as const;

/**
 * The least time any client could take: one OAuth token, one auth key, one create request, then
 * the boot and the tailnet join, observed by a request answered the moment the device appears.
 * Every other request (placement, stale devices, polls) either overlaps these or is overhead.
 */
export const CRITICAL_PATH_MS =
  (LATENCY_MS["POST /oauth/token"] ?? 0) +
  (LATENCY_MS["POST /tailnet/{tailnet}/keys"] ?? 0) +
  (LATENCY_MS["POST /servers"] ?? 0) +
  CLOUD_TIMINGS.bootMs +
  CLOUD_TIMINGS.joinMs;

/**
 * Deadlines of every benchmarked run, in simulated ms: an hour, far past any run, so that a slow
 * or busy machine (where real milliseconds are multiplied by the time scale) shows up as a slow
 * figure rather than a failed run.
 */
export const RUN_TIMEOUTS = { total: 3_600_000, serverRunning: 3_600_000, deviceJoin: 3_600_000 };

/** Starts a fresh loopback simulated cloud with the benchmark's latency model. */
export function startBenchCloud(timeScale: number): Promise<SimulatedCloudServer> {
  return startSimulatedCloudServer({
    timeScale,
    timings: { ...CLOUD_TIMINGS, latencyMs: LATENCY_MS },
  });
}

/** A request the provisioning run sent, as the simulator logged it. */
export type LoggedRequest = ReturnType<SimulatedCloudServer["state"]["requests"]>[number];

/** Requests per API within a slice of the simulator's log. */
export function countRequests(requests: LoggedRequest[]): {
  hetzner: number;
  tailscale: number;
  tokens: number;
  rateLimited: number;
} {
  return {
    hetzner: requests.filter((request) => request.api === "hetzner").length,
    tailscale: requests.filter((request) => request.api === "tailscale").length,
    tokens: requests.filter(
      (request) => request.method === "POST" && request.path === "/oauth/token",
    ).length,
    rateLimited: requests.filter((request) => request.status === 429).length,
  };
}
