import type { SimulatedCloud } from "@tailvm/testing";
import { describe, expect, it } from "vitest";
import { provisionVM, reap } from "../src/one-shot.js";
import { createProvisioner } from "../src/provisioner.js";
import type { ProvisionOptions } from "../src/types.js";
import {
  createPrivateNetwork,
  failureOf,
  hetznerRequest,
  inputErrorOf,
  removedResources,
} from "./support/provision-helpers.js";
import { allowPublicExposure, openPublicPorts } from "./support/public-exposure-check.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/firewall.test.ts");
const options: ProvisionOptions = { agentId: "agent-42", tailscale: { tags: ["tag:ci"] } };

const posts = (sim: SimulatedCloud, path: RegExp) =>
  sim.state.requests().filter((request) => request.method === "POST" && path.test(request.path));

describe("closed by default", () => {
  it("creates the server with tailvm's firewall, which has no inbound rule", async () => {
    const { sim, context } = simulatedContext(sink);
    const result = await provisionVM(options, context);
    const [firewall] = sim.state.firewalls();
    expect(firewall).toMatchObject({
      name: "tailvm-tailnet-only",
      labels: { "managed-by": "tailvm", "tailvm/firewall": "tailnet-only" },
      rules: [],
      appliedTo: [result.serverId],
    });
    expect(sim.state.servers()[0]?.firewalls).toEqual([firewall?.id]);
    expect(openPublicPorts(sim)).toEqual({});
    // The firewall is settled before the key is minted, and applied in the create itself.
    const order = sim.state
      .requests()
      .filter((request) => request.method === "POST")
      .map((request) => request.path);
    expect(order.indexOf("/firewalls")).toBeLessThan(order.indexOf("/tailnet/-/keys"));
  });

  it("shares one firewall between concurrent runs of one provisioner, and of two", async () => {
    const { sim, context } = simulatedContext(sink);
    const provisioner = createProvisioner(context);
    await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        provisioner.provisionVM({ ...options, name: `fleet-${index}` }),
      ),
    );
    expect(posts(sim, /^\/firewalls$/)).toHaveLength(1);
    const others = [createProvisioner(context), createProvisioner(context)];
    await Promise.all(
      others.map((other, index) => other.provisionVM({ ...options, name: `other-${index}` })),
    );
    const [firewall, ...more] = sim.state.firewalls();
    expect(more).toEqual([]);
    expect(firewall?.appliedTo).toHaveLength(7);
  });

  it("resolves two processes creating the firewall at once by reading it again", async () => {
    const { sim, context } = simulatedContext(sink);
    const runs = [createProvisioner(context), createProvisioner(context)].map(
      (provisioner, index) => provisioner.provisionVM({ ...options, name: `racer-${index}` }),
    );
    await Promise.all(runs);
    const created = posts(sim, /^\/firewalls$/).map((request) => request.status);
    expect(created.sort()).toEqual([201, 409]);
    expect(sim.state.firewalls()).toHaveLength(1);
  });

  it("keeps the firewall on rollback; reap() removes it once nothing uses it", async () => {
    const { sim, context } = simulatedContext(sink);
    const kept = await provisionVM({ ...options, name: "kept", ttl: "30m" }, context);
    sim.faults.deviceNeverJoins({ hostname: "fails" });
    await failureOf(
      sink,
      provisionVM({ ...options, name: "fails", timeouts: { deviceJoin: 60_000 } }, context),
    );
    expect(sim.state.servers().map((server) => server.id)).toEqual([kept.serverId]);
    expect(sim.state.firewalls()[0]?.appliedTo).toEqual([kept.serverId]);

    const early = await reap({}, context);
    expect(early.firewalls).toEqual([]);
    expect(sim.state.firewalls()).toHaveLength(1);

    const now = sim.clock.now() + 3600_000;
    const dryRun = await reap({ now, dryRun: true }, context);
    expect(dryRun.firewalls.map((firewall) => firewall.name)).toEqual(["tailvm-tailnet-only"]);
    expect(sim.state.firewalls()).toHaveLength(1);
    const report = await reap({ now }, context);
    // The ephemeral device went with its server.
    expect(removedResources(report.cleanup)).toEqual(["firewall", "server"]);
    expect(sim.state.firewalls()).toEqual([]);
  });

  it("looks the firewall up again after reap() deleted it", async () => {
    const { sim, context } = simulatedContext(sink);
    const provisioner = createProvisioner(context);
    const first = await provisioner.provisionVM({ ...options, name: "first", ttl: "30m" });
    await provisioner.reap({ now: sim.clock.now() + 3600_000 });
    expect(sim.state.firewalls()).toEqual([]);
    const second = await provisioner.provisionVM({ ...options, name: "second" });
    expect(second.serverId).not.toBe(first.serverId);
    expect(sim.state.firewalls()[0]?.appliedTo).toEqual([second.serverId]);
  });

  it("finds or creates the firewall again when another process's reap() deleted it", async () => {
    const { sim, context } = simulatedContext(sink);
    const warnings: string[] = [];
    const provisioner = createProvisioner({
      ...context,
      onEvent: (event) => {
        if (event.type === "warning") warnings.push(event.message);
        context.onEvent?.(event);
      },
    });
    await provisioner.provisionVM({ ...options, name: "first", ttl: "30m" });
    const [deleted] = sim.state.firewalls();
    // Another process: its reap() removes the expired server, then the unused firewall.
    await createProvisioner(context).reap({ now: sim.clock.now() + 3600_000 });
    expect(sim.state.firewalls()).toEqual([]);

    const second = await provisioner.provisionVM({ ...options, name: "second" });
    const [firewall, ...more] = sim.state.firewalls();
    expect(more).toEqual([]);
    expect(firewall?.id).not.toBe(deleted?.id);
    expect(firewall).toMatchObject({ name: "tailvm-tailnet-only", appliedTo: [second.serverId] });
    expect(posts(sim, /^\/servers$/).map((request) => request.status)).toEqual([201, 422, 201]);
    expect(posts(sim, /^\/firewalls$/)).toHaveLength(2);
    expect(warnings).toEqual([
      expect.stringContaining(`tailvm-tailnet-only (${deleted?.id}) no longer exists`),
    ]);
    expect(openPublicPorts(sim)).toEqual({});
  });

  it("keeps the firewall when the create was refused for something else", async () => {
    const { sim, context } = simulatedContext(sink);
    const provisioner = createProvisioner(context);
    await provisioner.provisionVM({ ...options, name: "first" });
    const error = await failureOf(
      sink,
      provisioner.provisionVM({ ...options, name: "second", sshKeys: ["missing-key"] }),
    );
    expect(error).toMatchObject({ phase: "create-server" });
    expect(posts(sim, /^\/servers$/).map((request) => request.status)).toEqual([201, 422]);
    expect(posts(sim, /^\/firewalls$/)).toHaveLength(1);
  });

  it("refuses a firewall of the same name that is not tailvm's, before minting a key", async () => {
    const { sim, context } = simulatedContext(sink);
    await hetznerRequest(sim, "POST", "/firewalls", {
      name: "tailvm-tailnet-only",
      rules: [{ direction: "in", protocol: "tcp", port: "22", source_ips: ["0.0.0.0/0"] }],
    });
    const error = await failureOf(sink, provisionVM(options, context));
    expect(error).toMatchObject({ phase: "firewall", code: "firewall_conflict" });
    expect(sim.state.authKeys()).toEqual([]);
    expect(sim.state.servers()).toEqual([]);
  });
});

