import { describe, expect, it } from "vitest";
import { createSimulatedCloud } from "./create-simulated-cloud.js";
import { SimulatedCloudError } from "./errors.js";
import { createFaultSchedule, FAULT_KINDS } from "./fault-schedule.js";

const getServer = { api: "hetzner", method: "GET", route: "/servers/{id}" } as const;
const postServers = { api: "hetzner", method: "POST", route: "/servers" } as const;

describe("createFaultSchedule", () => {
  it("draws the same faults from the same seed, and other faults from another", () => {
    const draw = (seed: number) => {
      const schedule = createFaultSchedule({ seed, rate: 0.5 });
      return Array.from({ length: 200 }, () => schedule.next(postServers));
    };
    expect(draw(11)).toEqual(draw(11));
    expect(draw(11)).not.toEqual(draw(12));
  });

  it("hits about `rate` of the requests, and none at rate 0", () => {
    const schedule = createFaultSchedule({ seed: 3, rate: 0.2 });
    for (let index = 0; index < 1_000; index++) schedule.next(getServer);
    expect(schedule.injected().length).toBeGreaterThan(150);
    expect(schedule.injected().length).toBeLessThan(250);
    const none = createFaultSchedule({ seed: 3, rate: 0 });
    for (let index = 0; index < 100; index++) expect(none.next(getServer)).toBeUndefined();
  });

  it("gives create-only kinds to creates only, and honours weights", () => {
    const schedule = createFaultSchedule({ seed: 5, rate: 1, weights: { slow: 0 } });
    for (let index = 0; index < 300; index++) schedule.next(getServer);
    const counts = schedule.counts();
    expect(counts.slow).toBe(0);
    expect(counts["action-error"] + counts["applied-then-reset"] + counts["token-revoked"]).toBe(0);
    expect(counts["server-error"]).toBeGreaterThan(0);
    const creates = createFaultSchedule({ seed: 5, rate: 1 });
    for (let index = 0; index < 300; index++) creates.next(postServers);
    expect(creates.counts()["action-error"]).toBeGreaterThan(0);
  });

  it("refuses bad options, naming the field", () => {
    expect(() => createFaultSchedule({ seed: 1.5 })).toThrow(/seed must be an integer/);
    expect(() => createFaultSchedule({ seed: 1, rate: 2 })).toThrow(/rate must be a number/);
    expect(() => createFaultSchedule({ seed: 1, weights: { nope: 1 } as never })).toThrow(
      SimulatedCloudError,
    );
  });
});

describe("sim.faults.useSchedule", () => {
  /** A simulated cloud whose every request draws fault `kind` from a schedule seeded `seed`. */
  const alwaysFaulting = (seed: number, kind: string) => {
    const sim = createSimulatedCloud();
    sim.faults.useSchedule(createFaultSchedule({ seed, rate: 1, weights: onlyKind(kind) }));
    return sim;
  };
  const createBody = JSON.stringify({ name: "chaos-1", server_type: "cx23", image: "debian-12" });
  const post = (sim: ReturnType<typeof createSimulatedCloud>, signal?: AbortSignal) =>
    sim.fetch(`${sim.hetznerUrl}/servers`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${sim.credentials.hetznerToken}`,
        "content-type": "application/json",
      },
      body: createBody,
      ...(signal ? { signal } : {}),
    });

  it("applies a create and then drops its connection", async () => {
    const sim = alwaysFaulting(1, "applied-then-reset");
    await expect(post(sim)).rejects.toThrow(/fetch failed/);
    expect(sim.state.servers().map((server) => server.name)).toEqual(["chaos-1"]);
  });

  it("applies a create and then answers a 5xx", async () => {
    const sim = alwaysFaulting(1, "applied-then-error");
    const response = await post(sim);
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(sim.state.servers()).toHaveLength(1);
  });

  it("answers 429 with RateLimit-Reset in the future", async () => {
    const sim = alwaysFaulting(2, "rate-limit");
    const response = await post(sim);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("RateLimit-Reset")) * 1000).toBeGreaterThan(sim.clock.now());
    expect(sim.state.servers()).toEqual([]);
  });

  it("holds a hung request until its signal aborts, then stops when cleared", async () => {
    const sim = alwaysFaulting(4, "hang");
    const controller = new AbortController();
    const pending = post(sim, controller.signal);
    sim.clock.sleep(30_000).then(() => controller.abort(new Error("gave up")));
    await expect(pending).rejects.toThrow("gave up");
    expect(sim.state.servers()).toEqual([]);
    sim.faults.clear();
    expect((await post(sim)).status).toBe(201);
  });

  it("makes a create's action end in error", async () => {
    const sim = alwaysFaulting(6, "action-error");
    const body = (await (await post(sim)).json()) as { action: { id: number } };
    sim.faults.useSchedule(undefined);
    await sim.clock.sleep(60_000);
    const action = await sim.fetch(`${sim.hetznerUrl}/actions/${body.action.id}`, {
      headers: { authorization: `Bearer ${sim.credentials.hetznerToken}` },
    });
    expect(((await action.json()) as { action: { status: string } }).action.status).toBe("error");
  });
});

function onlyKind(kind: string) {
  return Object.fromEntries(FAULT_KINDS.map((name) => [name, name === kind ? 1 : 0]));
}
