import { render, secret, tailscale } from "@tailvm/cloud-init";
import { createHetznerClient, isHetznerApiError } from "@tailvm/hetzner-client";
import { createTailscaleClient } from "@tailvm/tailscale-client";
import { describe, expect, it } from "vitest";
import { createSimulatedCloud } from "../src/create-simulated-cloud.js";

const clientsFor = (sim: ReturnType<typeof createSimulatedCloud>) => {
  const { hetzner, tailscale, clock } = sim.context({ tailscaleAuth: "oauth" });
  return {
    hetzner: createHetznerClient({ ...hetzner, clock }),
    tailscale: createTailscaleClient({ ...tailscale, clock }),
  };
};

describe("the tailvm clients and cloud-init against the simulator", () => {
  it("create a key, render user data, create a server and see its device join", async () => {
    const sim = createSimulatedCloud();
    const { hetzner, tailscale: tailnet } = clientsFor(sim);
    const { id, key } = await tailnet.createAuthKey({ tags: ["tag:ci"] });
    const userData = render(
      tailscale({ authKey: secret(key), hostname: "ci-1", tags: ["tag:ci"] }),
    );
    const created = await hetzner.createServer({
      name: "ci-1",
      server_type: "cx23",
      image: "ubuntu-24.04",
      location: "fsn1",
      user_data: userData,
      labels: { "tailvm.dev/agent": "a1" },
    });
    await hetzner.waitForAction([
      created.action.id,
      ...created.nextActions.map((action) => action.id),
    ]);
    expect((await hetzner.getServer(created.server.id)).status).toBe("running");
    const device = await tailnet.waitForDevice({
      hostname: "ci-1",
      tags: ["tag:ci"],
      timeoutMs: 120_000,
    });
    expect(device.ipv4).toMatch(/^100\./);
    expect(device.ipv6).toMatch(/^fd7a:115c:a1e0:/);
    expect(await tailnet.deleteAuthKey(id)).toEqual({ deleted: true });
    expect(await hetzner.listServers({ labelSelector: "tailvm.dev/agent=a1" })).toHaveLength(1);
    expect((await hetzner.deleteServer(created.server.id)).deleted).toBe(true);
    expect(await hetzner.findServer(created.server.id)).toBeUndefined();
    expect(sim.state.validAuthKeys()).toEqual([]);
    expect(sim.state.devices()).toEqual([]);
  });

  it("boot what @tailvm/cloud-init renders only when its apt repository matches the image", async () => {
    const sim = createSimulatedCloud();
    const { hetzner, tailscale: tailnet } = clientsFor(sim);
    const cases = [
      { name: "ubuntu-default", image: "ubuntu-24.04", options: {} },
      { name: "debian-default", image: "debian-12", options: {} },
      { name: "debian-debian", image: "debian-12", options: { distribution: "debian" } },
      { name: "exit-node", image: "ubuntu-22.04", options: { exitNode: true, timeoutSeconds: 60 } },
    ] as const;
    for (const { name, image, options } of cases) {
      const { key } = await tailnet.createAuthKey({ tags: ["tag:ci"] });
      const userData = render(
        tailscale({ authKey: secret(key), hostname: name, tags: ["tag:ci"], ...options }),
      );
      await hetzner.createServer({
        name,
        server_type: "cx23",
        image,
        location: "fsn1",
        user_data: userData,
      });
    }
    await sim.clock.advance(120_000);
    expect(
      sim.state
        .devices()
        .map((device) => device.hostname)
        .sort(),
    ).toEqual(["debian-debian", "exit-node", "ubuntu-default"]);
    expect(
      Object.fromEntries(sim.state.servers().map((server) => [server.name, server.bootProblem])),
    ).toEqual({
      "ubuntu-default": null,
      "debian-default":
        "tailscale is not installed when tailscale up runs: the apt source is for ubuntu but the image is debian-12 (use https://pkgs.tailscale.com/stable/debian)",
      "debian-debian": null,
      "exit-node": null,
    });
  });

  it("the Hetzner client sees uniqueness_error and retries a GET through a 502 fault", async () => {
    const sim = createSimulatedCloud();
    const { hetzner } = clientsFor(sim);
    const body = { name: "twice", server_type: "cpx12", image: "debian-12", location: "hil" };
    await hetzner.createServer(body);
    const error = await hetzner.createServer(body).catch((caught: unknown) => caught);
    expect(isHetznerApiError(error, "uniqueness_error")).toBe(true);
    sim.faults.failNext({ api: "hetzner", method: "GET", path: "/servers", status: 502 });
    expect(await hetzner.listServers()).toHaveLength(1);
    expect(
      sim.state.requests().filter((entry) => entry.path === "/servers" && entry.method === "GET"),
    ).toHaveLength(2);
  });
});
