import { type SimulatedCloudServer, startSimulatedCloudServer } from "@tailvm/testing";
import type { TestContext } from "vitest";

/**
 * The loopback simulator with a quick cloud (no boot, join or delete time; cloud time 100 times
 * faster than real time), closed when the test finishes: a whole run takes a fraction of a second.
 */
export async function quickSimulator(context: TestContext): Promise<SimulatedCloudServer> {
  const sim = await startSimulatedCloudServer({
    timeScale: 100,
    timings: { createActionMs: 0, bootMs: 0, joinMs: 0, deleteMs: 0 },
  });
  context.onTestFinished(() => sim.close());
  return sim;
}

/** What a run left in the simulated clouds. */
export function leftovers(sim: SimulatedCloudServer) {
  return {
    servers: sim.state.servers().length,
    devices: sim.state.devices().length,
    validAuthKeys: sim.state.validAuthKeys().length,
  };
}

/** Creates a tailvm-labelled server straight through the Hetzner API, as a crashed run leaves one. */
export async function createServerDirectly(
  sim: SimulatedCloudServer,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const response = await fetch(`${sim.hetznerUrl}/servers`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${sim.credentials.hetznerToken}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({
      name,
      server_type: "cx23",
      image: "ubuntu-24.04",
      location: "nbg1",
      labels: { "managed-by": "tailvm", ...labels },
    }),
  });
  if (response.status !== 201) throw new Error(`creating ${name} answered ${response.status}`);
  const { server } = (await response.json()) as { server: { id: number } };
  return server.id;
}
