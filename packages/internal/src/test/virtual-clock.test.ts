import { describe, expect, it } from "vitest";
import { describeClockRules } from "./clock-contract.js";
import { createVirtualClock, holdClock } from "./virtual-clock.js";

describeClockRules("the virtual clock without autoAdvance", () => {
  const clock = createVirtualClock({ start: 0, autoAdvance: false });
  return { clock, advance: (ms) => clock.advance(ms), pending: () => clock.pending };
});

describe("createVirtualClock", () => {
  it("jumps to the earliest wake-up when idle and records every sleep", async () => {
    const clock = createVirtualClock({ start: 1_000 });
    const order: string[] = [];
    await Promise.all([
      clock.sleep(300).then(() => order.push("b")),
      clock.sleep(100).then(() => order.push("a")),
    ]);
    expect(order).toEqual(["a", "b"]);
    expect(clock.now()).toBe(1_300);
    expect(clock.sleeps).toEqual([300, 100]);
  });

  it("does not jump while held, and rejects an aborted sleep", async () => {
    const clock = createVirtualClock({ start: 0 });
    const release = holdClock(clock);
    let woke = false;
    const sleeping = clock.sleep(50).then(() => {
      woke = true;
    });
    for (let turn = 0; turn < 30; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(woke).toBe(false);
    release();
    await sleeping;
    expect(clock.now()).toBe(50);

    const controller = new AbortController();
    const aborted = clock.sleep(10_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(aborted).rejects.toThrow("stop");
    expect(clock.pending).toBe(0);
  });
});
