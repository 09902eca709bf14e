import type { SimulatedCloud } from "@tailvm/testing";
import { describe, expect, it } from "vitest";
import type { ProvisionContext } from "../src/context.js";
import { provisionVM } from "../src/one-shot.js";
import type { Phase } from "../src/types.js";
import {
  abortDuring,
  baseOptions,
  deviceJoinTimeoutOf,
  expectNothingLeft,
  failureOf,
  isServerCreate,
  isServerCreateEntry,
  recordEvents,
  removedResources,
} from "./support/provision-helpers.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/rollback.test.ts");

/** A caller's abort, arranged to land while the run is in `phase`. */
interface CallerAbort {
  name: string;
  phase: Phase;
  abort(sim: SimulatedCloud, context: ProvisionContext, controller: AbortController): void;
}

/**
 * Sends the context's Hetzner requests to `sim`: a server create reaches the simulator and is
 * applied, then `loseAnswer` throws in place of its answer.
 */
function loseServerCreateAnswer(
  sim: SimulatedCloud,
  context: ProvisionContext,
  loseAnswer: () => never,
) {
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await sim.fetch(request.clone());
    if (isServerCreate(request)) loseAnswer();
    return response;
  };
  context.hetzner = { ...(context.hetzner as object), fetch } as typeof context.hetzner;
}

