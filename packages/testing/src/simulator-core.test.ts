import { createVirtualClock } from "@tailvm/internal/test";
import { describe, expect, it } from "vitest";
import { apiOf, tailscaleUserData } from "../test/helpers.js";
import { createSimulatedCloud } from "./create-simulated-cloud.js";
import { SimulatedCloudError } from "./errors.js";

const setup = (options: Parameters<typeof createSimulatedCloud>[0] = {}) => {
  const clock = createVirtualClock({ autoAdvance: false });
  const sim = createSimulatedCloud({ clock, ...options });
  return { clock, sim, api: apiOf(sim) };
};

describe("Hetzner rate limit", () => {
  it("sends RateLimit headers on every answer and answers 429 when the bucket is empty", async () => {
    const { api, clock } = setup({ rateLimit: { limit: 3, refillPerSecond: 1 } });
    const start = Math.ceil(clock.now() / 1000);
    const first = await api.hetzner("GET", "/servers");
    expect(first.headers.get("RateLimit-Limit")).toBe("3");
    expect(first.headers.get("RateLimit-Remaining")).toBe("2");
    expect(Number(first.headers.get("RateLimit-Reset"))).toBe(start + 1);
    await api.hetzner("GET", "/servers");
    const third = await api.hetzner("GET", "/locations");
    expect(third.headers.get("RateLimit-Remaining")).toBe("0");
    expect(Number(third.headers.get("RateLimit-Reset"))).toBe(start + 3);
    const refused = await api.hetzner("GET", "/servers");
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe("rate_limit_exceeded");
    expect(refused.headers.get("RateLimit-Remaining")).toBe("0");

    await clock.advance(1_000);
    const refilled = await api.hetzner("GET", "/servers");
    expect(refilled.status).toBe(200);
    expect(refilled.headers.get("RateLimit-Remaining")).toBe("0");
    expect((await api.hetzner("GET", "/servers")).status).toBe(429);
  });

  it("takes from the bucket for requests that fail the token check too", async () => {
    const { api } = setup({ rateLimit: { limit: 3, refillPerSecond: 1 } });
    const wrong = await api.hetzner("GET", "/servers", undefined, "wrong-token");
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("RateLimit-Remaining")).toBe("2");
    await api.hetzner("GET", "/servers", undefined, "wrong-token");
    expect((await api.hetzner("GET", "/servers")).headers.get("RateLimit-Remaining")).toBe("0");
    const refused = await api.hetzner("GET", "/servers", undefined, "wrong-token");
    expect(refused.status).toBe(429);
    expect((await api.hetzner("GET", "/servers")).status).toBe(429);
  });

  it("defaults to a bucket of 3600", async () => {
    const { api } = setup();
    const response = await api.hetzner("GET", "/servers");
    expect(response.headers.get("RateLimit-Limit")).toBe("3600");
    expect(response.headers.get("RateLimit-Remaining")).toBe("3599");
  });
});

