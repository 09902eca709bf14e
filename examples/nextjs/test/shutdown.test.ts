import { beforeAll, describe, expect, it } from "vitest";
import type { JobView } from "../lib/jobs/job-view.ts";
import { simulatedCloudFixture, type TestApp, until } from "./app-fixture.ts";

const cloud = simulatedCloudFixture({ timeScale: 100 });
let app: TestApp;

beforeAll(async () => {
  app = await cloud.start();
});

describe("shutdown", () => {
  it("rolls back a job still provisioning on SIGTERM before next start exits, and records it", async () => {
    // The VM boots but never joins: the job waits in device-join until it is stopped.
    cloud.sim.faults.deviceNeverJoins();
    const response = await app.call("/api/vms", {
      method: "POST",
      body: JSON.stringify({ agentId: "agent-shutdown", jobId: "job-shutdown-1" }),
    });
    expect(response.status).toBe(202);
    await until(() => cloud.sim.state.servers().some((item) => item.status === "running"));
    // No ttl in the request: the default one is on the server, so reap() can find it.
    expect(Number(cloud.sim.state.servers()[0]?.labels["tailvm/expires-at"])).toBeGreaterThan(
      Date.now() / 1000,
    );

    const ended = await app.server.stop();

    expect(ended).toEqual({ code: 143, signal: null });
    expect(app.server.output()).toContain(
      "SIGTERM: rolling back 1 provisioning job(s) before exit.",
    );
    expect(cloud.sim.state.servers()).toEqual([]);
    expect(cloud.sim.state.validAuthKeys()).toEqual([]);

    // The database says so after a restart, and nothing is resumed.
    cloud.sim.faults.clear();
    const before = cloud.sim.state.requests().length;
    app = await cloud.restart(app);
    const job = (await (await app.call("/api/vms/job-shutdown-1")).json()) as JobView;
    expect(job).toMatchObject({
      status: "failed",
      error: { code: "aborted" },
    });
    expect(cloud.sim.state.requests().length).toBe(before);
  });
});
