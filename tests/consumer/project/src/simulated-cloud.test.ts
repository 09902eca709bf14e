// @tailvm/testing used the way its README shows: a simulator per test on virtual time, or one shared
// simulator reset after each test, both through sim.context().
import { createProvisioner, provisionVM } from "@tailvm/provisioner";
import { createSimulatedCloud } from "@tailvm/testing";
import { createMswHandlers } from "@tailvm/testing/msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

it("provisions on a fresh simulated cloud and the device joins the tailnet", async () => {
  const sim = createSimulatedCloud();
  const vm = await provisionVM(
    { agentId: "agent-1", tailscale: { tags: ["tag:ci"] } },
    sim.context(),
  );
  expect(vm.tailscaleIp).toMatch(/^100\./);
  expect(sim.state.devices()).toHaveLength(1);
});

// Without sim.clock the provisioner waits on the real clock while the simulated cloud's time stands
// still: the simulator notices after a few real polls (seconds) and answers with a hint, where the
// run would otherwise hang until its 5-minute join deadline.
it("fails fast with a hint when the simulator's clock is left out", {
  timeout: 60_000,
}, async () => {
  const sim = createSimulatedCloud();
  const { clock: _clock, ...withoutClock } = sim.context();
  await expect(
    provisionVM({ agentId: "agent-2", tailscale: { tags: ["tag:ci"] } }, withoutClock),
  ).rejects.toThrow(/sim\.clock|sim\.context\(\)/);
  expect(sim.state.servers()).toEqual([]);
});

// One shared simulator, reset after each test: the tests pass in either order, because each call
// owns its client scope (no process-wide cache outlives sim.state.reset()).
describe.each([["first"], ["second"]])("a shared simulator, %s order", (order) => {
  const sim = createSimulatedCloud();
  afterEach(() => sim.state.reset());
  const names = order === "first" ? ["a", "b"] : ["b", "a"];
  for (const name of names) {
    it(`provisions agent-${name}`, async () => {
      if (name === "b") sim.faults.setUnavailable("cx", "nbg1");
      const provisioner = createProvisioner(sim.context());
      const vm = await provisioner.provisionVM({
        agentId: `agent-${name}`,
        tailscale: { tags: ["tag:ci"] },
      });
      expect(vm.tailscaleIp).toMatch(/^100\./);
      expect(sim.state.servers()).toHaveLength(1);
    });
  }
});

describe("MSW in front of the global fetch", () => {
  const sim = createSimulatedCloud();
  const server = setupServer(...createMswHandlers(sim));
  beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
  afterEach(() => sim.state.reset());
  afterAll(() => server.close());

  it("provisions with the simulator's clock and the global fetch", async () => {
    const { hetzner, tailscale, clock } = sim.context();
    const vm = await provisionVM(
      { agentId: "agent-msw", tailscale: { tags: ["tag:ci"] } },
      {
        hetzner: { token: hetzner.token, baseUrl: hetzner.baseUrl },
        tailscale: { auth: tailscale.auth, baseUrl: tailscale.baseUrl },
        clock,
      },
    );
    expect(vm.tailscaleIp).toMatch(/^100\./);
  });
});
