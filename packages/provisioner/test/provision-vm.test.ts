import type { SimulatedCloud } from "@tailvm/testing";
import { describe, expect, it } from "vitest";
import { ProvisionError, ProvisionInputError } from "../src/errors.js";
import { provisionVM } from "../src/provision-vm.js";
import type { Phase, ProvisionEvent, ProvisionOptions } from "../src/types.js";
import { lateAnswerFetch } from "./support/late-answer-fetch.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/provision-vm.test.ts");
const options: ProvisionOptions = {
  agentId: "agent-42",
  tailscale: { tags: ["tag:ci"] },
  ttl: "2h",
};

function recordEvents(context: { onEvent?: (event: ProvisionEvent) => void }) {
  const events: ProvisionEvent[] = [];
  const previous = context.onEvent;
  context.onEvent = (event) => {
    events.push(event);
    previous?.(event);
  };
  return events;
}

async function failureOf(promise: Promise<unknown>): Promise<ProvisionError> {
  const error = await promise.then(
    () => {
      throw new Error("expected provisionVM to fail");
    },
    (caught: unknown) => caught,
  );
  sink.recordError(error);
  expect(error).toBeInstanceOf(ProvisionError);
  return error as ProvisionError;
}

function isServerCreateEntry(entry: { method: string; path: string }) {
  return entry.method === "POST" && entry.path === "/servers";
}

/** Nothing the run created is left: no server, no usable key, no device. */
function expectNothingLeft(sim: SimulatedCloud) {
  expect(sim.state.servers()).toEqual([]);
  expect(sim.state.validAuthKeys()).toEqual([]);
  expect(sim.state.devices()).toEqual([]);
}

