import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff.js";

describe("backoffDelay", () => {
  it("doubles from the base, keeps half fixed and caps at the maximum", () => {
    const policy = { baseDelayMs: 1_000, maxDelayMs: 5_000 };
    expect(backoffDelay(1, { ...policy, random: () => 0 })).toBe(500);
    expect(backoffDelay(3, { ...policy, random: () => 0 })).toBe(2_000);
    expect(backoffDelay(3, { ...policy, random: () => 0.999_999 })).toBe(4_000);
    expect(backoffDelay(10, { ...policy, random: () => 0 })).toBe(2_500);
  });
});
