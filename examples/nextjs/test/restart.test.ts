import { type SimulatedCloudServer, startSimulatedCloudServer } from "@tailvm/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  restartTestApp,
  simulatorEnvironment,
  startTestApp,
  type TestApp,
  until,
} from "./app-fixture.ts";

let sim: SimulatedCloudServer;
const apps: TestApp[] = [];

/**
 * A boot long enough that the kill lands before it ends however slow the machine is (12 s of real
 * time at 25x), and short enough that the run's auth key (valid for the run's waits) still works
 * when the server boots. The test skips it with `sim.clock.advance` once the server is dead.
 */
const BOOT_MS = 5 * 60_000;

beforeAll(async () => {
  sim = await startSimulatedCloudServer({ timeScale: 25, timings: { bootMs: BOOT_MS } });
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await sim?.close();
});

/**
 * Starts a job and kills the server (SIGKILL: no rollback, no last write) once its VM exists, then
 * lets the VM boot (and join the tailnet) while nobody watches.
 */
async function killMidProvision(env: Record<string, string>, jobId: string): Promise<TestApp> {
  const app = await startTestApp({ ...simulatorEnvironment(sim), ...env });
  const response = await app.call("/api/vms", {
    method: "POST",
    body: JSON.stringify({ agentId: "agent-restart", jobId }),
  });
  expect(response.status).toBe(202);
  await until(() => sim.state.servers().some((server) => server.labels["tailvm/job-id"] === jobId));
  await app.server.kill();
  expect(
    sim.state.servers().find((server) => server.labels["tailvm/job-id"] === jobId)?.status,
  ).not.toBe("running");
  await sim.clock.advance(BOOT_MS);
  return app;
}

describe("a server killed mid-provision", () => {
  it("resumes the job on start-up: it adopts the VM, finishes, and deleting it leaves nothing", async () => {
    const killed = await killMidProvision({}, "job-restart-resume");
    const app = await restartTestApp(killed);
    apps.push(app);

    // Nobody asks: start-up finishes the job by itself.
    await until(() => app.server.output().includes('"resumed":["job-restart-resume"]'));
    const job = await app.waitForJob(
      "job-restart-resume",
      (item) => item.status !== "provisioning",
    );
    expect(job).toMatchObject({ status: "succeeded", vm: { adopted: true } });
    expect(sim.state.servers()).toHaveLength(1);
    expect(
      sim.state.requests().filter((entry) => entry.method === "POST" && entry.path === "/servers"),
    ).toHaveLength(1);

    await app.call("/api/vms/job-restart-resume", { method: "DELETE" });
    await app.waitForJob("job-restart-resume", (item) => item.status === "deleted");
    expect(sim.state.servers()).toEqual([]);
    expect(sim.state.devices()).toEqual([]);
    expect(sim.state.validAuthKeys()).toEqual([]);
  });

  it("rolls back a job older than TAILVM_RESUME_WITHIN on start-up, leaving nothing", async () => {
    // 0: every job left provisioning is too old to resume.
    const killed = await killMidProvision({ TAILVM_RESUME_WITHIN: "0" }, "job-restart-old");
    // The VM the dead run made joins (spending its single-use key) while nobody watches.
    await until(() => sim.state.devices().length === 1);
    const app = await restartTestApp(killed);
    apps.push(app);

    const job = await app.waitForJob("job-restart-old", (item) => item.status !== "provisioning");
    expect(job).toMatchObject({ status: "failed", error: { code: "abandoned" } });
    expect(sim.state.servers()).toEqual([]);
    expect(sim.state.devices()).toEqual([]);
    expect(sim.state.validAuthKeys()).toEqual([]);
  });
});