describe("provisionVM: the happy path", () => {
  it("returns the device's real tailnet address and leaves one labelled server", async () => {
    const { sim, context } = simulatedContext(sink);
    const events = recordEvents(context);
    const secrets: string[] = [];
    const order: string[] = [];
    const onEvent = context.onEvent;
    context.onEvent = (event) => {
      if (event.type === "resource-created") order.push(`created ${event.resource}`);
      onEvent?.(event);
    };
    const onSecret = context.onSecret;
    context.onSecret = (value) => {
      secrets.push(value);
      order.push(value.startsWith("tskey-auth-") ? "secret auth-key" : "secret root-password");
      onSecret?.(value);
    };
    const started = sim.clock.now();
    const result = await provisionVM({ ...options, jobId: "job-1" }, context);

    const [device] = sim.state.devices();
    const [server] = sim.state.servers();
    expect(device?.addresses[0]).toMatch(/^100\./);
    expect(result.tailscaleIp).toBe(device?.addresses[0]);
    expect(result.tailscaleIpv6).toBe(device?.addresses[1]);
    expect(result.tailscaleDeviceId).toBe(device?.nodeId);
    expect(result.tailscaleHostname).toBe(result.serverName);
    expect(result).toMatchObject({
      serverId: server?.id,
      serverName: server?.name,
      serverIpv4: server?.public_net.ipv4,
      location: "nbg1",
      serverType: "cx22",
      agentId: "agent-42",
      jobId: "job-1",
      adopted: false,
    });
    expect(server?.labels).toMatchObject({
      "managed-by": "tailvm",
      "tailvm/agent-id": "agent-42",
      "tailvm/job-id": "job-1",
      "tailvm/expires-at": String(Math.floor(started / 1000) + 7200),
    });

    // The key was single-use, tagged, pre-authorised, short-lived, and revoked after the join.
    const keys = sim.state.authKeys();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ reusable: false, preauthorized: true, ephemeral: true });
    expect(keys[0]?.tags).toEqual(["tag:ci"]);
    expect((keys[0]?.expires ?? 0) - (keys[0]?.created ?? 0)).toBeLessThanOrEqual(
      (600 + 120) * 1000,
    );
    expect(sim.state.validAuthKeys()).toEqual([]);
    // Each secret reaches onSecret before the event announcing what holds it.
    expect(order).toEqual([
      "secret auth-key",
      "created auth-key",
      "secret root-password",
      "created server",
      "created device",
    ]);
    expect(server?.user_data).toContain(secrets[0]);

    const phases = events
      .filter((event) => event.type === "phase-end")
      .map((event) => (event as { phase: Phase }).phase);
    expect(phases).toEqual([
      "validate",
      "placement",
      "auth-key",
      "stale-devices",
      "cloud-init",
      "create-server",
      "server-running",
      "device-join",
      "revoke-key",
    ]);
    // Virtual time: 40 s boot, then 15 s to join; nothing real was waited for. The VM joins on
    // its own while the run polls, so how the 55 s split between the phases depends on the polls.
    expect(result.timings["server-running"]).toBeGreaterThanOrEqual(40_000);
    expect(result.timings["device-join"]).toBeGreaterThan(0);
    expect(
      (result.timings["server-running"] ?? 0) + (result.timings["device-join"] ?? 0),
    ).toBeGreaterThanOrEqual(55_000);
    expect(result.totalMs).toBeGreaterThanOrEqual(55_000);
    expect(events.at(-1)).toMatchObject({ type: "result", result: { serverId: server?.id } });
  });

  it("installs Tailscale from Debian's repository on a debian-12 image", async () => {
    const { sim, context } = simulatedContext(sink);
    const result = await provisionVM({ ...options, image: "debian-12" }, context);
    expect(result.tailscaleIp).toMatch(/^100\./);
    const [server] = sim.state.servers();
    expect(server?.image).toBe("debian-12");
    const sources = [...(server?.user_data ?? "").matchAll(/pkgs\.tailscale\.com\/stable\/(\w+)/g)];
    expect(new Set(sources.map((match) => match[1]))).toEqual(new Set(["debian"]));
  });

  it("refuses a Tailscale repository that contradicts the image, before any request", async () => {
    const { sim, context } = simulatedContext(sink);
    const error = await provisionVM(
      { ...options, image: "debian-12", tailscale: { tags: ["tag:ci"], distribution: "ubuntu" } },
      context,
    ).catch((caught: unknown) => caught);
    sink.recordError(error);
    expect(error).toBeInstanceOf(ProvisionInputError);
    expect((error as ProvisionInputError).issues.map((issue) => issue.field)).toEqual([
      "tailscale.distribution",
    ]);
    expect(sim.state.requests()).toEqual([]);
  });

  it("removes an offline device that holds the hostname before creating the server", async () => {
    const { sim, context } = simulatedContext(sink);
    const first = await provisionVM(
      { ...options, name: "runner-stale", tailscale: { tags: ["tag:ci"], ephemeral: false } },
      context,
    );
    await sim.fetch(`${sim.hetznerUrl}/servers/${first.serverId}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${sim.credentials.hetznerToken}` },
    });
    expect(sim.state.devices().map((device) => device.connectedToControl)).toEqual([false]);
    const events = recordEvents(context);
    const second = await provisionVM({ ...options, name: "runner-stale" }, context);
    expect(sim.state.devices().map((device) => device.nodeId)).toEqual([second.tailscaleDeviceId]);
    expect(
      events.some((event) => event.type === "warning" && event.phase === "stale-devices"),
    ).toBe(true);
  });

  it("shares one OAuth token and one server-type listing across 20 concurrent calls", async () => {
    const { sim, context } = simulatedContext(sink);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        provisionVM({ ...options, name: `fleet-${index}` }, context),
      ),
    );
    expect(new Set(results.map((result) => result.tailscaleIp)).size).toBe(20);
    const tokenRequests = sim.state
      .requests()
      .filter((request) => request.api === "tailscale" && request.path === "/oauth/token");
    expect(tokenRequests).toHaveLength(1);
    const serverTypeRequests = sim.state
      .requests()
      .filter((request) => request.api === "hetzner" && request.path === "/server_types");
    expect(serverTypeRequests).toHaveLength(1);
  });
});

