import { describe, expect, it } from "vitest";
import { poll } from "./poll.js";
import { createVirtualClock, type VirtualClock } from "./test/virtual-clock.js";

/** Polls every 2 s for 5 s with a check that always throws `error`, transient or not. */
function pollThrowing(clock: VirtualClock, error: Error, transient: boolean) {
  return poll({
    clock,
    timeoutMs: 5_000,
    check: async () => {
      throw error;
    },
    nextDelayMs: () => 2_000,
    isTransient: () => transient,
    timeoutError: (last) => new Error("timed out", { cause: last }),
  });
}

describe("poll", () => {
  it("looks until check yields a value, sleeping the delays asked for", async () => {
    const clock = createVirtualClock({ start: 0 });
    let looks = 0;
    const value = await poll({
      clock,
      timeoutMs: 60_000,
      check: async () => (++looks === 3 ? { value: "ready" } : undefined),
      nextDelayMs: ({ attempt }) => attempt * 1_000,
      timeoutError: () => new Error("timeout"),
    });
    expect(value).toBe("ready");
    expect(clock.now()).toBe(3_000);
    expect(clock.pending).toBe(0);
  });

  it("throws the timeout error with the last transient error at the deadline", async () => {
    const clock = createVirtualClock({ start: 0 });
    const transient = new Error("502");
    await expect(pollThrowing(clock, transient, true)).rejects.toMatchObject({
      message: "timed out",
      cause: transient,
    });
    expect(clock.now()).toBe(5_000);
  });

  it("throws a permanent error at once and the caller's reason on abort", async () => {
    const clock = createVirtualClock({ start: 0 });
    const permanent = new Error("401");
    await expect(pollThrowing(clock, permanent, false)).rejects.toBe(permanent);
    expect(clock.now()).toBe(0);

    const controller = new AbortController();
    const reason = new Error("stop");
    const waiting = poll({
      clock,
      signal: controller.signal,
      timeoutMs: 60_000,
      check: async () => undefined,
      nextDelayMs: () => 10_000,
      timeoutError: () => new Error("timeout"),
    });
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });

  it("aborts a look that never answers when the deadline passes", async () => {
    const clock = createVirtualClock({ start: 0 });
    const outcome = poll({
      clock,
      timeoutMs: 3_000,
      check: (signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener("abort", () => reject(signal.reason)),
        ),
      nextDelayMs: () => 1_000,
      timeoutError: () => new Error("deadline"),
    });
    await expect(outcome).rejects.toThrow("deadline");
    expect(clock.now()).toBe(3_000);
  });
});
