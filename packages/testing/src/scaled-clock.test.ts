import { describe, expect, it } from "vitest";
import { createScaledClock } from "./scaled-clock.js";

describe("createScaledClock", () => {
  it("runs simulated time `scale` times faster than real time", async () => {
    const clock = createScaledClock({ scale: 1_000, start: 0 });
    const realStart = performance.now();
    await clock.sleep(20_000);
    const realElapsed = performance.now() - realStart;
    expect(clock.now()).toBeGreaterThanOrEqual(20_000);
    expect(realElapsed).toBeGreaterThanOrEqual(15);
    expect(realElapsed).toBeLessThan(1_000);
  });

  it("advance skips simulated time and wakes due sleeps", async () => {
    const clock = createScaledClock({ scale: 1, start: 0 });
    const sleeping = clock.sleep(3_600_000);
    await clock.advance(3_600_000);
    await sleeping;
    expect(clock.now()).toBeGreaterThanOrEqual(3_600_000);
  });

  it("rejects on abort and refuses a bad scale", async () => {
    const clock = createScaledClock({ scale: 1 });
    const controller = new AbortController();
    const sleeping = clock.sleep(60_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(sleeping).rejects.toThrow("stop");
    expect(() => createScaledClock({ scale: 0 })).toThrow(/scale must be a positive/);
  });
});
