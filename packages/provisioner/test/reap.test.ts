import { describe, expect, it } from "vitest";
import { provisionVM, reap } from "../src/one-shot.js";
import { deleteServerDirectly } from "./support/provision-helpers.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/reap.test.ts");

describe("reap", () => {
  it("reports expired servers and orphaned devices on a dry run, then deletes them", async () => {
    const { sim, context } = simulatedContext(sink);
    const expiring = await provisionVM(
      {
        agentId: "a1",
        name: "short-lived",
        ttl: "30m",
        tailscale: { tags: ["tag:ci"], ephemeral: false },
      },
      context,
    );
    const keeper = await provisionVM(
      { agentId: "a1", name: "long-lived", ttl: "1d", tailscale: { tags: ["tag:ci"] } },
      context,
    );
    const orphan = await provisionVM(
      { agentId: "a1", name: "orphan", tailscale: { tags: ["tag:ci"], ephemeral: false } },
      context,
    );
    // A crashed run: the server is gone, its (non-ephemeral) device stays behind offline.
    await deleteServerDirectly(sim, orphan.serverId);
    const now = sim.clock.now() + 3600_000;
    const deletes = () => sim.state.requests().filter((request) => request.method === "DELETE");
    const deletesBefore = deletes().length;

    const dryRun = await reap({ now, dryRun: true, tags: ["tag:ci"] }, context);
    expect(dryRun.expiredServers.map((server) => server.id)).toEqual([expiring.serverId]);
    expect(dryRun.devices.map((device) => [device.hostname, device.reason]).sort()).toEqual([
      ["orphan", "server-gone"],
      ["short-lived", "server-expired"],
    ]);
    expect(dryRun.cleanup).toEqual({ removed: [], failed: [] });
    expect(sim.state.servers()).toHaveLength(2);
    expect(sim.state.devices()).toHaveLength(3);
    expect(deletes()).toHaveLength(deletesBefore);

    const report = await reap({ now: new Date(now), tags: ["tag:ci"] }, context);
    expect(report.cleanup.failed).toEqual([]);
    expect(sim.state.servers().map((server) => server.id)).toEqual([keeper.serverId]);
    expect(sim.state.devices().map((device) => device.hostname)).toEqual(["long-lived"]);
  });

  it("leaves offline devices alone without tags, and servers without a ttl", async () => {
    const { sim, context } = simulatedContext(sink);
    const result = await provisionVM(
      { agentId: "a1", name: "no-ttl", tailscale: { tags: ["tag:ci"], ephemeral: false } },
      context,
    );
    await deleteServerDirectly(sim, result.serverId);
    const report = await reap({ now: sim.clock.now() + 365 * 86_400_000 }, context);
    expect(report.expiredServers).toEqual([]);
    expect(report.devices).toEqual([]);
    expect(sim.state.devices()).toHaveLength(1);
  });
});
