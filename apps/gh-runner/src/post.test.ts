import { provisionVM, silentLogger } from "@tailvm/provisioner";
import { describe, expect, it, type TestContext } from "vitest";
import { recordingReporter } from "../test/recording-reporter.js";
import { createServerDirectly, quickSimulator, simulatorEnv } from "../test/simulator.js";
import { runPost } from "./post.js";
import { STATE } from "./provision-events.js";

async function simulatorWithServer(context: TestContext, name: string) {
  const sim = await quickSimulator(context);
  const serverId = await createServerDirectly(sim, name);
  return { sim, serverId, sources: { env: simulatorEnv(sim), given: () => undefined } };
}

function states(values: Record<string, string>) {
  return (name: string) => values[name] ?? "";
}

describe.concurrent("runPost", () => {
  it("deletes the server of a main step that did not finish, by id", async (context) => {
    const { sim, serverId, sources } = await simulatorWithServer(context, "agent-unfinished-1");
    const recorder = recordingReporter();
    const outcome = await runPost({
      reporter: recorder.reporter,
      sources,
      getState: states({
        [STATE.serverId]: String(serverId),
        [STATE.serverName]: "agent-unfinished-1",
      }),
    });
    expect(outcome).toEqual({
      status: "cleaned",
      cleanup: { removed: [{ resource: "server", id: String(serverId) }], failed: [] },
    });
    expect(sim.state.servers()).toEqual([]);
    expect(recorder.texts("info")).toContain(`Removed server ${serverId}.`);
    // The credentials are masked first.
    expect(recorder.calls.slice(0, 3).map((call) => call.method)).toEqual(["mask", "mask", "mask"]);
  });

  it("deletes the tailnet device of a server that is already gone, by the saved name", async (context) => {
    const { sim, sources } = await simulatorWithServer(context, "agent-unrelated-1");
    const vm = await provisionVM(
      { agentId: "agent-gone", tailscale: { tags: ["tag:ci"], ephemeral: false } },
      { ...sim.context({ tailscaleAuth: "oauth" }), logger: silentLogger },
    );
    // A rollback deleted the server and was killed before it reached the device.
    await fetch(`${sim.hetznerUrl}/servers/${vm.serverId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${sim.credentials.hetznerToken}` },
    });
    expect(sim.state.devices().map((device) => device.hostname)).toEqual([vm.serverName]);

    const outcome = await runPost({
      reporter: recordingReporter().reporter,
      sources,
      getState: states({
        [STATE.serverId]: String(vm.serverId),
        [STATE.serverName]: vm.serverName,
      }),
    });
    expect(outcome).toEqual({
      status: "cleaned",
      cleanup: {
        removed: expect.arrayContaining([{ resource: "device", id: vm.tailscaleDeviceId }]),
        failed: [],
      },
    });
    expect(sim.state.devices()).toEqual([]);
    expect(sim.state.servers().map((server) => server.name)).toEqual(["agent-unrelated-1"]);
  });

  it("after a rollback, still deletes a server of the run's name that the run never learned of", async (context) => {
    const { sim, sources } = await simulatorWithServer(context, "agent-orphan-1");
    const recorder = recordingReporter();
    const outcome = await runPost({
      reporter: recorder.reporter,
      sources,
      getState: states({ [STATE.outcome]: "rolled-back", [STATE.serverName]: "agent-orphan-1" }),
    });
    expect(outcome.status).toBe("cleaned");
    expect(sim.state.servers()).toEqual([]);
  });

  it("keeps a VM that was provisioned successfully, without a request", async (context) => {
    const { sim, serverId, sources } = await simulatorWithServer(context, "agent-kept-1");
    const requests = sim.state.requests().length;
    const recorder = recordingReporter();
    const outcome = await runPost({
      reporter: recorder.reporter,
      sources,
      getState: states({
        [STATE.outcome]: "success",
        [STATE.serverId]: String(serverId),
        [STATE.serverName]: "agent-kept-1",
      }),
    });
    expect(outcome).toEqual({ status: "kept" });
    expect(sim.state.servers()).toHaveLength(1);
    expect(sim.state.requests()).toHaveLength(requests);
    expect(recorder.texts("info")).toEqual([
      `Keeping server ${serverId} (agent-kept-1): it was provisioned successfully and is the agent's VM.`,
    ]);
  });

  it("does nothing when the main step never started provisioning", async () => {
    const recorder = recordingReporter();
    const outcome = await runPost({
      reporter: recorder.reporter,
      sources: { env: {}, given: () => undefined },
      getState: states({}),
    });
    expect(outcome).toEqual({ status: "nothing-to-do" });
    expect(recorder.texts("fail")).toEqual([]);
  });

  it("fails clearly when it must clean up but has no credentials", async () => {
    const recorder = recordingReporter();
    const outcome = await runPost({
      reporter: recorder.reporter,
      sources: { env: {}, given: () => undefined },
      getState: states({ [STATE.serverId]: "42", [STATE.serverName]: "agent-x" }),
    });
    expect(outcome.status).toBe("failed");
    expect(recorder.texts("fail")[0]).toMatch(
      /^Cannot delete server 42 \(agent-x\), which the main step left behind: Invalid settings/,
    );
    expect(recorder.texts("fail")[0]).toContain("hetzner_api_token:");
  });
});
