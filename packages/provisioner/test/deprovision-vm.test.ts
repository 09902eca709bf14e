import { describe, expect, it } from "vitest";
import { DeprovisionError, deprovisionVM } from "../src/deprovision-vm.js";
import { ProvisionInputError } from "../src/errors.js";
import { provisionVM } from "../src/provision-vm.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/deprovision-vm.test.ts");
const options = { agentId: "agent-42", tailscale: { tags: ["tag:ci"], ephemeral: false } };

describe("deprovisionVM", () => {
  it.each([
    ["serverId", (result: { serverId: number }) => ({ serverId: result.serverId })],
    ["name", (result: { serverName: string }) => ({ name: result.serverName })],
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

  it("refuses a server tailvm did not create", async () => {
    const { sim, context } = simulatedContext(sink);
    const response = await sim.fetch(`${sim.hetznerUrl}/servers`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${sim.credentials.hetznerToken}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ name: "database-1", server_type: "cx22", image: "ubuntu-24.04" }),
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
    for (const target of [{}, { serverId: -1 }, { name: "Bad Name" }, { serverId: 1, name: "x" }]) {
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
