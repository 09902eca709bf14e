import {
  createProvisioner,
  ProvisionError,
  type ProvisionEvent,
  type ProvisionResult,
  silentLogger,
} from "@tailvm/provisioner";
import {
  createFaultSchedule,
  createSimulatedCloud,
  type ScheduledFaultKind,
} from "@tailvm/testing";
import { LATENCY_MS, RUN_TIMEOUTS, TYPICAL_MODEL } from "./scenario.ts";
import { median } from "./statistics.ts";
import type { ResultRow } from "./table.ts";
import { seconds } from "./table.ts";

export interface ChaosSample {
  seed: number;
  rate: number;
  size: number;
  succeeded: number;
  failed: number;
  /** Failed runs by `phase/code`. */
  failures: Record<string, number>;
  /** Retries the runs reported, any cause. */
  retries: number;
  faults: Record<ScheduledFaultKind, number>;
  /** Simulated ms from the call to the VM on the tailnet, of the runs that succeeded. */
  readyMedianMs: number;
  readyP95Ms: number;
  /** Resources left that a failed run's cleanup report lists (they expire or reap removes them). */
  reportedLeft: number;
  /** Servers, devices and usable keys that exist while no run returned or reported them. */
  leaked: number;
  /** Left after `reap()` past every run's TTL, not counting the VMs runs returned. */
  leftAfterReap: number;
}

