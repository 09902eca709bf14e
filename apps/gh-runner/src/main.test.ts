import { EventEmitter } from "node:events";
import { createVirtualClock } from "@tailvm/internal/test";
import { describe, expect, it, type TestContext } from "vitest";
import { waitFor } from "../test/harness.js";
import { holdingProxy, recordingReceiver } from "../test/loopback-servers.js";
import { recordingReporter } from "../test/recording-reporter.js";
import { quickSimulator, simulatorEnv } from "../test/simulator.js";
import { runPost } from "./post.js";
import type { SettingSources } from "./read-settings.js";
import { type RunModeOptions, runMode } from "./run-mode.js";
import type { SignalSource } from "./run-types.js";

/** The quick simulator, where the device never joins unless `deviceJoins`, and a run's settings. */
async function simulator(
  context: TestContext,
  latencyMs?: Record<string, number>,
  options: { deviceJoins?: boolean } = {},
) {
  const sim = await quickSimulator(context, latencyMs);
  if (!options.deviceJoins) sim.faults.deviceNeverJoins();
  const env = {
    TAILVM_AGENT_ID: "agent-unit",
    TAILVM_TAILSCALE_TAGS: "tag:ci",
    TAILVM_TIMEOUT_MINUTES: "1",
    ...simulatorEnv(sim),
  };
  return { sim, sources: { env, given: () => undefined } };
}

/**
 * Starts provisioning from `sources` on a clock that only moves when the test advances it, with
 * signals the test emits.
 */
function startProvisioning(
  sources: SettingSources,
  options: Pick<RunModeOptions, "rollbackGraceMs"> = {},
) {
  const recorder = recordingReporter();
  const clock = createVirtualClock({ start: 0, autoAdvance: false });
  const signals = new EventEmitter();
  const running = runMode("provision", {
    reporter: recorder.reporter,
    sources,
    clock,
    signals: signals as SignalSource,
    ...options,
  });
  return { recorder, clock, signals, running };
}

// Waits for the run (real I/O on loopback) to reach a point; the bound only matters when it never
// does, so it is generous enough for a loaded machine.
const until = (condition: () => boolean, what: string) => waitFor(condition, what, 30_000);

/** Until the run waits for the device to join. */
function untilJoinWait(recorder: ReturnType<typeof recordingReporter>): Promise<void> {
  return until(
    () => recorder.texts("startGroup").includes("Wait for the device to join the tailnet"),
    "the wait for the device",
  );
}

