import { describe, expect, it } from "vitest";
import { provisionVM } from "../src/one-shot.js";
import {
  abortDuring,
  baseOptions,
  expectNothingLeft,
  failureOf,
  recordEvents,
} from "./support/provision-helpers.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/rollback.test.ts");
const options = baseOptions;

describe("provisionVM: faults roll everything back", () => {
  it("rides out a short 429 storm and reports each retry", async () => {
    const { sim, context } = simulatedContext(sink);
    const events = recordEvents(context);
    sim.faults.failNext({ api: "hetzner", path: /^\/servers/, status: 429, count: 3 });
    sim.faults.failNext({ api: "tailscale", path: /devices$/, status: 429, count: 2 });
    const result = await provisionVM(options, context);
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
    const error = await failureOf(sink, provisionVM(options, context));
    expect(error).toMatchObject({ phase: "create-server", code: "rate_limit_exceeded" });
    expect(error.cleanup.removed).toEqual([
      { resource: "auth-key", id: sim.state.authKeys()[0]?.id },
    ]);
    expectNothingLeft(sim);
  });

  it("fails in create-server on a 5xx, after checking whether the server exists", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.failNext({ api: "hetzner", method: "POST", path: "/servers", status: 500 });
    const error = await failureOf(sink, provisionVM(options, context));
    // Rollback already looked for what the POST may have created, so the run may be retried.
    expect(error).toMatchObject({
      phase: "create-server",
      code: "server_error",
      isRetryable: true,
    });
    const posts = sim.state.requests().filter((r) => r.method === "POST" && r.path === "/servers");
    expect(posts).toHaveLength(1);
    expect(
      sim.state.requests().filter((r) => r.method === "GET" && r.path === "/servers").length,
    ).toBeGreaterThanOrEqual(1);
    expectNothingLeft(sim);
  });

  it("fails in auth-key on a 5xx to the key request, retryable and with nothing left", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.failNext({ api: "tailscale", method: "POST", path: /\/keys$/, status: 503 });
    const error = await failureOf(sink, provisionVM(options, context));
    expect(error).toMatchObject({ phase: "auth-key", isRetryable: true });
    expectNothingLeft(sim);
  });

  it("deletes a server whose create answer was lost on a network error", async () => {
    const { sim, context } = simulatedContext(sink);
    // The request reaches the simulator and creates the server, but the answer never arrives.
    const lossy: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const response = await sim.fetch(request.clone());
      if (request.method === "POST" && new URL(request.url).pathname.endsWith("/servers")) {
        throw new TypeError("fetch failed: socket hang up");
      }
      return response;
    };
    context.hetzner = { ...(context.hetzner as object), fetch: lossy } as typeof context.hetzner;
    sim.faults.deviceNeverJoins();
    const events = recordEvents(context);
    const error = await failureOf(
      sink,
      provisionVM({ ...options, timeouts: { deviceJoin: 60_000 } }, context),
    );
    // The server was found by name and adopted into the run, so the run went on and then rolled back.
    expect(events).toContainEqual(
      expect.objectContaining({ type: "resource-created", resource: "server" }),
    );
    expect(error.phase).toBe("device-join");
    expect(error.cleanup.removed.map((item) => item.resource)).toContain("server");
    expectNothingLeft(sim);
  });

  it("deletes a server whose create request was aborted after Hetzner applied it", async () => {
    const { sim, context } = simulatedContext(sink);
    const controller = new AbortController();
    // The request reaches the simulator and creates the server; the caller aborts before the answer.
    const aborting: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const response = await sim.fetch(request.clone());
      if (request.method === "POST" && new URL(request.url).pathname.endsWith("/servers")) {
        controller.abort(new Error("job cancelled"));
        throw controller.signal.reason;
      }
      return response;
    };
    context.hetzner = { ...(context.hetzner as object), fetch: aborting } as typeof context.hetzner;
    const error = await failureOf(
      sink,
      provisionVM({ ...options, signal: controller.signal }, context),
    );
    expect(error).toMatchObject({ phase: "create-server", code: "aborted" });
    expect(error.cleanup.removed.map((item) => item.resource).sort()).toEqual([
      "auth-key",
      "server",
    ]);
    expectNothingLeft(sim);
  });

  it("fails in server-running when the create action errors", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.failNextAction({ command: "create_server", code: "server_create_failed" });
    const error = await failureOf(sink, provisionVM(options, context));
    expect(error).toMatchObject({ phase: "server-running", code: "server_create_failed" });
    expect(error.cleanup.removed.map((item) => item.resource).sort()).toEqual([
      "auth-key",
      "server",
    ]);
    expectNothingLeft(sim);
  });

  it("fails in server-running at the serverRunning deadline", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.serverNeverRuns();
    const started = sim.clock.now();
    const error = await failureOf(
      sink,
      provisionVM({ ...options, timeouts: { serverRunning: 120_000 } }, context),
    );
    expect(error).toMatchObject({ phase: "server-running", code: "timeout", isRetryable: true });
    expect(error.message).toContain("timeouts.serverRunning");
    expect(sim.clock.now() - started).toBeLessThan(120_000 + 60_000);
    expectNothingLeft(sim);
  });

  it("fails in device-join when the device never joins, deleting server and key", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.deviceNeverJoins();
    const error = await failureOf(
      sink,
      provisionVM({ ...options, timeouts: { deviceJoin: 60_000 } }, context),
    );
    expect(error).toMatchObject({ phase: "device-join", code: "timeout" });
    expect(error.serverId).toBeTypeOf("number");
    expect(error.cleanup.failed).toEqual([]);
    expectNothingLeft(sim);
  });

  it("ends at timeouts.total even when the phase deadlines are longer", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.deviceNeverJoins();
    const error = await failureOf(
      sink,
      provisionVM({ ...options, timeouts: { total: 70_000 } }, context),
    );
    expect(error).toMatchObject({ phase: "device-join", code: "timeout" });
    expectNothingLeft(sim);
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
      provisionVM({ ...options, timeouts: { deviceJoin: 30_000 } }, context),
    );
    expect(error.phase).toBe("device-join");
    expect(error.cleanup.failed).toEqual([]);
    expectNothingLeft(sim);
  });

  it("fails in auth-key when the OAuth token endpoint fails, creating nothing", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.tokenEndpointFails({ status: 500, count: 20 });
    const error = await failureOf(sink, provisionVM(options, context));
    expect(error.phase).toBe("auth-key");
    expect(error.cleanup).toEqual({ removed: [], failed: [] });
    expect(sim.state.authKeys()).toEqual([]);
    expectNothingLeft(sim);
  });

  it("rolls back when the caller aborts mid-wait, even though its signal is aborted", async () => {
    const { sim, context } = simulatedContext(sink);
    const controller = new AbortController();
    abortDuring(sim, context, "server-running", controller, 20_000);
    const error = await failureOf(
      sink,
      provisionVM({ ...options, signal: controller.signal }, context),
    );
    expect(error).toMatchObject({ phase: "server-running", code: "aborted" });
    expect(error.cleanup.removed.map((item) => item.resource).sort()).toEqual([
      "auth-key",
      "server",
    ]);
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
          ...options,
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
    const error = await failureOf(sink, provisionVM(options, context));
    expect(error.phase).toBe("auth-key");
    expect(error.cleanup.removed).toHaveLength(1);
    expectNothingLeft(sim);
  });
});
