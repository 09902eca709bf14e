import type { SimulatedCloud } from "@tailvm/testing";
import { describe, expect, it } from "vitest";
import { provisionVM } from "../src/one-shot.js";
import { createProvisioner } from "../src/provisioner.js";
import type { ProvisionEvent, ProvisionOptions } from "../src/types.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/provisioner.test.ts");
const options: ProvisionOptions = { agentId: "agent-42", tailscale: { tags: ["tag:ci"] } };

function requestsTo(sim: SimulatedCloud, api: "hetzner" | "tailscale", path: string) {
  return sim.state.requests().filter((request) => request.api === api && request.path === path);
}

function recorder() {
  const events: ProvisionEvent[] = [];
  const onEvent = (event: ProvisionEvent) => {
    events.push(event);
    sink.onEvent(event);
  };
  return { events, onEvent, retries: () => events.filter((event) => event.type === "retry") };
}

describe("createProvisioner: one scope", () => {
  it("shares one OAuth token, one server-type listing and one image lookup across 20 concurrent calls", async () => {
    const { sim, context } = simulatedContext(sink);
    const provisioner = createProvisioner(context);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        provisioner.provisionVM({ ...options, name: `fleet-${index}` }),
      ),
    );
    expect(new Set(results.map((result) => result.tailscaleIp)).size).toBe(20);
    expect(requestsTo(sim, "tailscale", "/oauth/token")).toHaveLength(1);
    expect(requestsTo(sim, "hetzner", "/server_types")).toHaveLength(1);
    expect(requestsTo(sim, "hetzner", "/images")).toHaveLength(1);
  });

  it("plans a run's device looks from a join its provisioner sees while it waits", async () => {
    const { sim, context } = simulatedContext(sink);
    const provisioner = createProvisioner(context);
    const startedAt = sim.clock.now();
    const first = provisioner.provisionVM({ ...options, name: "first" });
    await sim.clock.sleep(20_000);
    // Started before the first run joins: nothing to plan from yet.
    const second = provisioner.provisionVM({ ...options, name: "second" });
    const [firstDone] = await Promise.all([first, second]);
    const joined = sim.state.devices().find((device) => device.hostname === "second");
    // Its own clock reading: real I/O in the outputs lets virtual time run on before it returns.
    const firstDoneAt = startedAt + firstDone.totalMs;
    const looks = requestsTo(sim, "tailscale", "/tailnet/-/devices")
      .map((request) => request.time)
      .filter((time) => time > firstDoneAt);
    expect(firstDone.tailscaleIp).toMatch(/^100\./);
    // After the first join, the second run looks in the window it found (its middle, then a
    // quarter of it apart: the first, cold, bracketed its join within 5 s), not on the 30 %
    // backoff of a run with nothing to plan from (eight looks after the first joined).
    expect(looks.length).toBeLessThanOrEqual(4);
    expect((looks.at(-1) ?? Number.NaN) - Number(joined?.created)).toBeLessThanOrEqual(2_500);
  });

  it("shares them between calls made one after the other, within the catalog's minute", async () => {
    const { sim, context } = simulatedContext(sink, { timings: { bootMs: 10_000, joinMs: 5_000 } });
    const provisioner = createProvisioner(context);
    await provisioner.provisionVM({ ...options, name: "first" });
    await provisioner.provisionVM({ ...options, name: "second" });
    expect(requestsTo(sim, "tailscale", "/oauth/token")).toHaveLength(1);
    expect(requestsTo(sim, "hetzner", "/server_types")).toHaveLength(1);
    expect(requestsTo(sim, "hetzner", "/images")).toHaveLength(1);
  });

  it("takes per-call outputs, events and secrets on top of its own", async () => {
    const { context } = simulatedContext(sink);
    const provisioner = createProvisioner(context);
    const call = recorder();
    const secrets: string[] = [];
    const delivered: string[] = [];
    const result = await provisioner.provisionVM(options, {
      onEvent: call.onEvent,
      onSecret: (value) => {
        sink.addSecret(value);
        secrets.push(value);
      },
      outputs: [
        {
          name: "call",
          success: (value, _run, signal) => {
            delivered.push(`${value.serverName} ${signal?.aborted === false}`);
          },
        },
      ],
    });
    expect(delivered).toEqual([`${result.serverName} true`]);
    expect(secrets.some((value) => value.startsWith("tskey-auth-"))).toBe(true);
    expect(call.events.at(-1)).toMatchObject({ type: "result" });
  });

  it("plans with its own clock, so the plan names the server the run will create", async () => {
    const { sim, context } = simulatedContext(sink);
    const provisioner = createProvisioner(context);
    const dryRun = provisioner.plan(options);
    sink.record(dryRun);
    const result = await provisioner.provisionVM(options);
    expect(result.serverName).toBe(dryRun.name);
    expect(sim.state.servers()[0]?.labels).toEqual(dryRun.labels);
  });
});