describe("provisionVM: placement", () => {
  it("skips a pair listed as unavailable and uses the next location", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.setUnavailable("cx22", "nbg1");
    const events = recordEvents(context);
    const result = await provisionVM(options, context);
    expect(result.location).toBe("fsn1");
    expect(events).toContainEqual(expect.objectContaining({ type: "warning", phase: "placement" }));
  });

  it("tries the next candidate when create answers resource_unavailable", async () => {
    const { sim, context } = simulatedContext(sink);
    const events = recordEvents(context);
    const onEvent = context.onEvent;
    context.onEvent = (event) => {
      // Capacity disappears between the availability check and the create call.
      if (event.type === "phase-end" && event.phase === "placement") {
        sim.faults.setUnavailable("cx22", "nbg1");
      }
      onEvent?.(event);
    };
    const result = await provisionVM(
      {
        ...options,
        candidates: [
          { serverType: "cx22", location: "nbg1" },
          { serverType: "cpx21", location: "hel1" },
        ],
      },
      context,
    );
    expect(result).toMatchObject({ location: "hel1", serverType: "cpx21" });
    expect(events).toContainEqual(
      expect.objectContaining({ type: "warning", phase: "create-server" }),
    );
    expect(sim.state.servers()).toHaveLength(1);
  });

  it("fails in placement, creating nothing, when no candidate is available", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.setUnavailable("cx22", "nbg1");
    sim.faults.setUnavailable("cx22", "fsn1");
    const error = await failureOf(provisionVM(options, context));
    expect(error).toMatchObject({ phase: "placement", code: "resource_unavailable" });
    expect(error.cleanup).toEqual({ removed: [], failed: [] });
    expect(sim.state.authKeys()).toEqual([]);
    expectNothingLeft(sim);
  });
});

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
    const error = await failureOf(provisionVM(options, context));
    expect(error).toMatchObject({ phase: "create-server", code: "rate_limit_exceeded" });
    expect(error.cleanup.removed).toEqual([
      { resource: "auth-key", id: sim.state.authKeys()[0]?.id },
    ]);
    expectNothingLeft(sim);
  });

  it("fails in create-server on a 5xx, after checking whether the server exists", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.failNext({ api: "hetzner", method: "POST", path: "/servers", status: 500 });
    const error = await failureOf(provisionVM(options, context));
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
    const error = await failureOf(provisionVM(options, context));
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
    const error = await failureOf(provisionVM({ ...options, signal: controller.signal }, context));
    expect(error).toMatchObject({ phase: "create-server", code: "aborted" });
    expect(error.cleanup.removed.map((item) => item.resource).sort()).toEqual([
      "auth-key",
      "server",
    ]);
    expectNothingLeft(sim);
  });

  /** Aborts `controller` `afterMs` of simulated time after `phase` starts. */
  function abortDuring(
    sim: SimulatedCloud,
    context: { onEvent?: (event: ProvisionEvent) => void },
    phase: Phase,
    controller: AbortController,
    afterMs = 1_000,
  ) {
    const onEvent = context.onEvent;
    context.onEvent = (event) => {
      if (event.type === "phase-start" && event.phase === phase) {
        sim.clock.sleep(afterMs).then(() => controller.abort(new Error("job cancelled")));
      }
      onEvent?.(event);
    };
  }

  const isServerCreate = (request: Request) =>
    request.method === "POST" && new URL(request.url).pathname.endsWith("/servers");
  const isKeyMint = (request: Request) =>
    request.method === "POST" && new URL(request.url).pathname.endsWith("/keys");

  it("deletes a server whose slow create is applied after the caller aborted", async () => {
    const { sim, context } = simulatedContext(sink);
    const slow = lateAnswerFetch(sim, { matches: isServerCreate, delayMs: 5_000 });
    context.hetzner = {
      ...(context.hetzner as object),
      fetch: slow.fetch,
    } as typeof context.hetzner;
    const controller = new AbortController();
    abortDuring(sim, context, "create-server", controller);
    const error = await failureOf(provisionVM({ ...options, signal: controller.signal }, context));
    await slow.applied();
    expect(error).toMatchObject({ phase: "create-server", code: "aborted" });
    expect(
      sim.state.requests().filter((r) => r.method === "POST" && r.path === "/servers"),
    ).toEqual([expect.objectContaining({ status: 201 })]);
    expect(error.cleanup.removed.map((item) => item.resource).sort()).toEqual([
      "auth-key",
      "server",
    ]);
    expect(error.cleanup.failed).toEqual([]);
    expect(error.serverId).toBeTypeOf("number");
    expectNothingLeft(sim);
  });

  it("revokes a key whose slow mint is applied after the caller aborted", async () => {
    const { sim, context } = simulatedContext(sink);
    const slow = lateAnswerFetch(sim, { matches: isKeyMint, delayMs: 5_000 });
    context.tailscale = {
      ...(context.tailscale as object),
      fetch: slow.fetch,
    } as typeof context.tailscale;
    const controller = new AbortController();
    abortDuring(sim, context, "auth-key", controller);
    const events = recordEvents(context);
    const error = await failureOf(provisionVM({ ...options, signal: controller.signal }, context));
    await slow.applied();
    expect(error).toMatchObject({ phase: "auth-key", code: "aborted" });
    const keys = sim.state.authKeys();
    expect(keys).toHaveLength(1);
    expect(error.cleanup).toEqual({
      removed: [{ resource: "auth-key", id: keys[0]?.id }],
      failed: [],
    });
    expect(events).toContainEqual(
      expect.objectContaining({ type: "resource-deleted", resource: "auth-key" }),
    );
    expect(sim.state.requests().some(isServerCreateEntry)).toBe(false);
    expectNothingLeft(sim);
  });

  it("looks for nothing when the create the caller abandoned finally fails", async () => {
    const { sim, context } = simulatedContext(sink);
    const slow = lateAnswerFetch(sim, { matches: isServerCreate, delayMs: 5_000 });
    context.hetzner = {
      ...(context.hetzner as object),
      fetch: slow.fetch,
    } as typeof context.hetzner;
    const controller = new AbortController();
    abortDuring(sim, context, "create-server", controller);
    // The simulator answers an unknown image with invalid_input: a create that made nothing.
    const error = await failureOf(
      provisionVM({ ...options, image: "ubuntu-0.04", signal: controller.signal }, context),
    );
    await slow.applied();
    expect(error).toMatchObject({ phase: "create-server", code: "aborted" });
    expect(error.cleanup.removed.map((item) => item.resource)).toEqual(["auth-key"]);
    // No lookup by name: the create's own answer said it made nothing.
    expect(sim.state.requests().filter((r) => r.method === "GET" && r.path === "/servers")).toEqual(
      [],
    );
    expectNothingLeft(sim);
  });

  it("reports a server create that outlasts the rollback deadline as not deleted", async () => {
    const { sim, context } = simulatedContext(sink);
    const slow = lateAnswerFetch(sim, { matches: isServerCreate, delayMs: 600_000 });
    context.hetzner = {
      ...(context.hetzner as object),
      fetch: slow.fetch,
    } as typeof context.hetzner;
    context.rollbackTimeoutMs = 10_000;
    const controller = new AbortController();
    abortDuring(sim, context, "create-server", controller);
    const error = await failureOf(provisionVM({ ...options, signal: controller.signal }, context));
    expect(error.cleanup.removed.map((item) => item.resource)).toEqual(["auth-key"]);
    const [failed] = error.cleanup.failed;
    expect(failed).toMatchObject({ resource: "server", reason: expect.stringContaining("reap()") });
    expect(error.message).toContain(`Rollback could NOT delete: server ${failed?.id}`);
    // The request was applied after all, as the report warned; its key is already revoked.
    await slow.applied();
    expect(sim.state.servers()).toHaveLength(1);
    expect(sim.state.validAuthKeys()).toEqual([]);
  });

  it("fails in server-running when the create action errors", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.failNextAction({ command: "create_server", code: "server_create_failed" });
    const error = await failureOf(provisionVM(options, context));
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
      status: 503,
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
      provisionVM({ ...options, timeouts: { deviceJoin: 30_000 } }, context),
    );
    expect(error.phase).toBe("device-join");
    expect(error.cleanup.failed).toEqual([]);
    expectNothingLeft(sim);
  });

  it("fails in auth-key when the OAuth token endpoint fails, creating nothing", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.tokenEndpointFails({ status: 500, count: 20 });
    const error = await failureOf(provisionVM(options, context));
    expect(error.phase).toBe("auth-key");
    expect(error.cleanup).toEqual({ removed: [], failed: [] });
    expect(sim.state.authKeys()).toEqual([]);
    expectNothingLeft(sim);
  });

  it("rolls back when the caller aborts mid-wait, even though its signal is aborted", async () => {
    const { sim, context } = simulatedContext(sink);
    const controller = new AbortController();
    const onEvent = context.onEvent;
    context.onEvent = (event) => {
      if (event.type === "phase-start" && event.phase === "server-running") {
        sim.clock.sleep(20_000).then(() => controller.abort(new Error("job cancelled")));
      }
      onEvent?.(event);
    };
    const error = await failureOf(provisionVM({ ...options, signal: controller.signal }, context));
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
    const onEvent = context.onEvent;
    context.onEvent = (event) => {
      if (event.type === "phase-start" && event.phase === "device-join") {
        sim.clock.sleep(2_000).then(() => controller.abort());
      }
      onEvent?.(event);
    };
    const error = await failureOf(
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
    const error = await failureOf(provisionVM(options, context));
    expect(error.phase).toBe("auth-key");
    expect(error.cleanup.removed).toHaveLength(1);
    expectNothingLeft(sim);
  });
});