describe("faults", () => {
  it.each([429, 500, 502, 503] as const)(
    "failNext answers %i for the next N matching calls",
    async (status) => {
      const { api, sim } = setup();
      sim.faults.failNext({ api: "hetzner", method: "GET", path: "/servers", status, count: 2 });
      const first = await api.hetzner("GET", "/servers");
      expect(first.status).toBe(status);
      expect(first.json.error.code).toBe(
        { 429: "rate_limit_exceeded", 500: "server_error", 502: "bad_gateway", 503: "unavailable" }[
          status
        ],
      );
      expect((await api.hetzner("GET", "/locations")).status).toBe(200);
      expect((await api.hetzner("GET", "/servers")).status).toBe(status);
      expect((await api.hetzner("GET", "/servers")).status).toBe(200);
    },
  );

  it("failNext matches path templates and RegExps, with a custom code, on Tailscale too", async () => {
    const { api, sim } = setup();
    sim.faults.failNext({
      api: "hetzner",
      path: "/servers/{id}",
      status: 503,
      code: "maintenance",
    });
    sim.faults.failNext({ api: "tailscale", path: /\/devices$/, status: 502 });
    const server = await api.hetzner("GET", "/servers/123");
    expect(server.json.error.code).toBe("maintenance");
    const devices = await api.tailscale("GET", "/tailnet/-/devices");
    expect(devices.status).toBe(502);
    expect(devices.json.message).toBeTypeOf("string");
    expect((await api.tailscale("GET", "/tailnet/-/devices")).status).toBe(200);
  });

  it("a 429 fault carries a near RateLimit-Reset and Retry-After", async () => {
    const { api, sim, clock } = setup();
    sim.faults.failNext({ api: "hetzner", path: "/servers", status: 429 });
    const response = await api.hetzner("GET", "/servers");
    expect(response.headers.get("Retry-After")).toBe("1");
    expect(Number(response.headers.get("RateLimit-Reset"))).toBe(Math.ceil(clock.now() / 1000) + 1);
  });

  it("resetConnection makes fetch reject, then recovers", async () => {
    const { api, sim } = setup();
    sim.faults.resetConnection({ api: "hetzner", method: "POST", path: "/servers" });
    await expect(api.createServer({ name: "x" })).rejects.toThrow(TypeError);
    expect(sim.state.servers()).toEqual([]);
    expect((await api.createServer({ name: "x" })).status).toBe(201);
    expect(sim.state.requests().map((entry) => entry.status)).toEqual([0, 201]);
  });

  it("failNextAction ends the create action in error and the server never runs", async () => {
    const { api, sim, clock } = setup();
    sim.faults.failNextAction({ code: "server_create_failed" });
    const created = await api.createServer({ name: "doomed", user_data: "#cloud-config\n" });
    await clock.advance(60_000);
    const action = await api.hetzner("GET", `/actions/${created.json.action.id}`);
    expect(action.json.action.status).toBe("error");
    expect(action.json.action.error.code).toBe("server_create_failed");
    expect(sim.state.servers()[0]?.status).toBe("off");
    const next = await api.createServer({ name: "fine" });
    await clock.advance(10_000);
    expect((await api.hetzner("GET", `/actions/${next.json.action.id}`)).json.action.status).toBe(
      "success",
    );
  });

  it("failNextAction can target delete_server", async () => {
    const { api, sim, clock } = setup();
    const created = await api.createServer({ name: "sticky" });
    sim.faults.failNextAction({ command: "delete_server" });
    const deleted = await api.hetzner("DELETE", `/servers/${created.json.server.id}`);
    await clock.advance(10_000);
    const action = await api.hetzner("GET", `/actions/${deleted.json.action.id}`);
    expect(action.json.action.status).toBe("error");
    expect(sim.state.servers()).toHaveLength(1);
  });

  it("serverNeverRuns keeps a named server initializing", async () => {
    const { api, sim, clock } = setup();
    sim.faults.serverNeverRuns({ name: "stuck" });
    await api.createServer({ name: "stuck" });
    await api.createServer({ name: "ok" });
    await clock.advance(600_000);
    const statuses = Object.fromEntries(
      sim.state.servers().map((server) => [server.name, server.status]),
    );
    expect(statuses).toEqual({ stuck: "initializing", ok: "running" });
  });

  it("deviceNeverJoins keeps a valid key from ever producing a device", async () => {
    const { api, sim, clock } = setup();
    sim.faults.deviceNeverJoins({ hostname: "ghost" });
    const { key } = (await api.createKey({ reusable: true })).json;
    for (const name of ["ghost", "real"]) {
      await api.createServer({
        name,
        user_data: tailscaleUserData({ authKey: key, hostname: name }),
      });
    }
    await clock.advance(600_000);
    expect(sim.state.devices().map((device) => device.hostname)).toEqual(["real"]);
  });

  it("tokenEndpointFails answers the token endpoint with the status, count times", async () => {
    const { sim } = setup();
    sim.faults.tokenEndpointFails({ status: 503, count: 2 });
    const ask = () =>
      sim.fetch(`${sim.tailscaleUrl}/oauth/token`, {
        method: "POST",
        body: new URLSearchParams({
          client_id: sim.credentials.tailscaleOAuthClientId,
          client_secret: sim.credentials.tailscaleOAuthClientSecret,
        }),
      });
    expect((await ask()).status).toBe(503);
    expect((await ask()).status).toBe(503);
    expect((await ask()).status).toBe(200);
  });

  it("clear removes every fault", async () => {
    const { api, sim } = setup();
    sim.faults.failNext({ api: "hetzner", path: "/servers", status: 500, count: 5 });
    sim.faults.setUnavailable("cx23", "nbg1");
    sim.faults.clear();
    expect((await api.hetzner("GET", "/servers")).status).toBe(200);
    expect((await api.createServer({ name: "n" })).status).toBe(201);
  });

  it("refuses bad options with a SimulatedCloudError naming the field", () => {
    expect(() => createSimulatedCloud({ rateLimit: { limit: 0 } })).toThrow(SimulatedCloudError);
    expect(() => createSimulatedCloud({ rateLimit: { limit: 0 } })).toThrow(/rateLimit\.limit/);
  });

  it("refuses a fault count that is not a positive integer", () => {
    const { sim } = setup();
    expect(() =>
      sim.faults.failNext({ api: "hetzner", path: "/servers", status: 500, count: 0 }),
    ).toThrow(/count must be a positive integer/);
  });
});