describe("asking for a public door", () => {
  it("publicAccess.ssh opens TCP 22 and nothing else", async () => {
    const { sim, context } = simulatedContext(sink);
    allowPublicExposure(sim);
    const result = await provisionVM({ ...options, publicAccess: { ssh: true } }, context);
    expect(openPublicPorts(sim)).toEqual({ [result.serverId]: ["tcp/22"] });
    expect(sim.state.firewalls().map((firewall) => firewall.name)).toEqual(["tailvm-public-ssh"]);
  });

  it("applies the user's own firewalls instead of tailvm's", async () => {
    const { sim, context } = simulatedContext(sink);
    const { firewall } = await hetznerRequest(sim, "POST", "/firewalls", { name: "mine" });
    await provisionVM({ ...options, firewalls: [firewall.id] }, context);
    expect(sim.state.servers()[0]?.firewalls).toEqual([firewall.id]);
    expect(sim.state.firewalls().map((item) => item.name)).toEqual(["mine"]);
  });

  it("refuses a firewall id that does not exist before minting a key", async () => {
    const { sim, context } = simulatedContext(sink);
    const error = await failureOf(sink, provisionVM({ ...options, firewalls: [424242] }, context));
    expect(error).toMatchObject({ phase: "firewall", code: "invalid_input" });
    expect(error.message).toContain("firewalls: 424242 does not exist");
    expect(sim.state.authKeys()).toEqual([]);
    expect(sim.state.servers()).toEqual([]);
  });
});

