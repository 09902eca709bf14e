import { EventEmitter } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "@tailvm/provisioner";
import { startSimulatedCloudServer } from "@tailvm/testing";
import { describe, expect, it, type TestContext } from "vitest";
import { recordingReporter } from "../test/recording-reporter.js";
import { runPost } from "./post.js";
import { type RunModeOptions, runMode } from "./run-mode.js";
import type { SignalSource } from "./run-types.js";

const runProvisioning = (options: RunModeOptions) => runMode("provision", options);

/** A clock whose sleeps only end when the test advances it. */
function manualClock() {
  let now = 0;
  const sleepers: { at: number; resolve: () => void }[] = [];
  const clock: Clock & { advance(ms: number): void; pending(): number } = {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const sleeper = { at: now + ms, resolve };
        sleepers.push(sleeper);
        signal?.addEventListener("abort", () => {
          sleepers.splice(sleepers.indexOf(sleeper), 1);
          reject(signal.reason);
        });
      });
    },
    advance(ms) {
      now += ms;
      for (const sleeper of sleepers.filter((item) => item.at <= now)) {
        sleepers.splice(sleepers.indexOf(sleeper), 1);
        sleeper.resolve();
      }
    },
    pending: () => sleepers.length,
  };
  return clock;
}

async function simulator(
  context: TestContext,
  latencyMs?: Record<string, number>,
  options: { deviceJoins?: boolean } = {},
) {
  const sim = await startSimulatedCloudServer({
    timeScale: 100,
    timings: {
      createActionMs: 0,
      bootMs: 0,
      joinMs: 0,
      deleteMs: 0,
      ...(latencyMs ? { latencyMs } : {}),
    },
  });
  if (!options.deviceJoins) sim.faults.deviceNeverJoins();
  context.onTestFinished(() => sim.close());
  const env = {
    TAILVM_AGENT_ID: "agent-unit",
    TAILVM_TAILSCALE_TAGS: "tag:ci",
    TAILVM_TIMEOUT_MINUTES: "1",
    HETZNER_API_TOKEN: sim.credentials.hetznerToken,
    TAILSCALE_OAUTH_CLIENT_ID: sim.credentials.tailscaleOAuthClientId,
    TAILSCALE_OAUTH_CLIENT_SECRET: sim.credentials.tailscaleOAuthClientSecret,
    HETZNER_API_URL: sim.hetznerUrl,
    TAILSCALE_API_URL: sim.tailscaleUrl,
  };
  return { sim, sources: { env, given: () => undefined } };
}

/**
 * A proxy in front of the simulator's Hetzner API that holds the answer to POST /servers until
 * released: the server exists, but the run has not heard of it yet.
 */
