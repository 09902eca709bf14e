import type { SimulatedCloud } from "@tailvm/testing";
import { afterEach, expect } from "vitest";

const watched = new Map<SimulatedCloud, { allowed: boolean }>();

/** Checks after the test that no server of `sim` ever had a port open to the internet. */
export function watchPublicExposure(sim: SimulatedCloud): void {
  watched.set(sim, { allowed: false });
}

/** For a test that asks for a public port (`publicAccess`, its own firewalls): skip the check. */
export function allowPublicExposure(sim: SimulatedCloud): void {
  watched.set(sim, { allowed: true });
}

/** What of each server of `sim` was ever open to the internet, by server id (empty: nothing). */
export function openPublicPorts(sim: SimulatedCloud): Record<number, string[]> {
  const open: Record<number, string[]> = {};
  for (const id of sim.state.serverIdsEverCreated()) {
    const ports = sim.state.publicExposure(id).flatMap((period) => period.open);
    if (ports.length > 0) open[id] = ports;
  }
  return open;
}

afterEach(() => {
  const sims = [...watched];
  watched.clear();
  for (const [sim, { allowed }] of sims) {
    if (!allowed) expect(openPublicPorts(sim), "a port was open to the internet").toEqual({});
  }
});