describe("createProvisioner: separate scopes", () => {
  it("never share a token or a server-type catalog, even with the same credentials and URLs", async () => {
    const first = simulatedContext(sink);
    const second = simulatedContext(sink);
    expect(second.context.hetzner).toMatchObject({ baseUrl: first.sim.hetznerUrl });
    // Only the second cloud is out of cx23 in nbg1: a catalog shared with the first would miss it.
    second.sim.faults.setUnavailable("cx23", "nbg1");
    const pinned = { ...options, serverType: "cx23" };
    const a = await createProvisioner(first.context).provisionVM(pinned);
    const events = recorder();
    const b = await createProvisioner(second.context).provisionVM(pinned, {
      onEvent: events.onEvent,
    });
    expect(a.location).toBe("nbg1");
    expect(b.location).toBe("fsn1");
    expect(events.events).toContainEqual(
      expect.objectContaining({ type: "warning", phase: "placement" }),
    );
    for (const sim of [first.sim, second.sim]) {
      expect(requestsTo(sim, "tailscale", "/oauth/token")).toHaveLength(1);
      expect(requestsTo(sim, "hetzner", "/server_types")).toHaveLength(1);
    }
  });

  it("gives each plain provisionVM call a scope of its own", async () => {
    const { sim, context } = simulatedContext(sink);
    await provisionVM({ ...options, name: "one" }, context);
    await provisionVM({ ...options, name: "two" }, context);
    expect(requestsTo(sim, "tailscale", "/oauth/token")).toHaveLength(2);
    expect(requestsTo(sim, "hetzner", "/server_types")).toHaveLength(2);
  });
});

describe("createProvisioner: retry events", () => {
  it("routes each retry to the run whose request caused it", async () => {
    const { sim, context } = simulatedContext(sink);
    const provisioner = createProvisioner(context);
    const a = recorder();
    const b = recorder();
    let keyOfB: string | undefined;
    const onEventOfB = (event: ProvisionEvent) => {
      b.onEvent(event);
      // Only b's key is rate limited when the runs revoke their keys.
      if (event.type === "resource-created" && event.resource === "auth-key") {
        keyOfB = event.id;
        sim.faults.failNext({
          api: "tailscale",
          method: "DELETE",
          path: new RegExp(`/keys/${event.id}$`),
          status: 429,
          count: 2,
        });
      }
    };
    const [first, second] = await Promise.all([
      provisioner.provisionVM(
        { ...options, agentId: "a", name: "shared-a" },
        { onEvent: a.onEvent },
      ),
      provisioner.provisionVM(
        { ...options, agentId: "b", name: "shared-b" },
        { onEvent: onEventOfB },
      ),
    ]);
    expect(keyOfB).toBeDefined();
    expect(b.retries().map((event) => "path" in event && event.path)).toEqual([
      `/tailnet/-/keys/${keyOfB}`,
      `/tailnet/-/keys/${keyOfB}`,
    ]);
    expect(a.retries()).toEqual([]);
    expect(first.serverId).not.toBe(second.serverId);
  });

  it("gives a retry no single run owns to the provisioner's own handlers", async () => {
    const { sim, context } = simulatedContext(sink);
    const scopeEvents = recorder();
    const provisioner = createProvisioner({ ...context, onEvent: scopeEvents.onEvent });
    sim.faults.failNext({ api: "hetzner", path: "/server_types", status: 429, count: 1 });
    const a = recorder();
    const b = recorder();
    await Promise.all([
      provisioner.provisionVM({ ...options, name: "both-a" }, { onEvent: a.onEvent }),
      provisioner.provisionVM({ ...options, name: "both-b" }, { onEvent: b.onEvent }),
    ]);
    // The listing both runs wait on belongs to neither.
    expect(scopeEvents.retries()).toEqual([
      expect.objectContaining({ api: "hetzner", path: "/server_types", status: 429 }),
    ]);
    expect(a.retries()).toEqual([]);
    expect(b.retries()).toEqual([]);
  });
});