describe("provisionVM: idempotency", () => {
  it("adopts the server of a job instead of creating a second one, minting no key", async () => {
    const { sim, context } = simulatedContext(sink);
    const first = await provisionVM({ ...options, jobId: "job-7" }, context);
    const keysAfterFirst = sim.state.authKeys().length;
    const second = await provisionVM({ ...options, jobId: "job-7" }, context);
    expect(second).toMatchObject({
      adopted: true,
      serverId: first.serverId,
      serverName: first.serverName,
      tailscaleIp: first.tailscaleIp,
    });
    expect(sim.state.servers()).toHaveLength(1);
    expect(sim.state.authKeys()).toHaveLength(keysAfterFirst);
    expect(
      sim.state.requests().filter((r) => r.method === "POST" && r.path === "/servers"),
    ).toHaveLength(1);
  });

  it("adopts a job's server that is still booting, then waits for its device", async () => {
    const { sim, context } = simulatedContext(sink);
    const controller = new AbortController();
    const onEvent = context.onEvent;
    let secondRun: Promise<unknown> | undefined;
    context.onEvent = (event) => {
      if (event.type === "resource-created" && event.resource === "server" && !secondRun) {
        secondRun = provisionVM(
          { ...options, jobId: "job-8" },
          { ...context, onEvent: sink.onEvent },
        );
      }
      onEvent?.(event);
    };
    const first = await provisionVM(
      { ...options, jobId: "job-8", signal: controller.signal },
      context,
    );
    const second = (await secondRun) as typeof first;
    expect(second).toMatchObject({ adopted: true, serverId: first.serverId });
    expect(sim.state.servers()).toHaveLength(1);
  });

  it("refuses a job id that belongs to another agent", async () => {
    const { sim, context } = simulatedContext(sink);
    await provisionVM({ ...options, jobId: "job-9" }, context);
    const error = await failureOf(
      provisionVM({ ...options, agentId: "someone-else", jobId: "job-9" }, context),
    );
    expect(error).toMatchObject({ phase: "placement", code: "job_conflict" });
    expect(sim.state.servers()).toHaveLength(1);
  });

  it("adopts a same-named server on uniqueness_error only when its labels match", async () => {
    const { sim, context } = simulatedContext(sink);
    const first = await provisionVM({ ...options, name: "runner-fixed" }, context);
    const again = await provisionVM({ ...options, name: "runner-fixed" }, context);
    expect(again).toMatchObject({ adopted: true, serverId: first.serverId });
    expect(sim.state.validAuthKeys()).toEqual([]);

    const error = await failureOf(
      provisionVM({ ...options, agentId: "other-agent", name: "runner-fixed" }, context),
    );
    expect(error).toMatchObject({ phase: "create-server", code: "name_conflict" });
    expect(error.message).toContain("runner-fixed");
    expect(sim.state.servers().map((server) => server.id)).toEqual([first.serverId]);
    expect(sim.state.validAuthKeys()).toEqual([]);
  });
});

