import { describe, expect, it } from "vitest";
import { simulatedCloudFixture, type TestApp, until } from "./app-fixture.ts";

/**
 * A boot long enough that the kill lands before it ends however slow the machine is (12 s of real
 * time at 25x), and short enough that the run's auth key (valid for the run's waits) still works
 * when the server boots. The test skips it with `cloud.sim.clock.advance` once the server is dead.
 */
const BOOT_MS = 5 * 60_000;

const cloud = simulatedCloudFixture({ timeScale: 25, timings: { bootMs: BOOT_MS } });

/**
 * Starts a job and kills the server (SIGKILL: no rollback, no last write) once its VM exists, then
 * lets the VM boot (and join the tailnet) while nobody watches.
 */
async function killMidProvision(env: Record<string, string>, jobId: string): Promise<TestApp> {
  const app = await cloud.start(env);
  const response = await app.call("/api/vms", {
    method: "POST",
    body: JSON.stringify({ agentId: "agent-restart", jobId }),
  });
  expect(response.status).toBe(202);
  await until(() =>
    cloud.sim.state.servers().some((server) => server.labels["tailvm/job-id"] === jobId),
  );
  await app.server.kill();
  expect(
    cloud.sim.state.servers().find((server) => server.labels["tailvm/job-id"] === jobId)?.status,
  ).not.toBe("running");
  await cloud.sim.clock.advance(BOOT_MS);
  return app;
}

describe("a server killed mid-provision", () => {
  it("resumes the job on start-up: it adopts the VM, finishes, and deleting it leaves nothing", async () => {
    const killed = await killMidProvision({}, "job-restart-resume");
    const app = await cloud.restart(killed);

    // Nobody asks: start-up finishes the job by itself.
    await until(() => app.server.output().includes('"resumed":["job-restart-resume"]'));
    const job = await app.waitForJob(
      "job-restart-resume",
      (item) => item.status !== "provisioning",
    );
    expect(job).toMatchObject({ status: "succeeded", vm: { adopted: true } });
    expect(cloud.sim.state.servers()).toHaveLength(1);
    expect(
      cloud.sim.state
        .requests()
        .filter((entry) => entry.method === "POST" && entry.path === "/servers"),
    ).toHaveLength(1);

    await app.call("/api/vms/job-restart-resume", { method: "DELETE" });
    await app.waitForJob("job-restart-resume", (item) => item.status === "deleted");
    expect(cloud.sim.state.servers()).toEqual([]);
    expect(cloud.sim.state.devices()).toEqual([]);
    expect(cloud.sim.state.validAuthKeys()).toEqual([]);
  });

  it("rolls back a job older than TAILVM_RESUME_WITHIN on start-up, leaving nothing", async () => {
    // 0: every job left provisioning is too old to resume.
    const killed = await killMidProvision({ TAILVM_RESUME_WITHIN: "0" }, "job-restart-old");
    // The VM the dead run made joins (spending its single-use key) while nobody watches.
    await until(() => cloud.sim.state.devices().length === 1);
    const app = await cloud.restart(killed);

    const job = await app.waitForJob("job-restart-old", (item) => item.status !== "provisioning");
    expect(job).toMatchObject({ status: "failed", error: { code: "abandoned" } });
    expect(cloud.sim.state.servers()).toEqual([]);
    expect(cloud.sim.state.devices()).toEqual([]);
    expect(cloud.sim.state.validAuthKeys()).toEqual([]);
  });
});
