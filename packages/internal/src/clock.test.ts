import { afterEach, describe, expect, it, vi } from "vitest";
import { systemClock } from "./clock.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("systemClock", () => {
  it("sleeps for the requested time", async () => {
    vi.useFakeTimers();
    let done = false;
    const sleeping = systemClock.sleep(5_000).then(() => {
      done = true;
    });

    await vi.advanceTimersByTimeAsync(4_999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(done).toBe(true);
  });

  it("rejects with the signal's reason as soon as it aborts", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);

    controller.abort(new Error("stop"));

    await expect(sleeping).rejects.toThrow("stop");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects at once for an already aborted signal", async () => {
    await expect(systemClock.sleep(10, AbortSignal.abort(new Error("gone")))).rejects.toThrow(
      "gone",
    );
  });

  it("reads the current time", () => {
    vi.useFakeTimers({ now: 1_234_567 });

    expect(systemClock.now()).toBe(1_234_567);
  });
});