async function holdingProxy(context: TestContext, target: string) {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (typeof value === "string" && name !== "host") headers.set(name, value);
      }
      const body = Buffer.concat(chunks);
      const response = await fetch(`${target}${incoming.url}`, {
        method: incoming.method ?? "GET",
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      const text = await response.text();
      if (incoming.method === "POST" && incoming.url === "/servers") await released;
      outgoing.writeHead(response.status, { "content-type": "application/json" }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  context.onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, release };
}

/** A callback receiver that records each body and answers with `answer`. */
async function receiver(context: TestContext, answer: { status: number; retryAfter?: string }) {
  const bodies: Record<string, unknown>[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      outgoing
        .writeHead(answer.status, answer.retryAfter ? { "retry-after": answer.retryAfter } : {})
        .end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  context.onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    env: {
      TAILVM_CALLBACK_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`,
      TAILVM_CALLBACK_SECRET: "callback-secret-for-tests",
    },
    bodies,
  };
}

// Waits for the run (real I/O on loopback) to reach a point; the bound only matters when it never
// does, so it is generous enough for a loaded machine.
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition never held");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe.concurrent("runProvisioning", () => {
  it("rolls back on SIGINT and fails with the signal named", async (context) => {
    const { sim, sources } = await simulator(context);
    const recorder = recordingReporter();
    const signals = new EventEmitter();
    const running = runProvisioning({
      reporter: recorder.reporter,
      sources,
      clock: manualClock(),
      signals: signals as SignalSource,
    });
    await until(() =>
      recorder.texts("startGroup").includes("Wait for the device to join the tailnet"),
    );
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
    const recorder = recordingReporter();
    const clock = manualClock();
    const running = runProvisioning({
      reporter: recorder.reporter,
      sources,
      clock,
      signals: new EventEmitter() as SignalSource,
    });
    await until(() =>
      recorder.texts("startGroup").includes("Wait for the device to join the tailnet"),
    );
    clock.advance(59_000);
    expect(recorder.texts("warning")).toEqual([]);
    clock.advance(2_000);
    const outcome = await running;

    expect(outcome.status).toBe("failure");
    expect(recorder.texts("fail")[0]).toContain("(timeout_minutes (1 min 0 s) elapsed)");
    expect(sim.state.servers()).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  it("gives up on a rollback that overruns its grace, and leaves the rest to the post step", async (context) => {
    // Deleting the server hangs for ten minutes of cloud time.
    const { sim, sources } = await simulator(context, { "DELETE /servers/{id}": 600_000 });
    const recorder = recordingReporter();
    const clock = manualClock();
    const signals = new EventEmitter();
    const running = runProvisioning({
      reporter: recorder.reporter,
      sources,
      clock,
      signals: signals as SignalSource,
      rollbackGraceMs: 300,
    });
    await until(() =>
      recorder.texts("startGroup").includes("Wait for the device to join the tailnet"),
    );
    const serverId = String(sim.state.servers()[0]?.id);
    signals.emit("SIGTERM");
    clock.advance(1_300);
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
    const recorder = recordingReporter();
    const outcome = await runProvisioning({
      reporter: recorder.reporter,
      sources: { env: { HETZNER_API_URL: sim.hetznerUrl }, given: () => undefined },
      signals: new EventEmitter() as SignalSource,
    });
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
    const callback = await receiver(context, { status: 204 });
    const recorder = recordingReporter();
    const signals = new EventEmitter();
    const running = runProvisioning({
      reporter: recorder.reporter,
      sources: {
        ...sources,
        env: { ...sources.env, ...callback.env, HETZNER_API_URL: proxy.url },
      },
      clock: manualClock(),
      signals: signals as SignalSource,
    });
    await until(() => sim.state.servers().length === 1);
    const serverId = sim.state.servers()[0]?.id;
    signals.emit("SIGTERM");
    // The create answers only once the rollback has started waiting for it.
    await until(() => recorder.texts("startGroup").includes("Roll back"));
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
    const callback = await receiver(context, { status: 503, retryAfter: "30" });
    const recorder = recordingReporter();
    const clock = manualClock();
    const runSources = { ...sources, env: { ...sources.env, ...callback.env } };
    const running = runProvisioning({
      reporter: recorder.reporter,
      sources: runSources,
      clock,
      signals: new EventEmitter() as SignalSource,
      rollbackGraceMs: 300,
    });
    await until(() => callback.bodies.length === 1);
    const serverId = String(sim.state.servers()[0]?.id);
    // Before any output ran: the VM is the agent's now.
    expect(recorder.state.outcome).toBe("success");
    expect(recorder.texts("setOutput")).toEqual(
      expect.arrayContaining([`server_id=${serverId}`, "tailscale_ip=100.64.0.1"]),
    );

    clock.advance(61_000);
    await until(() => recorder.texts("warning").length > 0);
    expect(recorder.texts("warning")).toEqual([
      "timeout_minutes (1 min 0 s) elapsed while the success callback was still in progress; the VM is kept, waiting up to 1.3 s for it.",
    ]);
    await until(() => clock.pending() >= 2);
    clock.advance(1_300);
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
    expect(clock.pending()).toBe(0);

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
    const callback = await receiver(context, { status: 503, retryAfter: "30" });
    const recorder = recordingReporter();
    const clock = manualClock();
    const signals = new EventEmitter();
    const running = runProvisioning({
      reporter: recorder.reporter,
      sources: { ...sources, env: { ...sources.env, ...callback.env } },
      clock,
      signals: signals as SignalSource,
      rollbackGraceMs: 5_000,
    });
    await until(() =>
      recorder.texts("startGroup").includes("Wait for the device to join the tailnet"),
    );
    signals.emit("SIGTERM");
    await until(() => callback.bodies.length === 1);
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
    clock.advance(6_000);
    const outcome = await running;

    expect(outcome).toMatchObject({ status: "failure", abandoned: false });
    expect(recorder.texts("fail")).toEqual([
      expect.stringMatching(
        /^Provisioning failed in phase device-join \(Received SIGTERM\): .* Rolled back: .* The failure callback did not finish in time \(Received SIGTERM\)\.$/,
      ),
    ]);
    expect(recorder.texts("fail")[0]).not.toContain("the rollback did not finish");
    expect(clock.pending()).toBe(0);
  });
});
