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

describe("ScaledClock.wallTime", () => {
  it("maps simulated times to the wall clock: durations shrink by the scale", () => {
    const wallBefore = Date.now();
    const clock = createScaledClock({ scale: 1_000, start: Date.UTC(2030, 0, 1) });
    const wallAfter = Date.now();
    const now = clock.now();
    expect(clock.wallTime(now)).toBeGreaterThanOrEqual(wallBefore);
    expect(clock.wallTime(now)).toBeLessThanOrEqual(Date.now() + 1);
    // One simulated hour from now is 3.6 real seconds from now.
    expect(clock.wallTime(now + 3_600_000) - clock.wallTime(now)).toBeCloseTo(3_600, 6);
    expect(clock.wallTime(Date.UTC(2030, 0, 1))).toBeGreaterThanOrEqual(wallBefore);
    expect(clock.wallTime(Date.UTC(2030, 0, 1))).toBeLessThanOrEqual(wallAfter);
  });

  it("maps a stretch skipped by advance to the real moment of the skip", async () => {
    const clock = createScaledClock({ scale: 1, start: 0 });
    const before = clock.now();
    const skippedAt = Date.now();
    await clock.advance(3_600_000);
    const after = clock.now();
    expect(after - before).toBeGreaterThanOrEqual(3_600_000);
    const middle = clock.wallTime(before + 1_800_000);
    expect(middle).toBeGreaterThanOrEqual(skippedAt - 5);
    expect(middle).toBeLessThanOrEqual(Date.now() + 5);
    expect(clock.wallTime(after)).toBeLessThanOrEqual(Date.now() + 5);
    expect(clock.wallTime(after + 1_000) - clock.wallTime(after)).toBeCloseTo(1_000, 0);
  });
});
