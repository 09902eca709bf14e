import { afterEach, describe, expect, it, vi } from "vitest";
import { systemClock } from "./clock.js";
import { describeClockRules } from "./test/clock-contract.js";

afterEach(() => {
  vi.useRealTimers();
});

describeClockRules("systemClock", () => {
  vi.useFakeTimers();
  return {
    clock: systemClock,
    advance: (ms) => vi.advanceTimersByTimeAsync(ms),
    pending: () => vi.getTimerCount(),
  };
});

describe("systemClock", () => {
  it("reads the current time", () => {
    vi.useFakeTimers({ now: 1_234_567 });

    expect(systemClock.now()).toBe(1_234_567);
  });
});
