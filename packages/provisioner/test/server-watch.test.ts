import { describe, expect, it } from "vitest";
import { provisionVM } from "../src/one-shot.js";
import { SERVER_LOOK_EVERY_MS } from "../src/steps/server-gone.js";
import {
  baseOptions,
  deleteServerDirectly,
  deviceJoinTimeoutOf,
  expectNothingLeft,
  failureOf,
  recordEvents,
} from "./support/provision-helpers.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/server-watch.test.ts");

describe("provisionVM: the watch of the create's actions", () => {
  it("ends server-running just after the boot, from the actions' progress, in two looks", async () => {
    // Create action 10 s, boot 40 s, join 15 s after: the create's answer shows no progress, so
    // the first look is at 15 s, where the watch learns the boot's pace.
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
    expect(looks).toHaveLength(2);
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

  it("plans the device looks again as soon as the server is seen running, even with a long sleep pending", async () => {
    // No history: before the server runs the looks are sparse (up to 30 s apart at a 90 s boot).
    const { sim, context } = simulatedContext(sink, {
      timings: { bootMs: 90_000, joinMs: 15_000 },
    });
    const events = recordEvents(context);
    await provisionVM(baseOptions, context);
    const running = events.find(
      (event) => event.type === "phase-end" && event.phase === "server-running",
    );
    const looks = sim.state
      .requests()
      .filter((request) => request.method === "GET" && request.path === "/tailnet/-/devices")
      .map((request) => request.time);
    const runningAt = running?.time ?? Number.NaN;
    // Dense 2 s after the server runs, as the schedule says without history.
    expect(looks.some((time) => time > runningAt && time <= runningAt + 2_500)).toBe(true);
  });

  it("blames the device, not the server, when the deadline passes before the watch looks again", async () => {
    // The create's answer shows no progress, so the watch's next look would be at 15 s.
    const { sim, context } = simulatedContext(sink, {
      timings: { createActionMs: 2_000, bootMs: 4_000, joinMs: 2_000 },
    });
    await deviceJoinTimeoutOf(sink, sim, context, { ...baseOptions, timeouts: { total: 12_000 } });
  });

  it("fails at the next look, not at the join deadline, when the server is deleted while its device has not joined", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.deviceNeverJoins();
    const events = recordEvents(context);
    let deletedAt = Number.NaN;
    const onEvent = context.onEvent;
    context.onEvent = (event) => {
      onEvent?.(event);
      if (event.type === "phase-start" && event.phase === "device-join") {
        const server = sim.state.servers()[0];
        void sim.clock.sleep(5_000).then(async () => {
          deletedAt = sim.clock.now();
          if (server) await deleteServerDirectly(sim, server.id);
        });
      }
    };
    const error = await failureOf(sink, provisionVM(baseOptions, context));
    expect(error).toMatchObject({ phase: "device-join", code: "server_gone", isRetryable: true });
    const failedAt = events.find((event) => event.type === "failure")?.time ?? Number.NaN;
    expect(failedAt - deletedAt).toBeLessThanOrEqual(SERVER_LOOK_EVERY_MS + 5_000);
    expectNothingLeft(sim);
  });
});