describe("latency and the request log", () => {
  it("adds per-endpoint latency on the simulated clock", async () => {
    const sim = createSimulatedCloud({
      timings: { latencyMs: { "POST /servers": 750, "*": 20 } },
    });
    const api = apiOf(sim);
    const before = sim.clock.now();
    await api.hetzner("GET", "/servers");
    expect(sim.clock.now() - before).toBe(20);
    await api.createServer({ name: "slow" });
    expect(sim.clock.now() - before).toBe(770);
  });

  it("logs every request with api, method, path, status and time", async () => {
    const { api, sim, clock } = setup();
    await api.hetzner("GET", "/servers?page=1");
    await clock.advance(5);
    await api.tailscale("GET", "/tailnet/-/devices", undefined, "bad");
    expect(sim.state.requests()).toEqual([
      { api: "hetzner", method: "GET", path: "/servers", status: 200, time: clock.now() - 5 },
      {
        api: "tailscale",
        method: "GET",
        path: "/tailnet/-/devices",
        status: 401,
        time: clock.now(),
      },
    ]);
    sim.state.reset();
    expect(sim.state.requests()).toEqual([]);
  });

  it("answers 501 with a body saying so for every route it does not simulate", async () => {
    const { api } = setup();
    for (const [method, path] of [
      ["GET", "/volumes"],
      ["PUT", "/servers"],
      ["PUT", "/servers/1"],
      ["POST", "/servers/1/actions/poweroff"],
      ["GET", "/nothing/at/all"],
    ] as const) {
      const answer = await api.hetzner(method, path);
      expect(answer.status, `${method} ${path}`).toBe(501);
      expect(answer.json.error.code).toBe("not_implemented");
      expect(answer.json.error.message).toContain(`${method} ${path} is not simulated`);
    }
    const tailscale = await api.tailscale("GET", "/tailnet/-/acl");
    expect(tailscale.status).toBe(501);
    expect(tailscale.json.message).toContain("GET /tailnet/-/acl is not simulated");
  });

  it("checks the token before saying a route is not simulated", async () => {
    const { api } = setup();
    expect((await api.hetzner("GET", "/volumes", undefined, "wrong")).status).toBe(401);
  });

  it("answers GET /datacenters 410 deprecated_api_endpoint, as Hetzner has since 2026-10-01", async () => {
    const { api } = setup();
    for (const path of ["/datacenters", "/datacenters/2"]) {
      const answer = await api.hetzner("GET", path);
      expect(answer.status).toBe(410);
      expect(answer.json.error).toMatchObject({
        code: "deprecated_api_endpoint",
        message: "API functionality was removed",
        details: { announcement: expect.stringContaining("docs.hetzner.cloud/changelog") },
      });
    }
  });

  it("sim.fetch refuses URLs outside both APIs", async () => {
    const { sim } = setup();
    await expect(sim.fetch("https://example.com/v1/servers")).rejects.toThrow(/neither/);
  });
});
