import { describe, expect, it } from "vitest";
import { holdClock } from "./clock.js";
import { createVirtualClock } from "./virtual-clock.js";

describe("createVirtualClock", () => {
  it("starts at the given time and only moves when told (autoAdvance off)", async () => {
    const clock = createVirtualClock({ start: 1_000, autoAdvance: false });
    const woken: number[] = [];
    void clock.sleep(300).then(() => woken.push(clock.now()));
    void clock.sleep(100).then(() => woken.push(clock.now()));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(woken).toEqual([]);
    expect(clock.now()).toBe(1_000);
    await clock.advance(200);
    expect(woken).toEqual([1_100]);
    expect(clock.now()).toBe(1_200);
    await clock.advance(100);
    expect(woken).toEqual([1_100, 1_300]);
  });

  it("wakes sleeps registered by woken sleepers within the same advance, in order", async () => {
    const clock = createVirtualClock({ start: 0, autoAdvance: false });
    const woken: number[] = [];
    void (async () => {
      await clock.sleep(10);
      woken.push(clock.now());
      await clock.sleep(10);
      woken.push(clock.now());
    })();
    await clock.advance(25);
    expect(woken).toEqual([10, 20]);
    expect(clock.now()).toBe(25);
  });

  it("jumps to the earliest wake-up when only sleeps are pending (autoAdvance)", async () => {
    const clock = createVirtualClock({ start: 0 });
    const order: string[] = [];
    await Promise.all([
      clock.sleep(5_000).then(() => order.push(`b@${clock.now()}`)),
      clock.sleep(1_000).then(() => order.push(`a@${clock.now()}`)),
    ]);
    expect(order).toEqual(["a@1000", "b@5000"]);
  });

  it("does not jump while work holds the clock", async () => {
    const clock = createVirtualClock({ start: 0 });
    const release = holdClock(clock);
    let woke = false;
    const sleeping = clock.sleep(1_000).then(() => {
      woke = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(woke).toBe(false);
    release();
    await sleeping;
    expect(woke).toBe(true);
    expect(clock.now()).toBe(1_000);
  });

  it("rejects with the signal's reason on abort, before and during the sleep", async () => {
    const clock = createVirtualClock({ autoAdvance: false });
    const aborted = AbortSignal.abort(new Error("already"));
    await expect(clock.sleep(10, aborted)).rejects.toThrow("already");
    const controller = new AbortController();
    const sleeping = clock.sleep(10_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(sleeping).rejects.toThrow("stop");
    await clock.advance(20_000);
    expect(clock.now()).toBeGreaterThan(0);
  });
});