describe.concurrent("runProvisioning", () => {
  it("rolls back on SIGINT and fails with the signal named", async (context) => {
    const { sim, sources } = await simulator(context);
    const { recorder, signals, running } = startProvisioning(sources);
    await untilJoinWait(recorder);
    signals.emit("SIGINT");
    signals.emit("SIGTERM");
    const outcome = await running;

    expect(outcome).toMatchObject({ status: "failure", abandoned: false });
    expect(recorder.texts("warning")).toContain(
      "Received SIGINT: stopping and rolling back what this run created.",
    );
    expect(recorder.texts("info")).toContain("Received SIGTERM: the rollback is already running.");
    expect(recorder.texts("fail")).toEqual([
      expect.stringMatching(/^Provisioning failed in phase device-join \(Received SIGINT\): /),
    ]);
    expect(recorder.state.outcome).toBe("rolled-back");
    expect(sim.state.servers()).toEqual([]);
    expect(sim.state.validAuthKeys()).toEqual([]);
    expect(signals.listenerCount("SIGINT") + signals.listenerCount("SIGTERM")).toBe(0);
    const groups = recorder.calls.filter(
      (call) => call.method === "startGroup" || call.method === "endGroup",
    );
    expect(groups.at(-2)).toEqual({ method: "startGroup", text: "Roll back" });
    expect(groups.at(-1)?.method).toBe("endGroup");
  });

  it("aborts and rolls back when timeout_minutes elapses", async (context) => {
    const { sim, sources } = await simulator(context);
    const { recorder, clock, running } = startProvisioning(sources);
    await untilJoinWait(recorder);
    await clock.advance(59_000);
    expect(recorder.texts("warning")).toEqual([]);
    await clock.advance(2_000);
    const outcome = await running;

    expect(outcome.status).toBe("failure");
    expect(recorder.texts("fail")[0]).toContain("(timeout_minutes (1 min 0 s) elapsed)");
    expect(sim.state.servers()).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it("gives up on a rollback that overruns its grace, and leaves the rest to the post step", async (context) => {
    // Deleting the server hangs for ten minutes of cloud time.
    const { sim, sources } = await simulator(context, { "DELETE /servers/{id}": 600_000 });
    const { recorder, clock, signals, running } = startProvisioning(sources, {
      rollbackGraceMs: 300,
    });
    await untilJoinWait(recorder);
    const serverId = String(sim.state.servers()[0]?.id);
    signals.emit("SIGTERM");
    await clock.advance(1_300);
    const outcome = await running;

    expect(outcome).toMatchObject({ status: "failure", abandoned: true });
    expect(recorder.texts("fail")).toEqual([
      expect.stringContaining(
        `the rollback did not finish within 300 ms; gave up waiting for it. The post step deletes server ${serverId}`,
      ),
    ]);
    // Nothing says "finished": the post step cleans up.
    expect(recorder.state.outcome).toBeUndefined();
    expect(recorder.state.server_id).toBe(serverId);
  });

  it("fails with every input problem and sends nothing", async (context) => {
    const { sim } = await simulator(context);
    const { recorder, running } = startProvisioning({
      env: { HETZNER_API_URL: sim.hetznerUrl },
      given: () => undefined,
    });
    const outcome = await running;
    expect(outcome.status).toBe("invalid-inputs");
    expect(recorder.texts("fail")).toHaveLength(1);
    expect(recorder.texts("fail")[0]).toContain("agent_id: is required: 1-63 characters");
    expect(recorder.texts("fail")[0]).toContain("tailscale_tags: is required: at least one");
    expect(recorder.texts("fail")[0]).toContain("hetzner_api_token: is required.");
    expect(recorder.state.outcome).toBe("invalid-inputs");
    expect(sim.state.requests()).toEqual([]);
  });

  it("deletes a server whose create was in flight when the run stopped, and reports it in the failure callback", async (context) => {
    const { sim, sources } = await simulator(context);
    const proxy = await holdingProxy(context, sim.hetznerUrl);
    const callback = await recordingReceiver(context, { status: 204 });
    const { recorder, signals, running } = startProvisioning({
      ...sources,
      env: { ...sources.env, ...callback.env, HETZNER_API_URL: proxy.url },
    });
    await until(() => sim.state.servers().length === 1, "the server to exist");
    const serverId = sim.state.servers()[0]?.id;
    signals.emit("SIGTERM");
    // The create answers only once the rollback has started waiting for it.
    await until(() => recorder.texts("startGroup").includes("Roll back"), "the rollback");
    proxy.release();
    const outcome = await running;

    expect(outcome.status).toBe("failure");
    expect(recorder.texts("fail")[0]).toMatch(
      new RegExp(
        `^Provisioning failed in phase create-server \\(Received SIGTERM\\): .* Rolled back: .*server ${serverId}`,
      ),
    );
    expect(sim.state.servers()).toEqual([]);
    expect(recorder.state.outcome).toBe("rolled-back");
    expect(callback.bodies).toHaveLength(1);
    expect(callback.bodies[0]).toMatchObject({
      type: "vm.provision_failed",
      data: {
        phase: "create-server",
        cleanup: {
          removed: expect.arrayContaining([{ resource: "server", id: String(serverId) }]),
        },
      },
    });
  });

  it("saves success at once and keeps the VM when the callback is still running at the deadline", async (context) => {
    const { sim, sources } = await simulator(context, undefined, { deviceJoins: true });
    // The receiver is overloaded: every attempt is answered 503 with a long Retry-After.
    const callback = await recordingReceiver(context, { status: 503, retryAfter: "30" });
    const runSources = { ...sources, env: { ...sources.env, ...callback.env } };
    const { recorder, clock, running } = startProvisioning(runSources, { rollbackGraceMs: 300 });
    await until(() => callback.bodies.length === 1, "the success callback");
    const serverId = String(sim.state.servers()[0]?.id);
    // Before any output ran: the VM is the agent's now.
    expect(recorder.state.outcome).toBe("success");
    expect(recorder.texts("setOutput")).toEqual(
      expect.arrayContaining([`server_id=${serverId}`, "tailscale_ip=100.64.0.1"]),
    );

    await clock.advance(61_000);
    await until(() => recorder.texts("warning").length > 0, "the warning");
    expect(recorder.texts("warning")).toEqual([
      "timeout_minutes (1 min 0 s) elapsed while the success callback was still in progress; the VM is kept, waiting up to 1.3 s for it.",
    ]);
    await until(() => clock.pending >= 2, "the callback's and the grace's waits");
    await clock.advance(1_300);
    const outcome = await running;

    expect(outcome).toMatchObject({ status: "failure", abandoned: false });
    expect(outcome.result?.serverId).toBe(Number(serverId));
    expect(recorder.texts("fail")).toEqual([
      expect.stringMatching(
        /was provisioned and is kept, but the callback did not finish in time \(timeout_minutes \(1 min 0 s\) elapsed\)$/,
      ),
    ]);
    expect(recorder.texts("warning").join("\n")).not.toContain("rolling back");
    expect(sim.state.servers().map((server) => String(server.id))).toEqual([serverId]);
    expect(clock.pending).toBe(0);

    // The post step keeps it.
    const post = await runPost({
      reporter: recordingReporter().reporter,
      getState: (key) => recorder.state[key] ?? "",
      sources: runSources,
    });
    expect(post.status).toBe("kept");
    expect(sim.state.servers()).toHaveLength(1);
  });

  it("reports a failure callback still running at its deadline as such, after a finished rollback", async (context) => {
    const { sim, sources } = await simulator(context);
    const callback = await recordingReceiver(context, { status: 503, retryAfter: "30" });
    const { recorder, clock, signals, running } = startProvisioning(
      { ...sources, env: { ...sources.env, ...callback.env } },
      { rollbackGraceMs: 5_000 },
    );
    await untilJoinWait(recorder);
    signals.emit("SIGTERM");
    await until(() => callback.bodies.length === 1, "the failure callback");
    expect(callback.bodies[0]).toMatchObject({
      type: "vm.provision_failed",
      data: { phase: "device-join" },
    });
    // The rollback finished before the callback: the post step has nothing to do.
    expect(recorder.state.outcome).toBe("rolled-back");
    expect(sim.state.servers()).toEqual([]);

    signals.emit("SIGINT");
    expect(recorder.texts("warning").at(-1)).toMatch(
      /^Received SIGINT while the failure callback was still in progress; the rollback already finished, waiting up to/,
    );
    await clock.advance(6_000);
    const outcome = await running;

    expect(outcome).toMatchObject({ status: "failure", abandoned: false });
    expect(recorder.texts("fail")).toEqual([
      expect.stringMatching(
        /^Provisioning failed in phase device-join \(Received SIGTERM\): .* Rolled back: .* The failure callback did not finish in time \(Received SIGTERM\)\.$/,
      ),
    ]);
    expect(recorder.texts("fail")[0]).not.toContain("the rollback did not finish");
    expect(clock.pending).toBe(0);
  });
});
