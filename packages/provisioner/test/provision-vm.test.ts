import { describe, expect, it } from "vitest";
import { provisionVM } from "../src/one-shot.js";
import type { Phase } from "../src/types.js";
import {
  baseOptions,
  deleteServerDirectly,
  expectNothingLeft,
  failureOf,
  inputErrorFrom,
  isServerCreateEntry,
  recordEvents,
} from "./support/provision-helpers.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/provision-vm.test.ts");

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
    const result = await provisionVM({ ...baseOptions, jobId: "job-1" }, context);

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
      serverType: "cx23",
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
      "firewall",
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
    const result = await provisionVM({ ...baseOptions, image: "debian-12" }, context);
    expect(result.tailscaleIp).toMatch(/^100\./);
    const [server] = sim.state.servers();
    expect(server?.image).toBe("debian-12");
    const sources = [...(server?.user_data ?? "").matchAll(/pkgs\.tailscale\.com\/stable\/(\w+)/g)];
    expect(new Set(sources.map((match) => match[1]))).toEqual(new Set(["debian"]));
  });

  it("refuses a Tailscale repository that contradicts the image, before any request", async () => {
    const { sim, error } = await inputErrorFrom(sink, {
      ...baseOptions,
      image: "debian-12",
      tailscale: { tags: ["tag:ci"], distribution: "ubuntu" },
    });
    expect(error.issues.map((issue) => issue.field)).toEqual(["tailscale.distribution"]);
    expect(sim.state.requests()).toEqual([]);
  });

  it("removes an offline device that holds the hostname before creating the server", async () => {
    const { sim, context } = simulatedContext(sink);
    const first = await provisionVM(
      { ...baseOptions, name: "runner-stale", tailscale: { tags: ["tag:ci"], ephemeral: false } },
      context,
    );
    await deleteServerDirectly(sim, first.serverId);
    expect(sim.state.devices().map((device) => device.connectedToControl)).toEqual([false]);
    const events = recordEvents(context);
    const second = await provisionVM({ ...baseOptions, name: "runner-stale" }, context);
    expect(sim.state.devices().map((device) => device.nodeId)).toEqual([second.tailscaleDeviceId]);
    expect(
      events.some((event) => event.type === "warning" && event.phase === "stale-devices"),
    ).toBe(true);
  });
});

describe("provisionVM: placement", () => {
  it("skips a pair listed as unavailable and uses the next location", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.setUnavailable("cx23", "nbg1");
    const events = recordEvents(context);
    const result = await provisionVM({ ...baseOptions, serverType: "cx23" }, context);
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
        sim.faults.setUnavailable("cx23", "nbg1");
      }
      onEvent?.(event);
    };
    const result = await provisionVM(
      {
        ...baseOptions,
        candidates: [
          { serverType: "cx23", location: "nbg1" },
          { serverType: "cpx22", location: "hel1" },
        ],
      },
      context,
    );
    expect(result).toMatchObject({ location: "hel1", serverType: "cpx22" });
    expect(events).toContainEqual(
      expect.objectContaining({ type: "warning", phase: "create-server" }),
    );
    expect(sim.state.servers()).toHaveLength(1);
  });

  it("fails in placement, creating nothing, when no candidate is available", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.setUnavailable("cx23", "nbg1");
    sim.faults.setUnavailable("cx23", "fsn1");
    const events = recordEvents(context);
    const error = await failureOf(
      sink,
      provisionVM({ ...baseOptions, serverType: "cx23" }, context),
    );
    expect(error).toMatchObject({
      phase: "placement",
      code: "resource_unavailable",
      isRetryable: true,
    });
    // One message per cause: each reason once, in the error or in a warning, never both.
    const warnings = events
      .filter((event) => event.type === "warning")
      .map((event) => event.message);
    expect(warnings).toEqual([]);
    expect(error.message.match(/out of stock in nbg1/g)).toHaveLength(1);
    expect(error.message).not.toContain("Add candidates");
    expect(error.cleanup).toEqual({ removed: [], failed: [] });
    expect(sim.state.authKeys()).toEqual([]);
    expectNothingLeft(sim);
  });
});

describe("provisionVM: idempotency", () => {
  it("adopts the server of a job instead of creating a second one, minting no key", async () => {
    const { sim, context } = simulatedContext(sink);
    const first = await provisionVM({ ...baseOptions, jobId: "job-7" }, context);
    const keysAfterFirst = sim.state.authKeys().length;
    const second = await provisionVM({ ...baseOptions, jobId: "job-7" }, context);
    expect(second).toMatchObject({
      adopted: true,
      serverId: first.serverId,
      serverName: first.serverName,
      tailscaleIp: first.tailscaleIp,
    });
    expect(sim.state.servers()).toHaveLength(1);
    expect(sim.state.authKeys()).toHaveLength(keysAfterFirst);
    expect(sim.state.requests().filter(isServerCreateEntry)).toHaveLength(1);
  });

  it("adopts a job's server that is still booting, then waits for its device", async () => {
    const { sim, context } = simulatedContext(sink);
    const controller = new AbortController();
    const onEvent = context.onEvent;
    let secondRun: Promise<unknown> | undefined;
    context.onEvent = (event) => {
      if (event.type === "resource-created" && event.resource === "server" && !secondRun) {
        secondRun = provisionVM(
          { ...baseOptions, jobId: "job-8" },
          { ...context, onEvent: sink.onEvent },
        );
      }
      onEvent?.(event);
    };
    const first = await provisionVM(
      { ...baseOptions, jobId: "job-8", signal: controller.signal },
      context,
    );
    const second = (await secondRun) as typeof first;
    expect(second).toMatchObject({ adopted: true, serverId: first.serverId });
    expect(sim.state.servers()).toHaveLength(1);
  });

  it("refuses a job id that belongs to another agent", async () => {
    const { sim, context } = simulatedContext(sink);
    await provisionVM({ ...baseOptions, jobId: "job-9" }, context);
    const error = await failureOf(
      sink,
      provisionVM({ ...baseOptions, agentId: "someone-else", jobId: "job-9" }, context),
    );
    expect(error).toMatchObject({ phase: "placement", code: "job_conflict" });
    expect(sim.state.servers()).toHaveLength(1);
  });

  it("adopts a same-named server on uniqueness_error only when its labels match", async () => {
    const { sim, context } = simulatedContext(sink);
    const first = await provisionVM({ ...baseOptions, name: "runner-fixed" }, context);
    const again = await provisionVM({ ...baseOptions, name: "runner-fixed" }, context);
    expect(again).toMatchObject({ adopted: true, serverId: first.serverId });
    expect(sim.state.validAuthKeys()).toEqual([]);

    const error = await failureOf(
      sink,
      provisionVM({ ...baseOptions, agentId: "other-agent", name: "runner-fixed" }, context),
    );
    expect(error).toMatchObject({ phase: "create-server", code: "name_conflict" });
    expect(error.message).toContain("runner-fixed");
    expect(sim.state.servers().map((server) => server.id)).toEqual([first.serverId]);
    expect(sim.state.validAuthKeys()).toEqual([]);
  });
});
