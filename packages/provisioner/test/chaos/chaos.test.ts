import { describe, expect, it } from "vitest";
import { ProvisionError } from "../../src/errors.js";
import { createSecretSink } from "../support/secret-sink.js";
import { fleetViolations } from "./fleet-invariants.js";
import { runChaosFleet } from "./run-chaos-fleet.js";

const sink = createSecretSink("test/chaos/chaos.test.ts");

// Fixed seeds on the virtual clock: each replays the same faults on every run of the suite.
const SEEDS = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89];

describe("a fleet under random faults loses nothing", () => {
  it.each(SEEDS)(
    "seed %i: 8 concurrent runs at 20 % faults, some aborted, then reap",
    async (seed) => {
      const fleet = await runChaosFleet(sink, { seed, size: 8, rate: 0.2 });
      const context = `seed ${seed}, faults ${JSON.stringify(fleet.schedule.counts())}`;
      expect(fleet.schedule.injected().length, context).toBeGreaterThan(0);
      expect(fleetViolations(fleet.sim, fleet.outcomes), context).toEqual([]);
      for (const outcome of fleet.outcomes.filter((run) => run.aborted && run.error)) {
        expect(outcome.error, context).toBeInstanceOf(ProvisionError);
      }

      const report = await fleet.reap();
      sink.record(report);
      expect(report.cleanup.failed, context).toEqual([]);
      // Past every run's TTL, reap leaves no server and no device at all.
      expect(fleet.sim.state.servers(), context).toEqual([]);
      expect(fleet.sim.state.devices(), context).toEqual([]);
    },
  );
});