function percentile(values: number[], share: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * `size` concurrent provisions through one provisioner against the in-process simulator (virtual
 * time, the bench's latency model) while a fault schedule hits `rate` of all requests; then checks
 * what is left against what the runs said.
 */
export async function measureChaos(options: {
  size: number;
  rate: number;
  seed: number;
}): Promise<ChaosSample> {
  const sim = createSimulatedCloud({
    timings: { ...TYPICAL_MODEL.timings, latencyMs: LATENCY_MS },
  });
  // Revoking the shared OAuth token fails every request in flight with it: a rare event, not one in
  // ten faults, or the fleet never holds a token long enough to finish.
  const schedule = createFaultSchedule({
    seed: options.seed,
    rate: options.rate,
    weights: { "token-revoked": 0.05 },
  });
  sim.faults.useSchedule(schedule);
  let retries = 0;
  const onEvent = (event: ProvisionEvent) => {
    if (event.type === "retry") retries += 1;
  };
  const provisioner = createProvisioner({
    ...sim.context({ tailscaleAuth: "oauth" }),
    logger: silentLogger,
    onEvent,
  });
  const tags = ["tag:bench"];
  const outcomes = await Promise.allSettled(
    Array.from({ length: options.size }, (_, index) =>
      provisioner.provisionVM({
        agentId: `chaos-${index}`,
        name: `bench-chaos-${index}`,
        tailscale: { tags },
        ttl: "2h",
        timeouts: RUN_TIMEOUTS,
      }),
    ),
  );
  sim.faults.useSchedule(undefined);
  const results = outcomes.flatMap((outcome) =>
    outcome.status === "fulfilled" ? [outcome.value] : [],
  );
  const reported = new Set<string>();
  for (const result of results) reported.add(String(result.serverId)).add(result.serverName);
  let reportedLeft = 0;
  const failures: Record<string, number> = {};
  for (const outcome of outcomes) {
    if (outcome.status === "fulfilled") continue;
    const key =
      outcome.reason instanceof ProvisionError
        ? `${outcome.reason.phase}/${outcome.reason.code}`
        : "not-a-provision-error";
    failures[key] = (failures[key] ?? 0) + 1;
    if (!(outcome.reason instanceof ProvisionError)) continue;
    for (const entry of outcome.reason.cleanup.failed) reported.add(entry.id);
    reportedLeft += outcome.reason.cleanup.failed.length;
  }
  const leaked = unreported(sim, reported, results);
  await provisioner.reap({ tags, now: sim.clock.now() + 3 * 3_600_000 });
  const returned = new Set(results.map((result) => result.serverId));
  const leftAfterReap =
    sim.state.servers().filter((server) => !returned.has(server.id)).length +
    sim.state
      .devices()
      .filter((device) => !results.some((r) => r.tailscaleDeviceId === device.nodeId)).length;
  const ready = results.map((result) => result.totalMs);
  return {
    seed: options.seed,
    rate: options.rate,
    size: options.size,
    succeeded: results.length,
    failed: outcomes.length - results.length,
    failures,
    retries,
    faults: schedule.counts(),
    readyMedianMs: ready.length > 0 ? median(ready) : Number.NaN,
    readyP95Ms: percentile(ready, 0.95),
    reportedLeft,
    leaked,
    leftAfterReap,
  };
}

function unreported(
  sim: ReturnType<typeof createSimulatedCloud>,
  reported: Set<string>,
  results: ProvisionResult[],
): number {
  const servers = sim.state
    .servers()
    .filter((server) => !reported.has(String(server.id)) && !reported.has(server.name));
  const devices = sim.state
    .devices()
    .filter(
      (device) =>
        !results.some((result) => result.tailscaleDeviceId === device.nodeId) &&
        ![device.nodeId, device.id, device.hostname].some((id) => reported.has(id)),
    );
  const keys = sim.state
    .validAuthKeys()
    .filter(
      (key) => !reported.has(key.id) && !reported.has(key.description.replace(/^tailvm /, "")),
    );
  return servers.length + devices.length + keys.length;
}

/** The chaos rows of the results table: the faulty run beside the fault-free one. */
export function chaosRows(chaos: ChaosSample, clean: ChaosSample): ResultRow[] {
  const label = `${chaos.size} provisions, ${Math.round(chaos.rate * 100)} % of requests faulty (seed ${chaos.seed})`;
  const faults = Object.values(chaos.faults).reduce((sum, count) => sum + count, 0);
  return [
    {
      id: "chaos-success",
      item: 6,
      measurement: `${label}: up / failed with a truthful report (${faults} faults)`,
      tailvm: `${chaos.succeeded} / ${chaos.failed} (${((chaos.succeeded / chaos.size) * 100).toFixed(1)} %)`,
      baseline: `${clean.succeeded} / ${clean.failed} without faults`,
      values: { succeeded: chaos.succeeded, failed: chaos.failed, ...chaos.faults },
    },
    {
      id: "chaos-retries",
      item: 6,
      measurement: `${label}: retries per provision`,
      tailvm: (chaos.retries / chaos.size).toFixed(2),
      baseline: `${(clean.retries / clean.size).toFixed(2)} without faults`,
      values: { faulty: chaos.retries / chaos.size, clean: clean.retries / clean.size },
    },
    {
      id: "chaos-leaks",
      item: 6,
      measurement: `${label}: leaked resources (unreported) / left but reported / left after reap`,
      tailvm: `${chaos.leaked} / ${chaos.reportedLeft} / ${chaos.leftAfterReap}`,
      baseline: `${clean.leaked} / ${clean.reportedLeft} / ${clean.leftAfterReap} without faults`,
      values: {
        leaked: chaos.leaked,
        reportedLeft: chaos.reportedLeft,
        leftAfterReap: chaos.leftAfterReap,
      },
    },
    {
      id: "chaos-time-to-ready",
      item: 6,
      measurement: `${label}: time to ready, median / p95 (simulated)`,
      tailvm: `${seconds(chaos.readyMedianMs)} / ${seconds(chaos.readyP95Ms)}`,
      baseline: `${seconds(clean.readyMedianMs)} / ${seconds(clean.readyP95Ms)} without faults`,
      values: {
        medianMs: chaos.readyMedianMs,
        p95Ms: chaos.readyP95Ms,
        cleanMedianMs: clean.readyMedianMs,
        cleanP95Ms: clean.readyP95Ms,
      },
    },
  ];
}

/** The chaos scenario of `pnpm bench`: 200 provisions at 20 % faults, beside the same without faults. */
export async function measureChaosScenario(options: { quick: boolean }) {
  const size = options.quick ? 6 : 200;
  const seed = 2026;
  const faulty = await measureChaos({ size, rate: 0.2, seed });
  const clean = await measureChaos({ size, rate: 0, seed });
  return { rows: chaosRows(faulty, clean), samples: { faulty, clean } };
}
