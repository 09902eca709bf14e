import { type SimulatedCloudServer, startSimulatedCloudServer } from "@tailvm/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type NextServer, startNextServer } from "./next-server.js";

let sim: SimulatedCloudServer;
let app: NextServer | undefined;

beforeAll(async () => {
  sim = await startSimulatedCloudServer({ timeScale: 100 });
  app = await startNextServer({
    env: {
      HETZNER_API_TOKEN: sim.credentials.hetznerToken,
      HETZNER_API_URL: sim.hetznerUrl,
      TAILSCALE_OAUTH_CLIENT_ID: sim.credentials.tailscaleOAuthClientId,
      TAILSCALE_OAUTH_CLIENT_SECRET: sim.credentials.tailscaleOAuthClientSecret,
      TAILSCALE_API_URL: sim.tailscaleUrl,
      TAILVM_TAILSCALE_TAGS: "tag:agent",
    },
  });
});

afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition never held");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("shutdown", () => {
  it("rolls back a job still provisioning on SIGTERM before next start exits", async () => {
    const server = app as NextServer;
    // The VM boots but never joins: the job waits in device-join until it is stopped.
    sim.faults.deviceNeverJoins();
    const response = await fetch(`${server.url}/api/vms`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ agentId: "agent-shutdown", jobId: "job-shutdown-1" }),
    });
    expect(response.status).toBe(202);
    await until(() => sim.state.servers().some((item) => item.status === "running"));
    // No ttl in the request: the default one is on the server, so reap() can find it.
    expect(Number(sim.state.servers()[0]?.labels["tailvm/expires-at"])).toBeGreaterThan(
      Date.now() / 1000,
    );

    const ended = await server.stop();

    expect(ended).toEqual({ code: 143, signal: null });
    expect(server.output()).toContain("SIGTERM: rolling back 1 provisioning job(s) before exit.");
    expect(sim.state.servers()).toEqual([]);
    expect(sim.state.validAuthKeys()).toEqual([]);
  });
});
