import { describe, expect, it } from "vitest";
import { DeprovisionError } from "../src/deprovision-vm.js";
import { ProvisionInputError } from "../src/errors.js";
import { deprovisionVM, provisionVM } from "../src/one-shot.js";
import { deleteServerDirectly } from "./support/provision-helpers.js";
import { allowPublicExposure } from "./support/public-exposure-check.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/deprovision-vm.test.ts");
const options = { agentId: "agent-42", tailscale: { tags: ["tag:ci"], ephemeral: false } };

describe("deprovisionVM", () => {
  it.each([
    ["serverId", (result: { serverId: number }) => ({ serverId: result.serverId })],
    ["name", (result: { serverName: string }) => ({ name: result.serverName })],
    [
      "serverId and name",
      (result: { serverId: number; serverName: string }) => ({
        serverId: result.serverId,
        name: result.serverName,
      }),
    ],
    ["jobId", () => ({ jobId: "job-d" })],
  ] as const)(
    "deletes the server and its device by %s, and again is success",
    async (_, target) => {
      const { sim, context } = simulatedContext(sink);
      const result = await provisionVM({ ...options, jobId: "job-d" }, context);
      const report = await deprovisionVM(target(result), context);
      expect(report.removed).toEqual(
        expect.arrayContaining([
          { resource: "server", id: String(result.serverId) },
          { resource: "device", id: result.tailscaleDeviceId },
        ]),
      );
      expect(sim.state.servers()).toEqual([]);
      expect(sim.state.devices()).toEqual([]);
      await expect(deprovisionVM(target(result), context)).resolves.toEqual({
        removed: [],
        failed: [],
      });
    },
  );

  it("deletes the device of a server that is already gone when given its name", async () => {
    const { sim, context } = simulatedContext(sink);
    const result = await provisionVM(options, context);
    // A rollback cut short after the server was deleted: the non-ephemeral device stays.
    await deleteServerDirectly(sim, result.serverId);
    expect(sim.state.devices()).toHaveLength(1);
    const report = await deprovisionVM(
      { serverId: result.serverId, name: result.serverName },
      context,
    );
    expect(report).toEqual({
      removed: [{ resource: "device", id: result.tailscaleDeviceId }],
      failed: [],
    });
    expect(sim.state.devices()).toEqual([]);
  });

  it("keeps the devices of another server that now holds the gone server's name", async () => {
    const { sim, context } = simulatedContext(sink);
    const first = await provisionVM({ ...options, name: "runner-reused" }, context);
    await deprovisionVM({ serverId: first.serverId }, context);
    const second = await provisionVM({ ...options, name: "runner-reused" }, context);
    const events: string[] = [];
    const report = await deprovisionVM(
      { serverId: first.serverId, name: "runner-reused" },
      {
        ...context,
        onEvent: (event) => {
          if (event.type === "warning") events.push(event.message);
          context.onEvent?.(event);
        },
      },
    );
    expect(report).toEqual({ removed: [], failed: [] });
    expect(sim.state.devices().map((device) => device.nodeId)).toEqual([second.tailscaleDeviceId]);
    expect(events).toEqual([expect.stringContaining(`server ${second.serverId} now holds`)]);
  });

  it("refuses a server id whose server has another name, deleting nothing", async () => {
    const { sim, context } = simulatedContext(sink);
    const result = await provisionVM(options, context);
    const error = await deprovisionVM(
      { serverId: result.serverId, name: "some-other-name" },
      context,
    ).catch((caught) => caught);
    sink.recordError(error);
    expect(error).toBeInstanceOf(DeprovisionError);
    expect(error).toMatchObject({ code: "name_mismatch", isRetryable: false });
    expect(error.message).toContain(result.serverName);
    expect(sim.state.servers()).toHaveLength(1);
    expect(sim.state.devices()).toHaveLength(1);
  });

  it("refuses a server tailvm did not create", async () => {
    const { sim, context } = simulatedContext(sink);
    // Someone else's server, created without a firewall.
    allowPublicExposure(sim);
    const response = await sim.fetch(`${sim.hetznerUrl}/servers`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${sim.credentials.hetznerToken}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ name: "database-1", server_type: "cx23", image: "ubuntu-24.04" }),
    });
    expect(response.status).toBe(201);
    const error = await deprovisionVM({ name: "database-1" }, context).catch((caught) => caught);
    sink.recordError(error);
    expect(error).toBeInstanceOf(DeprovisionError);
    expect(error).toMatchObject({ code: "not_managed" });
    expect(sim.state.servers()).toHaveLength(1);
  });

  it("validates the target before any request", async () => {
    const { sim, context } = simulatedContext(sink);
    for (const target of [
      {},
      { serverId: -1 },
      { name: "Bad Name" },
      { serverId: 1, name: "Bad Name" },
      { serverId: 1, jobId: "job-1" },
      { name: "x", jobId: "job-1" },
    ]) {
      await expect(deprovisionVM(target as never, context)).rejects.toBeInstanceOf(
        ProvisionInputError,
      );
    }
    expect(sim.state.requests()).toEqual([]);
  });

  it("reports what it could not delete", async () => {
    const { sim, context } = simulatedContext(sink);
    const result = await provisionVM(options, context);
    sim.faults.failNext({
      api: "hetzner",
      method: "DELETE",
      path: /^\/servers\//,
      status: 500,
      count: 10,
    });
    const error = await deprovisionVM({ serverId: result.serverId }, context).catch((c) => c);
    sink.recordError(error);
    expect(error).toBeInstanceOf(DeprovisionError);
    expect((error as DeprovisionError).cleanup.failed).toEqual([
      expect.objectContaining({ resource: "server", id: String(result.serverId) }),
    ]);
  });
});
