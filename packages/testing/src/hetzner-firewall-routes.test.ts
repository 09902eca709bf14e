import { createVirtualClock } from "@tailvm/internal/test";
import { describe, expect, it } from "vitest";
import { apiOf, tailscaleUserData } from "../test/helpers.js";
import { createSimulatedCloud } from "./create-simulated-cloud.js";

const setup = () => {
  const clock = createVirtualClock({ autoAdvance: false });
  const sim = createSimulatedCloud({ clock });
  return { sim, clock, api: apiOf(sim) };
};

const SSH_RULE = {
  direction: "in",
  protocol: "tcp",
  port: "22",
  source_ips: ["0.0.0.0/0", "::/0"],
};

describe("Hetzner firewalls", () => {
  it("creates, lists by name and label, and refuses a duplicate name with uniqueness_error", async () => {
    const { api } = setup();
    const created = await api.hetzner("POST", "/firewalls", {
      name: "closed",
      labels: { "managed-by": "tailvm" },
    });
    expect(created.status).toBe(201);
    expect(created.json.firewall).toMatchObject({ name: "closed", rules: [], applied_to: [] });
    expect(created.json.actions).toEqual([]);
    const duplicate = await api.hetzner("POST", "/firewalls", { name: "closed" });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json.error.code).toBe("uniqueness_error");
    const byLabel = await api.hetzner("GET", "/firewalls?label_selector=managed-by%3Dtailvm");
    expect(byLabel.json.firewalls.map((firewall: { name: string }) => firewall.name)).toEqual([
      "closed",
    ]);
    expect((await api.hetzner("GET", "/firewalls?name=other")).json.firewalls).toEqual([]);
  });

  it("refuses rules Hetzner refuses, naming the field", async () => {
    const { api } = setup();
    const bad = await api.hetzner("POST", "/firewalls", {
      name: "bad",
      rules: [{ direction: "in", protocol: "tcp", source_ips: ["0.0.0.0/0"] }],
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error.details.fields).toEqual([
      { name: "rules[0].port", messages: [expect.stringContaining("required for tcp")] },
    ]);
  });

  it("applies at create, reports applied_to, and refuses to delete one in use", async () => {
    const { api, sim } = setup();
    const firewall = (await api.hetzner("POST", "/firewalls", { name: "closed" })).json.firewall;
    const server = await api.createServer({ name: "vm-1", firewalls: [{ firewall: firewall.id }] });
    expect(server.status).toBe(201);
    expect(server.json.server.public_net.firewalls).toEqual([
      { id: firewall.id, status: "applied" },
    ]);
    const read = await api.hetzner("GET", `/firewalls/${firewall.id}`);
    expect(read.json.firewall.applied_to).toEqual([
      { type: "server", server: { id: server.json.server.id } },
    ]);
    const inUse = await api.hetzner("DELETE", `/firewalls/${firewall.id}`);
    expect(inUse.status).toBe(422);
    expect(inUse.json.error.code).toBe("resource_in_use");
    await api.hetzner("DELETE", `/servers/${server.json.server.id}`);
    expect((await api.hetzner("DELETE", `/firewalls/${firewall.id}`)).status).toBe(204);
    expect(sim.state.firewalls()).toEqual([]);
  });

  it("refuses a create naming a firewall or network that does not exist", async () => {
    const { api } = setup();
    const created = await api.createServer({
      name: "vm-1",
      firewalls: [{ firewall: 999 }],
      networks: [998],
    });
    expect(created.status).toBe(422);
    expect(created.json.error.details.fields.map((field: { name: string }) => field.name)).toEqual([
      "firewalls",
      "networks",
    ]);
  });
});

describe("public exposure", () => {
  it("records every port open to the internet over a server's life, after its delete too", async () => {
    const { api, sim } = setup();
    const closed = (await api.hetzner("POST", "/firewalls", { name: "closed" })).json.firewall;
    const ssh = (await api.hetzner("POST", "/firewalls", { name: "ssh", rules: [SSH_RULE] })).json
      .firewall;
    const open = (await api.createServer({ name: "open" })).json.server;
    const shut = (await api.createServer({ name: "shut", firewalls: [{ firewall: closed.id }] }))
      .json.server;
    const withSsh = (
      await api.createServer({
        name: "with-ssh",
        firewalls: [{ firewall: closed.id }, { firewall: ssh.id }],
      })
    ).json.server;
    await api.hetzner("DELETE", `/servers/${open.id}`);
    const openPorts = (id: number) => sim.state.publicExposure(id).flatMap((period) => period.open);
    expect(openPorts(open.id)).toEqual(["any"]);
    expect(openPorts(shut.id)).toEqual([]);
    expect(openPorts(withSsh.id)).toEqual(["tcp/22"]);
    expect(sim.state.publicExposure(shut.id)[0]?.addresses).toHaveLength(2);
    expect(sim.state.serverIdsEverCreated()).toEqual([open.id, shut.id, withSsh.id]);
  });

  it("creates an IPv6-only server without ipv4 in the answer", async () => {
    const { api, sim } = setup();
    const created = await api.createServer({
      name: "v6",
      public_net: { enable_ipv4: false, enable_ipv6: true },
    });
    expect(created.json.server.public_net.ipv4).toBeNull();
    expect(created.json.server.public_net.ipv6.ip).toMatch(/^2a01:/);
    expect(sim.state.publicExposure(created.json.server.id)[0]?.addresses).toEqual([
      created.json.server.public_net.ipv6.ip,
    ]);
  });

  it("a server with no public IP joins the tailnet only through a private network", async () => {
    const { api, sim, clock } = setup();
    const network = (
      await api.hetzner("POST", "/networks", { name: "private", ip_range: "10.0.0.0/16" })
    ).json.network;
    expect((await api.hetzner("GET", `/networks/${network.id}`)).json.network.id).toBe(network.id);
    const noPublic = { enable_ipv4: false, enable_ipv6: false };
    for (const [name, networks] of [
      ["isolated", undefined],
      ["on-network", [network.id]],
    ] as const) {
      const key = (await api.createKey()).json.key;
      await api.createServer({
        name,
        public_net: noPublic,
        ...(networks ? { networks } : {}),
        user_data: tailscaleUserData({ authKey: key, hostname: name }),
      });
    }
    await clock.advance(600_000);
    expect(sim.state.devices().map((device) => device.hostname)).toEqual(["on-network"]);
    const isolated = sim.state.servers().find((server) => server.name === "isolated");
    expect(isolated?.bootProblem).toContain("no public IP and no private network");
    expect(sim.state.servers().find((server) => server.name === "on-network")?.networks).toEqual([
      network.id,
    ]);
  });
});
