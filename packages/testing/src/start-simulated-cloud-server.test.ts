import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { tailscaleUserData } from "../test/helpers.js";
import {
  type SimulatedCloudServer,
  startSimulatedCloudServer,
} from "./start-simulated-cloud-server.js";

let running: SimulatedCloudServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe("startSimulatedCloudServer", () => {
  it("answers real HTTP on 127.0.0.1 and boots servers on scaled time", async () => {
    running = await startSimulatedCloudServer({
      timeScale: 1_000,
      timings: { bootMs: 20_000, createActionMs: 5_000, joinMs: 10_000 },
    });
    const sim = running;
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.hetznerUrl).toBe(`${sim.url}/v1`);
    expect(sim.tailscaleUrl).toBe(`${sim.url}/api/v2`);

    const token = await fetch(`${sim.tailscaleUrl}/oauth/token`, {
      method: "POST",
      body: new URLSearchParams({
        client_id: sim.credentials.tailscaleOAuthClientId,
        client_secret: sim.credentials.tailscaleOAuthClientSecret,
        grant_type: "client_credentials",
      }),
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const keyResponse = await fetch(`${sim.tailscaleUrl}/tailnet/-/keys`, {
      method: "POST",
      headers: { Authorization: `Bearer ${access_token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ capabilities: { devices: { create: { tags: ["tag:ci"] } } } }),
    });
    const { key } = (await keyResponse.json()) as { key: string };
    const created = await fetch(`${sim.hetznerUrl}/servers`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${sim.credentials.hetznerToken}`,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({
        name: "loop",
        server_type: "cx22",
        image: "ubuntu-24.04",
        user_data: tailscaleUserData({ authKey: key, hostname: "loop" }),
      }),
    });
    expect(created.status).toBe(201);
    expect(Number(created.headers.get("ratelimit-remaining"))).toBeLessThanOrEqual(3600);
    expect(created.headers.get("ratelimit-limit")).toBe("3600");

    await sim.clock.sleep(30_000);
    expect(sim.state.devices().map((device) => device.hostname)).toEqual(["loop"]);
    expect(
      sim.state.requests().map((entry) => `${entry.method} ${entry.path} ${entry.status}`),
    ).toEqual(["POST /oauth/token 200", "POST /tailnet/-/keys 200", "POST /servers 201"]);
  });

  it("resets the connection when a fault says so, and answers 404 outside the APIs", async () => {
    running = await startSimulatedCloudServer();
    const sim = running;
    sim.faults.resetConnection({ api: "hetzner", path: "/servers" });
    const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const outgoing = httpRequest(`${sim.hetznerUrl}/servers`, {
        headers: { Authorization: `Bearer ${sim.credentials.hetznerToken}` },
      });
      outgoing.on("response", () => reject(new Error("expected a reset, got a response")));
      outgoing.on("error", resolve);
      outgoing.end();
    });
    expect(error.code).toBe("ECONNRESET");
    const missing = await fetch(`${sim.url}/elsewhere`);
    expect(missing.status).toBe(404);
  });
});
