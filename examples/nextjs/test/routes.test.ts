import { beforeAll, describe, expect, it } from "vitest";
import type { JobView } from "../lib/jobs/job-view.ts";
import { createTokenWithScript, simulatedCloudFixture, type TestApp } from "./app-fixture.ts";

// 100x: a 40 s boot and a 15 s tailnet join take about half a second of real time.
const cloud = simulatedCloudFixture({ timeScale: 100 });
let app: TestApp;

beforeAll(async () => {
  app = await cloud.start(
    { TAILVM_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
    { secondCaller: true },
  );
});

describe("authentication", () => {
  it("answers 401 saying how to authenticate, without a token or with a wrong one", async () => {
    const requests: [string, RequestInit][] = [
      ["/api/vms", {}],
      ["/api/vms", { method: "POST", body: JSON.stringify({ agentId: "agent-1" }) }],
      ["/api/vms/job-1", {}],
      ["/api/vms/job-1", { method: "DELETE" }],
    ];
    const forged = `${app.token.slice(0, -4)}AAAA`;
    for (const [path, init] of requests) {
      for (const authorization of [
        "",
        "Basic dXNlcjpwYXNz",
        `Bearer ${forged}`,
        "Bearer tvm_nope",
      ]) {
        const response = await app.call(path, { ...init, headers: { authorization } });
        expect(response.status, `${init.method ?? "GET"} ${path} with "${authorization}"`).toBe(
          401,
        );
        expect(response.headers.get("www-authenticate")).toBe('Bearer realm="tailvm"');
        const body = (await response.json()) as { authenticate: string };
        expect(body.authenticate).toContain("Authorization: Bearer");
        expect(body.authenticate).toContain("token create");
      }
    }
    expect(cloud.sim.state.requests()).toEqual([]);
  });
});

describe("POST /api/vms", () => {
  it("answers 400 naming every bad field or query parameter, and sends nothing to either cloud", async () => {
    const before = cloud.sim.state.requests().length;
    const response = await app.call("/api/vms", {
      method: "POST",
      body: JSON.stringify({ agentId: 42, cloudInit: [], region: "eu-central" }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; issues: { field: string }[] };
    expect(body.issues.map((issue) => issue.field).sort()).toEqual(["agentId", "cloudInit"]);
    expect(body.error).toContain("agentId");

    const badRegion = await app.call("/api/vms", {
      method: "POST",
      body: JSON.stringify({ agentId: "agent-1", region: "mars" }),
    });
    expect(badRegion.status).toBe(400);
    const regionBody = (await badRegion.json()) as { issues: { field: string; message: string }[] };
    expect(regionBody.issues).toEqual([
      expect.objectContaining({ field: "region", message: expect.stringContaining("eu-central") }),
    ]);

    const notJson = await app.call("/api/vms", { method: "POST", body: "{ not json" });
    expect(notJson.status).toBe(400);

    const query = await app.call("/api/vms?dryRun=1", {
      method: "POST",
      body: JSON.stringify({ agentId: "agent-1" }),
    });
    expect(query.status).toBe(400);
    expect(((await query.json()) as { issues: { field: string }[] }).issues).toEqual([
      expect.objectContaining({ field: "dryRun" }),
    ]);
    expect(cloud.sim.state.requests().length).toBe(before);
  });

  it("provisions the VM, lists it with type, location, price and address, and deletes it", async () => {
    const response = await app.call("/api/vms", {
      method: "POST",
      body: JSON.stringify({
        agentId: "agent-nextjs",
        jobId: "job-nextjs-1",
        region: "eu-central",
      }),
    });
    expect(response.status).toBe(202);
    expect(response.headers.get("location")).toBe("/api/vms/job-nextjs-1");
    expect(await response.json()).toMatchObject({
      jobId: "job-nextjs-1",
      status: "provisioning",
      vm: null,
    });

    const job = await app.waitForJob("job-nextjs-1", (item) => item.status !== "provisioning");
    expect(job.error).toBeNull();
    expect(job.status).toBe("succeeded");
    expect(job.vm?.tailscaleIp).toMatch(/^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.\d+\.\d+$/);
    // The simulator's cx23 in nbg1: 3.49 EUR a month net, with 19 % VAT.
    expect(job.vm).toMatchObject({
      serverType: "cx23",
      location: "nbg1",
      price: { currency: "EUR" },
    });
    expect(Number(job.vm?.price?.monthly)).toBeGreaterThan(3.49);

    const servers = cloud.sim.state.servers();
    expect(servers).toHaveLength(1);
    expect(servers[0]).toMatchObject({ id: job.vm?.serverId, status: "running" });
    expect(servers[0]?.labels).toMatchObject({
      "managed-by": "tailvm",
      "tailvm/job-id": "job-nextjs-1",
    });
    const device = cloud.sim.state
      .devices()
      .find((entry) => entry.nodeId === job.vm?.tailscaleDeviceId);
    expect(device?.tags).toEqual(["tag:agent"]);
    expect(cloud.sim.state.validAuthKeys()).toEqual([]);

    const list = (await (await app.call("/api/vms")).json()) as { vms: JobView[] };
    expect(list.vms.map((item) => [item.jobId, item.status, item.vm?.tailscaleIp])).toEqual([
      ["job-nextjs-1", "succeeded", job.vm?.tailscaleIp],
    ]);

    // The same job id again is the same job, not a second VM.
    const again = await app.call("/api/vms", {
      method: "POST",
      body: JSON.stringify({ agentId: "agent-nextjs", jobId: "job-nextjs-1" }),
    });
    expect(again.status).toBe(202);
    expect(((await again.json()) as JobView).status).toBe("succeeded");
    expect(cloud.sim.state.servers()).toHaveLength(1);

    const deletion = await app.call("/api/vms/job-nextjs-1", { method: "DELETE" });
    expect(deletion.status).toBe(202);
    expect(((await deletion.json()) as JobView).status).toBe("deleting");
    const deleted = await app.waitForJob("job-nextjs-1", (item) => item.status !== "deleting");
    expect(deleted.status).toBe("deleted");
    expect(deleted.vm?.deletedAt).not.toBeNull();
    expect(cloud.sim.state.servers()).toEqual([]);
    expect(cloud.sim.state.devices()).toEqual([]);
    const after = (await (await app.call("/api/vms")).json()) as { vms: JobView[] };
    expect(after.vms).toEqual([]);
    const deletedList = (await (await app.call("/api/vms?status=deleted")).json()) as {
      vms: JobView[];
    };
    expect(deletedList.vms.map((item) => item.jobId)).toEqual(["job-nextjs-1"]);
    // Deleting it again is answered with the deleted job.
    expect((await app.call("/api/vms/job-nextjs-1", { method: "DELETE" })).status).toBe(200);

    // No credential and no API token reached the server's log.
    for (const secret of [...Object.values(cloud.sim.credentials), app.token]) {
      expect(app.server.output()).not.toContain(secret);
    }
  });

  it("keeps one caller's jobs from another", async () => {
    const other = { authorization: `Bearer ${app.otherToken}` };
    const mine = await app.call("/api/vms", {
      method: "POST",
      body: JSON.stringify({ agentId: "agent-mine", jobId: "job-mine", region: "nbg1" }),
    });
    expect(mine.status).toBe(202);
    expect((await app.call("/api/vms/job-mine", { headers: other })).status).toBe(404);
    expect((await app.call("/api/vms/job-mine", { method: "DELETE", headers: other })).status).toBe(
      404,
    );
    const list = (await (await app.call("/api/vms", { headers: other })).json()) as {
      vms: JobView[];
    };
    expect(list.vms).toEqual([]);
    const taken = await app.call("/api/vms", {
      method: "POST",
      headers: other,
      body: JSON.stringify({ agentId: "agent-mine", jobId: "job-mine" }),
    });
    expect(taken.status).toBe(409);

    await app.waitForJob("job-mine", (job) => job.status === "succeeded");
    await app.call("/api/vms/job-mine", { method: "DELETE" });
    await app.waitForJob("job-mine", (job) => job.status === "deleted");
    expect(cloud.sim.state.servers()).toEqual([]);
  });

  it("refuses the token script while the server holds the embedded database", async () => {
    const refused = await createTokenWithScript(app.env, "third").catch((error: Error) => error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toContain("PGlite allows one process per data directory");
  });
});

describe("GET /api/vms", () => {
  it("answers 400 naming every bad query parameter", async () => {
    const response = await app.call("/api/vms?limit=0&status=running,succeeded&sort=name");
    expect(response.status).toBe(400);
    const body = (await response.json()) as { issues: { field: string; message: string }[] };
    expect(body.issues.map((issue) => issue.field).sort()).toEqual(["limit", "sort", "status"]);
    expect(body.issues.find((issue) => issue.field === "status")?.message).toContain(
      "provisioning",
    );
  });

  it("answers 404 for a job it does not know", async () => {
    const response = await app.call("/api/vms/no-such-job");
    expect(response.status).toBe(404);
    expect((await app.call("/api/vms/no-such-job", { method: "DELETE" })).status).toBe(404);
  });
});
