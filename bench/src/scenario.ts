import {
  createScaledClock,
  type SimulatedClock,
  type SimulatedCloudServer,
  startSimulatedCloudServer,
} from "@tailvm/testing";

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

/** The cloud's own durations in one latency model, in simulated ms. */
export interface CloudTimings {
  createActionMs: number;
  bootMs: number;
  joinMs: number;
  deleteMs: number;
}

/** A named set of cloud durations the orchestration items are measured under. */
export interface LatencyModel {
  id: string;
  description: string;
  timings: CloudTimings;
}

/**
 * The latency models: the simulator's defaults (close to a small Hetzner VM's), a short one (a
 * fast image and a cached Tailscale package) and a slow one (a 90 s boot).
 */
export const LATENCY_MODELS: readonly LatencyModel[] = [
  {
    id: "typical",
    description: "boot 40 s, join 15 s after",
    timings: { createActionMs: 10_000, bootMs: 40_000, joinMs: 15_000, deleteMs: 2_000 },
  },
  {
    id: "short",
    description: "create action and boot 4 s, join 3 s after",
    timings: { createActionMs: 4_000, bootMs: 4_000, joinMs: 3_000, deleteMs: 2_000 },
  },
  {
    id: "slow",
    description: "boot 90 s, join 15 s after",
    timings: { createActionMs: 10_000, bootMs: 90_000, joinMs: 15_000, deleteMs: 2_000 },
  },
];

/** The model the fleet and the defaults use. */
export const TYPICAL_MODEL = LATENCY_MODELS[0] as LatencyModel;

/**
 * The least time any client could take: one OAuth token, one auth key, one create request, then
 * the boot and the tailnet join, observed by a request answered the moment the device appears.
 * Every other request (placement, stale devices, polls) either overlaps these or is overhead.
 */
export function criticalPathMs(model: LatencyModel): number {
  return (
    (LATENCY_MS["POST /oauth/token"] ?? 0) +
    (LATENCY_MS["POST /tailnet/{tailnet}/keys"] ?? 0) +
    (LATENCY_MS["POST /servers"] ?? 0) +
    Math.max(model.timings.bootMs, model.timings.createActionMs) +
    model.timings.joinMs
  );
}

/**
 * Deadlines of every benchmarked run, in simulated ms: an hour, far past any run, so that a slow
 * or busy machine (where real milliseconds are multiplied by the time scale) shows up as a slow
 * figure rather than a failed run.
 */
export const RUN_TIMEOUTS = { total: 3_600_000, serverRunning: 3_600_000, deviceJoin: 3_600_000 };

/**
 * Starts a fresh loopback simulated cloud with the benchmark's latency model. Its clock reads
 * simulated time (real time since the start multiplied by `timeScale`), and so do the timestamps
 * it answers: the bench measures, and the provisioner plans, in cloud milliseconds.
 */
export function startBenchCloud(
  timeScale: number,
  model: LatencyModel = TYPICAL_MODEL,
): Promise<SimulatedCloudServer> {
  const scaled = createScaledClock({ scale: timeScale });
  // Without `wallTime` the server keeps to this clock rather than the wall clock.
  const clock: SimulatedClock = {
    now: () => Math.floor(scaled.now()),
    sleep: (ms, signal) => scaled.sleep(ms, signal),
    advance: (ms) => scaled.advance(ms),
  };
  return startSimulatedCloudServer({
    clock,
    timings: { ...model.timings, latencyMs: LATENCY_MS },
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