describe("provisionVM: faults roll everything back", () => {
  it("rides out a short 429 storm and reports each retry", async () => {
    const { sim, context } = simulatedContext(sink);
    const events = recordEvents(context);
    sim.faults.failNext({ api: "hetzner", path: /^\/servers/, status: 429, count: 3 });
    sim.faults.failNext({ api: "tailscale", path: /devices$/, status: 429, count: 2 });
    const result = await provisionVM(baseOptions, context);
    expect(result.tailscaleIp).toMatch(/^100\./);
    const retries = events.filter((event) => event.type === "retry");
    expect(retries.filter((event) => event.api === "hetzner").length).toBeGreaterThanOrEqual(3);
    expect(retries.filter((event) => event.api === "tailscale").length).toBeGreaterThanOrEqual(2);
  });

  it("fails in create-server after a 429 storm outlasts the retries, and revokes the key", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.failNext({
      api: "hetzner",
      method: "POST",
      path: "/servers",
      status: 429,
      count: 50,
    });
    const error = await failureOf(sink, provisionVM(baseOptions, context));
    expect(error).toMatchObject({ phase: "create-server", code: "rate_limit_exceeded" });
    expect(error.cleanup.removed).toEqual([
      { resource: "auth-key", id: sim.state.authKeys()[0]?.id },
    ]);
    expectNothingLeft(sim);
  });

  it("fails in create-server on a 5xx, after checking whether the server exists", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.failNext({ api: "hetzner", method: "POST", path: "/servers", status: 500 });
    const error = await failureOf(sink, provisionVM(baseOptions, context));
    // Rollback already looked for what the POST may have created, so the run may be retried.
    expect(error).toMatchObject({
      phase: "create-server",
      code: "server_error",
      isRetryable: true,
    });
    const posts = sim.state.requests().filter(isServerCreateEntry);
    expect(posts).toHaveLength(1);
    expect(
      sim.state.requests().filter((r) => r.method === "GET" && r.path === "/servers").length,
    ).toBeGreaterThanOrEqual(1);
    expectNothingLeft(sim);
  });

  it("fails in auth-key on a 5xx to the key request, retryable and with nothing left", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.failNext({ api: "tailscale", method: "POST", path: /\/keys$/, status: 503 });
    const error = await failureOf(sink, provisionVM(baseOptions, context));
    expect(error).toMatchObject({ phase: "auth-key", isRetryable: true });
    expectNothingLeft(sim);
  });

  it("deletes a server whose create answer was lost on a network error", async () => {
    const { sim, context } = simulatedContext(sink);
    loseServerCreateAnswer(sim, context, () => {
      throw new TypeError("fetch failed: socket hang up");
    });
    sim.faults.deviceNeverJoins();
    const events = recordEvents(context);
    const error = await failureOf(
      sink,
      provisionVM({ ...baseOptions, timeouts: { deviceJoin: 60_000 } }, context),
    );
    // The server was found by name and adopted into the run, so the run went on and then rolled back.
    expect(events).toContainEqual(
      expect.objectContaining({ type: "resource-created", resource: "server" }),
    );
    expect(error.phase).toBe("device-join");
    expect(removedResources(error.cleanup)).toContain("server");
    expectNothingLeft(sim);
  });

  it("fails in server-running when the create action errors", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.failNextAction({ command: "create_server", code: "server_create_failed" });
    const error = await failureOf(sink, provisionVM(baseOptions, context));
    expect(error).toMatchObject({ phase: "server-running", code: "server_create_failed" });
    expect(removedResources(error.cleanup)).toEqual(["auth-key", "server"]);
    expectNothingLeft(sim);
  });

  it("fails in server-running at the serverRunning deadline", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.serverNeverRuns();
    const started = sim.clock.now();
    const error = await failureOf(
      sink,
      provisionVM({ ...baseOptions, timeouts: { serverRunning: 120_000 } }, context),
    );
    expect(error).toMatchObject({ phase: "server-running", code: "timeout", isRetryable: true });
    expect(error.message).toContain("timeouts.serverRunning");
    expect(sim.clock.now() - started).toBeLessThan(120_000 + 60_000);
    expectNothingLeft(sim);
  });

  it("fails in device-join when the device never joins, deleting server and key", async () => {
    const { sim, context } = simulatedContext(sink);
    const error = await deviceJoinTimeoutOf(sink, sim, context, {
      ...baseOptions,
      timeouts: { deviceJoin: 60_000 },
    });
    expect(error.serverId).toBeTypeOf("number");
    expect(error.cleanup.failed).toEqual([]);
  });

  it("ends at timeouts.total even when the phase deadlines are longer", async () => {
    const { sim, context } = simulatedContext(sink);
    await deviceJoinTimeoutOf(sink, sim, context, { ...baseOptions, timeouts: { total: 70_000 } });
  });

  it("rolls back through rate limits and 5xx answers on delete", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.deviceNeverJoins();
    sim.faults.failNext({
      api: "hetzner",
      method: "DELETE",
      path: /^\/servers\//,
      status: 429,
      count: 2,
    });
    sim.faults.failNext({
      api: "hetzner",
      method: "DELETE",
      path: /^\/servers\//,
      status: 502,
      count: 2,
    });
    sim.faults.failNext({
      api: "tailscale",
      method: "DELETE",
      path: /^\/key/,
      status: 429,
      count: 2,
    });
    const error = await failureOf(
      sink,
      provisionVM({ ...baseOptions, timeouts: { deviceJoin: 30_000 } }, context),
    );
    expect(error.phase).toBe("device-join");
    expect(error.cleanup.failed).toEqual([]);
    expectNothingLeft(sim);
  });

  it("fails in auth-key when the OAuth token endpoint fails, creating nothing", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.tokenEndpointFails({ status: 500, count: 20 });
    const error = await failureOf(sink, provisionVM(baseOptions, context));
    expect(error.phase).toBe("auth-key");
    expect(error.cleanup).toEqual({ removed: [], failed: [] });
    expect(sim.state.authKeys()).toEqual([]);
    expectNothingLeft(sim);
  });

  it.each<CallerAbort>([
    {
      name: "deletes a server whose create request was aborted after Hetzner applied it",
      phase: "create-server",
      // The caller aborts after Hetzner applied the create, before its answer arrives.
      abort: (sim, context, controller) =>
        loseServerCreateAnswer(sim, context, () => {
          controller.abort(new Error("job cancelled"));
          throw controller.signal.reason;
        }),
    },
    {
      name: "rolls back when the caller aborts mid-wait, even though its signal is aborted",
      phase: "server-running",
      abort: (sim, context, controller) =>
        abortDuring(sim, context, "server-running", controller, 20_000),
    },
  ])("$name", async ({ phase, abort }) => {
    const { sim, context } = simulatedContext(sink);
    const controller = new AbortController();
    abort(sim, context, controller);
    const error = await failureOf(
      sink,
      provisionVM({ ...baseOptions, signal: controller.signal }, context),
    );
    expect(error).toMatchObject({ phase, code: "aborted" });
    expect(removedResources(error.cleanup)).toEqual(["auth-key", "server"]);
    expectNothingLeft(sim);
  });

  it("rolls back when aborted while waiting for the device, deleting a device that joined meanwhile", async () => {
    const { sim, context } = simulatedContext(sink, { timings: { joinMs: 15_000 } });
    const controller = new AbortController();
    abortDuring(sim, context, "device-join", controller, 2_000);
    const error = await failureOf(
      sink,
      provisionVM(
        {
          ...baseOptions,
          tailscale: { tags: ["tag:ci"], ephemeral: false },
          signal: controller.signal,
        },
        context,
      ),
    );
    expect(error).toMatchObject({ phase: "device-join", code: "aborted" });
    expectNothingLeft(sim);
  });

  it("rolls back when onSecret throws", async () => {
    const { sim, context } = simulatedContext(sink);
    context.onSecret = (value) => {
      sink.addSecret(value);
      throw new Error("could not mask the secret");
    };
    const error = await failureOf(sink, provisionVM(baseOptions, context));
    expect(error.phase).toBe("auth-key");
    expect(error.cleanup.removed).toHaveLength(1);
    expectNothingLeft(sim);
  });
});
