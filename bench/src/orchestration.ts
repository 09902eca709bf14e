import {
  createProvisioner,
  type ProvisionContext,
  type Provisioner,
  silentLogger,
} from "@tailvm/provisioner";
import type { SimulatedCloudServer } from "@tailvm/testing";
import { baselineProvision } from "./baseline-provision.ts";
import { cleanUp } from "./cleanup.ts";
import { countRequests, type LatencyModel, RUN_TIMEOUTS, startBenchCloud } from "./scenario.ts";

/** One provisioning run, timed on the simulator's clock and counted in its request log. */
export interface RunSample {
  /** Wall time in simulated ms (real time multiplied by the time scale). */
  cloudMs: number;
  hetzner: number;
  tailscale: number;
  tokens: number;
  rateLimited: number;
}

/** The provisioner's context for the bench cloud: a plain provisionVM() call with it is cold (its own clients and token). */
export function tailvmContext(
  cloud: SimulatedCloudServer,
  extra: Partial<ProvisionContext> = {},
): ProvisionContext {
  return { ...cloud.context({ tailscaleAuth: "oauth" }), logger: silentLogger, ...extra };
}

async function sample(
  cloud: SimulatedCloudServer,
  provision: () => Promise<{ serverId: number; deviceId: string }>,
): Promise<RunSample> {
  const logStart = cloud.state.requests().length;
  const started = cloud.clock.now();
  const target = await provision();
  const cloudMs = cloud.clock.now() - started;
  const counts = countRequests(cloud.state.requests().slice(logStart));
  await cleanUp(cloud, target);
  return { cloudMs, ...counts };
}

/**
 * One provisionVM() run through `provisioner`, as a long-lived runner service makes them: the
 * provisioner keeps its clients, its OAuth token and the join times of its earlier runs.
 */
export function runTailvm(
  cloud: SimulatedCloudServer,
  provisioner: Provisioner,
  label: string,
): Promise<RunSample> {
  return sample(cloud, async () => {
    const result = await provisioner.provisionVM({
      agentId: `bench-tailvm-${label}`,
      jobId: `bench-tailvm-job-${label}`,
      name: `bench-tailvm-${label}`,
      region: "eu-central",
      tailscale: { tags: ["tag:bench"] },
      timeouts: RUN_TIMEOUTS,
    });
    return { serverId: result.serverId, deviceId: result.tailscaleDeviceId };
  });
}

/** One run of the old-way script. */
export function runBaseline(cloud: SimulatedCloudServer, label: string): Promise<RunSample> {
  return sample(cloud, () =>
    baselineProvision({
      hetznerUrl: cloud.hetznerUrl,
      tailscaleUrl: cloud.tailscaleUrl,
      hetznerToken: cloud.credentials.hetznerToken,
      oauthClientId: cloud.credentials.tailscaleOAuthClientId,
      oauthClientSecret: cloud.credentials.tailscaleOAuthClientSecret,
      name: `bench-baseline-${label}`,
      tags: ["tag:bench"],
      sleep: (ms) => cloud.clock.sleep(ms),
      // The same hour as tailvm's deadline.
      maxPolls: RUN_TIMEOUTS.total / 5_000,
    }),
  );
}

/**
 * Items 1 and 2: `runs` provisions with tailvm and with the baseline, alternating so that both
 * see the same machine load, each against its own simulator with the same latency model.
 */
export async function measureOrchestration(options: {
  runs: number;
  warmUp: boolean;
  timeScale: number;
  model: LatencyModel;
}): Promise<{ tailvm: RunSample[]; baseline: RunSample[] }> {
  const tailvmCloud = await startBenchCloud(options.timeScale, options.model);
  const baselineCloud = await startBenchCloud(options.timeScale, options.model);
  const provisioner = createProvisioner(tailvmContext(tailvmCloud));
  try {
    if (options.warmUp) {
      await runTailvm(tailvmCloud, provisioner, "warmup");
      await runBaseline(baselineCloud, "warmup");
    }
    const tailvm: RunSample[] = [];
    const baseline: RunSample[] = [];
    for (let index = 0; index < options.runs; index += 1) {
      tailvm.push(await runTailvm(tailvmCloud, provisioner, String(index)));
      baseline.push(await runBaseline(baselineCloud, String(index)));
    }
    return { tailvm, baseline };
  } finally {
    await Promise.all([tailvmCloud.close(), baselineCloud.close()]);
  }
}