describe("provisionVM: bad input", () => {
  it("sends no request and names every bad field", async () => {
    const { sim, context } = simulatedContext(sink);
    const error = await provisionVM(
      { agentId: "", region: "mars", tailscale: { tags: ["ci"] } } as ProvisionOptions,
      context,
    ).catch((caught: unknown) => caught);
    sink.recordError(error);
    expect(error).toBeInstanceOf(ProvisionInputError);
    expect((error as ProvisionInputError).issues.map((issue) => issue.field)).toEqual([
      "agentId",
      "region",
      "tailscale.tags[0]",
    ]);
    expect(sim.state.requests()).toEqual([]);
  });

  it("keeps a credential pasted into an option out of the error", async () => {
    const { sim, context } = simulatedContext(sink);
    const error = await provisionVM(
      { ...options, agentId: `${sim.credentials.hetznerToken}!` },
      context,
    ).catch((caught: unknown) => caught);
    sink.recordError(error);
    expect(error).toBeInstanceOf(ProvisionInputError);
    expect((error as Error).message).toContain('got "***!"');
    expect(sim.state.requests()).toEqual([]);
  });

  it("rejects invalid cloud-config fragments before any request", async () => {
    const { sim, context } = simulatedContext(sink);
    const error = await provisionVM(
      { ...options, cloudInit: [{ write_files: [{ path: "relative/path", content: "x" }] }] },
      context,
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProvisionInputError);
    expect((error as ProvisionInputError).issues[0]?.field).toContain("write_files[0].path");
    expect(sim.state.requests()).toEqual([]);
  });

  it("rejects missing credentials before any request", async () => {
    const { sim, context } = simulatedContext(sink);
    const error = await provisionVM(options, {
      ...context,
      hetzner: { token: "" },
      tailscale: {} as never,
    }).catch((caught: unknown) => caught);
    expect((error as ProvisionInputError).issues.map((issue) => issue.field)).toEqual([
      "context.hetzner",
      "context.tailscale",
    ]);
    expect(sim.state.requests()).toEqual([]);
  });
});
