import { describe, expect, it } from "vitest";
import { againstSimulator, simulatorWithCallback } from "./action-runs.js";
import { runBundle } from "./harness.js";
import { createServerDirectly, leftovers, quickSimulator } from "./simulator.js";

describe.concurrent("the action's other modes", () => {
  it("provisions, then deprovisions by job_id with a signed callback, leaving nothing", async (context) => {
    const { sim, callback, withCallback } = await simulatorWithCallback(context);
    const provisioned = await runBundle(
      againstSimulator(sim, {
        mode: "provision",
        agent_id: "agent-round-trip",
        job_id: "job-round-trip",
        tailscale_tags: "tag:ci",
        tailscale_ssh: "true",
        labels: "team=ci",
        cloud_init: "packages: [jq]",
        timeout_minutes: "1",
      }),
    );
    expect(provisioned.code).toBe(0);
    expect(sim.state.servers()).toHaveLength(1);
    expect(sim.state.servers()[0]?.labels).toMatchObject({ team: "ci" });
    expect(sim.state.servers()[0]?.user_data).toContain("jq");

    const deprovisioned = await runBundle(
      withCallback({ mode: "deprovision", job_id: "job-round-trip" }),
    );
    expect(deprovisioned.code).toBe(0);
    expect(leftovers(sim)).toEqual({ servers: 0, devices: 0, validAuthKeys: 0 });
    expect(JSON.parse(deprovisioned.outputs.removed ?? "[]")).toEqual(
      expect.arrayContaining([{ resource: "server", id: provisioned.outputs.server_id }]),
    );
    expect(deprovisioned.state.outcome).toBe("not-provisioning");
    expect(deprovisioned.summary).toContain("## tailvm: VM deprovisioned");
    expect(callback.received.map((delivery) => delivery.payload)).toEqual([
      expect.objectContaining({
        type: "vm.deprovisioned",
        data: expect.objectContaining({ jobId: "job-round-trip" }),
      }),
    ]);

    // Already gone: still a success, with nothing removed.
    const again = await runBundle(
      againstSimulator(sim, { mode: "deprovision", job_id: "job-round-trip" }),
    );
    expect(again.code).toBe(0);
    expect(again.outputs.removed).toBe("[]");
    expect(again.stdout).toContain("is already gone");
  });

  it("fails a deprovision that names no VM, and an unknown mode, before any request", async (context) => {
    const sim = await quickSimulator(context);
    const nothing = await runBundle(againstSimulator(sim, { mode: "deprovision" }));
    expect(nothing.code).toBe(1);
    expect(nothing.stdout).toMatch(/::error::Invalid settings \(1 problem\).*%0A {2}- job_id: /);
    const unknown = await runBundle(againstSimulator(sim, { mode: "destroy" }));
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('mode: "destroy" is not a mode');
    expect(sim.state.requests()).toEqual([]);
  });

  it("reaps expired servers", async (context) => {
    const sim = await quickSimulator(context);
    // A server whose ttl ran out an hour ago, as a crashed run would leave it.
    const expiresAt = String(Math.floor(Date.now() / 1000) - 3600);
    await createServerDirectly(sim, "agent-expired-1", { "tailvm/expires-at": expiresAt });
    const dryRun = await runBundle(
      againstSimulator(sim, { mode: "reap", dry_run: "true", tailscale_tags: "tag:ci" }),
    );
    expect(dryRun.code).toBe(0);
    expect(sim.state.servers()).toHaveLength(1);
    expect(dryRun.stdout).toContain("Would remove 1 expired server(s)");
    const reaped = await runBundle(
      againstSimulator(sim, { mode: "reap", tailscale_tags: "tag:ci" }),
    );
    expect(reaped.code).toBe(0);
    expect(leftovers(sim)).toEqual({ servers: 0, devices: 0, validAuthKeys: 0 });
  });
});