describe("public addresses", () => {
  it("creates an IPv6-only server that joins the tailnet", async () => {
    const { sim, context } = simulatedContext(sink);
    const result = await provisionVM({ ...options, publicNet: { ipv4: false } }, context);
    expect(result.serverIpv4).toBeNull();
    expect(result.serverIpv6).toMatch(/^2a01:/);
    expect(sim.state.servers()[0]?.public_net.ipv4).toBeNull();
    expect(sim.state.devices()).toHaveLength(1);
  });

  it("creates a server with no public IP on a private network", async () => {
    const { sim, context } = simulatedContext(sink);
    const network = await createPrivateNetwork(sim);
    const result = await provisionVM(
      { ...options, publicNet: { ipv4: false, ipv6: false }, networks: [network] },
      context,
    );
    expect(result.serverIpv4).toBeNull();
    expect(result.serverIpv6).toBeNull();
    expect(sim.state.servers()[0]?.networks).toEqual([network]);
    expect(sim.state.publicExposure(result.serverId)[0]?.addresses).toEqual([]);
  });

  it("refuses a private network that does not exist before creating anything", async () => {
    const { sim, context } = simulatedContext(sink);
    const network = await createPrivateNetwork(sim);
    const error = await inputErrorOf(
      sink,
      provisionVM({ ...options, publicNet: { ipv4: false }, networks: [network, 424242] }, context),
    );
    expect(error.phase).toBe("placement");
    expect(error.issues).toEqual([
      { field: "networks[1]", message: expect.stringContaining("network 424242 does not exist") },
    ]);
    expect(posts(sim, /^\/(firewalls|servers)$/)).toEqual([]);
    expect(sim.state.firewalls()).toEqual([]);
    expect(sim.state.authKeys()).toEqual([]);
    expect(sim.state.servers()).toEqual([]);
  });

  it("refuses options with no way out, or a public door with the user's firewalls, before any request", async () => {
    const { sim, context } = simulatedContext(sink);
    const cases: [Partial<ProvisionOptions>, string[]][] = [
      [{ publicNet: { ipv4: false, ipv6: false } }, ["publicNet"]],
      [{ publicAccess: { ssh: true }, firewalls: [1] }, ["publicAccess"]],
      [{ firewalls: [], networks: [0] }, ["firewalls", "networks[0]"]],
      [{ publicNet: { ipv4: "no" } as never }, ["publicNet.ipv4"]],
    ];
    for (const [extra, fields] of cases) {
      const error = await inputErrorOf(sink, provisionVM({ ...options, ...extra }, context));
      expect(error.issues.map((issue) => issue.field)).toEqual(fields);
    }
    expect(sim.state.requests()).toEqual([]);
  });
});
