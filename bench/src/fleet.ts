import { errorMessage } from "@tailvm/internal";
import { createProvisioner, type ProvisionEvent } from "@tailvm/provisioner";
import { tailvmContext } from "./orchestration.ts";
import { countRequests, RUN_TIMEOUTS, startBenchCloud } from "./scenario.ts";

export interface FleetSample {
  size: number;
  succeeded: number;
  failed: number;
  /** Wall time of the whole fleet, in simulated ms. */
  cloudMs: number;
  tokens: number;
  /** 429 answers in the simulator's log. */
  rateLimited: number;
  /** Retries the runs reported (any cause). */
  retries: number;
  hetzner: number;
  tailscale: number;
  /** The first failure's message, when any run failed. */
  firstError?: string;
}

/**
 * Item 3: `size` concurrent provisionVM() calls through one provisioner, sharing its Hetzner client
 * and Tailscale client (so one OAuth token and one view of the rate limit), against a fresh
 * simulator with Hetzner's default budget of 3600 requests.
 */
export async function measureFleet(options: {
  size: number;
  timeScale: number;
}): Promise<FleetSample> {
  const cloud = await startBenchCloud(options.timeScale);
  try {
    let retries = 0;
    const onEvent = (event: ProvisionEvent) => {
      if (event.type === "retry") retries += 1;
    };
    const provisioner = createProvisioner(tailvmContext(cloud, { onEvent }));
    const started = cloud.clock.now();
    const outcomes = await Promise.allSettled(
      Array.from({ length: options.size }, (_, index) =>
        provisioner.provisionVM({
          agentId: `fleet-${String(index).padStart(3, "0")}`,
          name: `bench-fleet-${index}`,
          region: "eu-central",
          tailscale: { tags: ["tag:bench"] },
          timeouts: RUN_TIMEOUTS,
        }),
      ),
    );
    const cloudMs = cloud.clock.now() - started;
    const counts = countRequests(cloud.state.requests());
    const failures = outcomes.filter((outcome) => outcome.status === "rejected");
    const firstFailure = failures[0]?.reason;
    return {
      size: options.size,
      succeeded: outcomes.length - failures.length,
      failed: failures.length,
      cloudMs,
      retries,
      ...counts,
      ...(firstFailure === undefined
        ? {}
        : {
            firstError: errorMessage(firstFailure),
          }),
    };
  } finally {
    await cloud.close();
  }
}
