import { createFaultSchedule, type FaultSchedule, type SimulatedCloud } from "@tailvm/testing";
import { ProvisionError } from "../../src/errors.js";
import { createProvisioner } from "../../src/provisioner.js";
import type { ProvisionEvent, ProvisionResult } from "../../src/types.js";
import { baseOptions } from "../support/provision-helpers.js";
import type { createSecretSink } from "../support/secret-sink.js";
import { simulatedContext } from "../support/simulated-context.js";

export interface ChaosOutcome {
  name: string;
  aborted: boolean;
  result?: ProvisionResult;
  error?: unknown;
}

export interface ChaosFleet {
  sim: SimulatedCloud;
  schedule: FaultSchedule;
  outcomes: ChaosOutcome[];
  events: ProvisionEvent[];
  reap: () => ReturnType<ReturnType<typeof createProvisioner>["reap"]>;
}

/**
 * `size` concurrent runs through one provisioner against a simulator under the schedule of `seed`;
 * every run whose index the seed picks is aborted some simulated seconds after it starts.
 */
export async function runChaosFleet(
  sink: ReturnType<typeof createSecretSink>,
  options: { seed: number; size: number; rate: number },
): Promise<ChaosFleet> {
  const { sim, context } = simulatedContext(sink);
  const events: ProvisionEvent[] = [];
  const onEvent = context.onEvent;
  context.onEvent = (event) => {
    events.push(event);
    onEvent?.(event);
  };
  const schedule = createFaultSchedule({ seed: options.seed, rate: options.rate });
  sim.faults.useSchedule(schedule);
  const provisioner = createProvisioner(context);
  const outcomes = await Promise.all(
    Array.from({ length: options.size }, async (_, index): Promise<ChaosOutcome> => {
      const name = `chaos-${options.seed}-${index}`;
      const controller = new AbortController();
      const aborted = (options.seed + index * 7) % 5 === 0;
      if (aborted) {
        const afterMs = ((options.seed * 13 + index * 11) % 60) * 1_000 + 500;
        sim.clock.sleep(afterMs).then(() => controller.abort(new Error("job cancelled")));
      }
      try {
        const result = await provisioner.provisionVM({
          ...baseOptions,
          agentId: `agent-${index}`,
          name,
          signal: controller.signal,
        });
        sink.record(result);
        return { name, aborted, result };
      } catch (error) {
        sink.recordError(error);
        if (error instanceof ProvisionError) sink.record(error.cleanup);
        return { name, aborted, error };
      }
    }),
  );
  sim.faults.useSchedule(undefined);
  return {
    sim,
    schedule,
    outcomes,
    events,
    reap: () =>
      provisioner.reap({ tags: baseOptions.tailscale.tags, now: sim.clock.now() + 3 * 3_600_000 }),
  };
}
