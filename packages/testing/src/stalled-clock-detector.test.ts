import { createHetznerClient, systemClock } from "@tailvm/hetzner-client";
import { createVirtualClock } from "@tailvm/internal/test";
import { createTailscaleClient } from "@tailvm/tailscale-client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiOf } from "../test/helpers.js";
import { createSimulatedCloud } from "./create-simulated-cloud.js";

afterEach(() => {
  vi.useRealTimers();
});

async function createdServer(sim: ReturnType<typeof createSimulatedCloud>) {
  const created = await apiOf(sim).createServer({ name: "waits" });
  return [created.json.action.id, created.json.next_actions[0].id] as number[];
}

describe("a caller that waits on another clock than the simulator's", () => {
  it("fails fast with a message that says to pass clock: sim.clock (its own virtual clock)", async () => {
    const sim = createSimulatedCloud();
    const hetzner = createHetznerClient({ ...sim.context().hetzner, clock: createVirtualClock() });
    const ids = await createdServer(sim);
    const error = await hetzner.waitForAction(ids).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("clock: sim.clock");
    expect((error as Error).message).toContain("...sim.context()");
    // It took three polls to notice, not a timeout.
    expect(sim.state.requests().filter((entry) => entry.method === "GET")).toHaveLength(3);
  });

  it("fails fast on a real clock too, and on Tailscale's device wait", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const sim = createSimulatedCloud();
    await apiOf(sim).createJoiningServer("joins");
    const tailnet = createTailscaleClient({ ...sim.context().tailscale, clock: systemClock });
    const waiting = tailnet
      .waitForDevice({ hostname: "joins", timeoutMs: 300_000 })
      .catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await waiting;
    expect((error as Error).message).toContain("clock: sim.clock");
    expect(sim.state.devices()).toEqual([]);
  });

  it("never trips a caller that sleeps on sim.clock, nor one polling a world that waits for nothing", async () => {
    const sim = createSimulatedCloud();
    const { hetzner: options, clock } = sim.context();
    const hetzner = createHetznerClient({ ...options, clock });
    const actions = await hetzner.waitForAction(await createdServer(sim));
    expect(actions.map((action) => action.status)).toEqual(["success", "success"]);
    const api = apiOf(sim);
    for (let poll = 0; poll < 10; poll += 1) {
      expect((await api.hetzner("GET", "/servers")).status).toBe(200);
    }
  });
});
