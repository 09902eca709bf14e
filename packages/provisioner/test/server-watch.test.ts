import { describe, expect, it } from "vitest";
import { provisionVM } from "../src/one-shot.js";
import { baseOptions, recordEvents } from "./support/provision-helpers.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/server-watch.test.ts");

describe("provisionVM: the watch of the create's actions", () => {
  it("ends server-running just after the boot, from the actions' progress, in three looks", async () => {
    // Create action 10 s, boot 40 s, join 15 s after: the watch learns the boot's pace at 15 s.
    const { sim, context } = simulatedContext(sink);
    const events = recordEvents(context);
    const started = sim.clock.now();
    await provisionVM(baseOptions, context);

    const ended = events.find(
      (event) => event.type === "phase-end" && event.phase === "server-running",
    );
    expect(ended?.time).toBeGreaterThanOrEqual(started + 40_000);
    expect(ended?.time).toBeLessThanOrEqual(started + 41_500);
    const looks = sim.state
      .requests()
      .filter((request) => request.method === "GET" && request.path === "/actions");
    expect(looks).toHaveLength(3);
  });

  it("leaves the end of server-running to a join that comes first", async () => {
    const { sim, context } = simulatedContext(sink, {
      timings: { createActionMs: 4_000, bootMs: 4_000, joinMs: 500 },
    });
    const events = recordEvents(context);
    const started = sim.clock.now();
    const result = await provisionVM(baseOptions, context);

    expect(result.tailscaleIp).toMatch(/^100\./);
    const ended = events.find(
      (event) => event.type === "phase-end" && event.phase === "server-running",
    );
    // No progress at the first look: the next look at the actions would come at 15 s.
    expect(ended?.time).toBeLessThan(started + 15_000);
    expect(result.timings["device-join"]).toBe(0);
  });
});
