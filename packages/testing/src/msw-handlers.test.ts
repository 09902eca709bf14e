import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { tailscaleUserData } from "../test/helpers.js";
import { createSimulatedCloud } from "./create-simulated-cloud.js";
import { createMswHandlers } from "./msw.js";

const sim = createSimulatedCloud();
const server = setupServer(...createMswHandlers(sim));

beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => {
  server.resetHandlers();
  sim.state.reset();
});
afterAll(() => server.close());

const hetznerHeaders = {
  Authorization: `Bearer ${sim.credentials.hetznerToken}`,
  "Content-Type": "application/json",
};
const tailscaleHeaders = {
  Authorization: `Bearer ${sim.credentials.tailscaleApiKey}`,
  "Content-Type": "application/json",
};

describe("MSW handlers on the global fetch", () => {
  it("provisions a server that joins the tailnet", async () => {
    const keyResponse = await fetch(`${sim.tailscaleUrl}/tailnet/-/keys`, {
      method: "POST",
      headers: tailscaleHeaders,
      body: JSON.stringify({
        capabilities: { devices: { create: { tags: ["tag:ci"], ephemeral: true } } },
      }),
    });
    const { key } = (await keyResponse.json()) as { key: string };
    const created = await fetch("https://api.hetzner.cloud/v1/servers", {
      method: "POST",
      headers: hetznerHeaders,
      body: JSON.stringify({
        name: "msw-box",
        server_type: "cpx12",
        image: "ubuntu-24.04",
        location: "ash",
        user_data: tailscaleUserData({ authKey: key, hostname: "msw-box", tags: ["tag:ci"] }),
      }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("RateLimit-Limit")).toBe("3600");

    await sim.clock.sleep(55_000);
    const devices = await fetch(`${sim.tailscaleUrl}/tailnet/-/devices`, {
      headers: tailscaleHeaders,
    });
    const body = (await devices.json()) as { devices: { hostname: string; tags: string[] }[] };
    expect(body.devices).toEqual([
      expect.objectContaining({ hostname: "msw-box", tags: ["tag:ci"] }),
    ]);
  });

  it("turns a connection reset into a rejected fetch", async () => {
    sim.faults.resetConnection({ api: "tailscale", path: "/tailnet/-/devices" });
    await expect(
      fetch(`${sim.tailscaleUrl}/tailnet/-/devices`, { headers: tailscaleHeaders }),
    ).rejects.toThrow();
    expect(sim.state.requests().at(-1)).toMatchObject({ path: "/tailnet/-/devices", status: 0 });
  });
});
