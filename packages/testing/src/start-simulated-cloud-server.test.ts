import { request as httpRequest } from "node:http";
import { createHetznerClient, systemClock } from "@tailvm/hetzner-client";
import { createTailscaleClient } from "@tailvm/tailscale-client";
import { afterEach, describe, expect, it } from "vitest";
import { apiOf, tailscaleUserData } from "../test/helpers.js";
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
    const api = apiOf(sim);
    const { key } = (await api.createKey({}, access_token)).json;
    const created = await api.hetzner("POST", "/servers", {
      name: "loop",
      server_type: "cx23",
      image: "ubuntu-24.04",
      user_data: tailscaleUserData({ authKey: key, hostname: "loop" }),
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

  it("answers wall-clock timestamps and RateLimit-Reset; only durations are scaled", async () => {
    running = await startSimulatedCloudServer({
      timeScale: 1_000,
      timings: { createActionMs: 10_000, bootMs: 20_000 },
    });
    const sim = running;
    // An hour of simulated time skipped, on top of the scaling: the clock still tells wall time.
    await sim.clock.advance(3_600_000);
    expect(Math.abs(sim.clock.now() - Date.now())).toBeLessThan(1_000);
    const api = apiOf(sim);
    const near = (iso: string) => Math.abs(Date.parse(iso) - Date.now());
    const created = await api.hetzner("POST", "/servers", {
      name: "wall",
      server_type: "cx23",
      image: "debian-12",
    });
    expect(near(created.json.server.created)).toBeLessThan(10_000);
    expect(near(created.json.action.started)).toBeLessThan(10_000);
    expect(Number(created.headers.get("ratelimit-reset")) - Date.now() / 1000).toBeLessThan(10);

    await sim.clock.sleep(10_000); // 10 ms of real time
    const { action } = (await api.hetzner("GET", `/actions/${created.json.action.id}`)).json;
    expect(action.status).toBe("success");
    expect(near(action.finished)).toBeLessThan(10_000);
    expect(Date.parse(action.finished) - Date.parse(action.started)).toBeLessThan(2_000);

    const key = await api.createKey({ expirySeconds: 3_600 });
    const { created: keyCreated, expires } = key.json;
    expect(near(keyCreated)).toBeLessThan(10_000);
    // An hour of simulated lifetime is 3.6 s on the wall clock.
    expect(Date.parse(expires) - Date.parse(keyCreated)).toBeGreaterThanOrEqual(2_000);
    expect(Date.parse(expires) - Date.parse(keyCreated)).toBeLessThanOrEqual(5_000);
    const token = await fetch(`${sim.tailscaleUrl}/oauth/token`, {
      method: "POST",
      body: new URLSearchParams({
        client_id: sim.credentials.tailscaleOAuthClientId,
        client_secret: sim.credentials.tailscaleOAuthClientSecret,
      }),
    });
    expect(((await token.json()) as { expires_in: number }).expires_in).toBe(3);
  });

  it.each([
    ["its clock", "sim"],
    ["the system clock", "system"],
  ] as const)(
    "agrees with an in-process caller on %s about when devices joined",
    async (_, which) => {
      running = await startSimulatedCloudServer({
        timeScale: 100,
        timings: { createActionMs: 0, bootMs: 0, joinMs: 0 },
      });
      const sim = running;
      const clock = which === "sim" ? sim.clock : systemClock;
      const hetzner = createHetznerClient({
        token: sim.credentials.hetznerToken,
        baseUrl: sim.hetznerUrl,
        clock,
      });
      const tailnet = createTailscaleClient({
        auth: { apiKey: sim.credentials.tailscaleApiKey },
        baseUrl: sim.tailscaleUrl,
        clock,
      });
      const startedAt = clock.now();
      const { key } = await tailnet.createAuthKey({ tags: ["tag:ci"] });
      const created = await hetzner.createServer({
        name: "in-order",
        server_type: "cx23",
        image: "ubuntu-24.04",
        user_data: tailscaleUserData({ authKey: key, hostname: "in-order" }),
      });
      // An hour of simulated time is 36 s of real time: room for a loaded machine.
      const ids = [created.action.id, ...created.nextActions.map((next) => next.id)];
      await hetzner.waitForAction(ids, { timeoutMs: 3_600_000 });
      const device = await tailnet.waitForDevice({
        hostname: "in-order",
        createdAfter: startedAt,
        timeoutMs: 3_600_000,
      });
      expect(device.hostname).toBe("in-order");
      expect(sim.state.devices()[0]?.created).toBeGreaterThanOrEqual(startedAt);
    },
  );

  it("gives in-process callers a context that reaches it over real HTTP", async () => {
    const sim = await startSimulatedCloudServer();
    try {
      const context = sim.context({ tailscaleAuth: "oauth" });
      expect(context.hetzner).toEqual({
        token: sim.credentials.hetznerToken,
        baseUrl: sim.hetznerUrl,
      });
      expect(context.tailscale).toEqual({
        auth: {
          oauthClientId: sim.credentials.tailscaleOAuthClientId,
          oauthClientSecret: sim.credentials.tailscaleOAuthClientSecret,
        },
        baseUrl: sim.tailscaleUrl,
      });
      expect(context.clock).toBe(sim.clock);
      expect(sim.context().tailscale.auth).toEqual({ apiKey: sim.credentials.tailscaleApiKey });
      const response = await fetch(`${context.hetzner.baseUrl}/locations`, {
        headers: { Authorization: `Bearer ${context.hetzner.token}` },
      });
      expect(response.status).toBe(200);
      expect(sim.state.requests().map((entry) => entry.path)).toEqual(["/locations"]);
    } finally {
      await sim.close();
    }
  });

  it("resets the connection when a fault says so, and answers 501 outside the APIs", async () => {
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
    expect(missing.status).toBe(501);
    expect(((await missing.json()) as { message: string }).message).toContain(
      "GET /elsewhere is not simulated",
    );
  });
});
