import { describe, expect, it } from "vitest";
import { findInvalidNumber, isOptionProblem, resolveRetryPolicy } from "./retry-policy.js";

describe("resolveRetryPolicy", () => {
  it("fills the shared defaults, and false means no retries", () => {
    const policy = resolveRetryPolicy(undefined);
    expect(policy).toMatchObject({
      maxRetries: 5,
      baseDelayMs: 1_000,
      maxDelayMs: 30_000,
      attemptTimeoutMs: undefined,
    });
    expect(resolveRetryPolicy(false)).toMatchObject({ maxRetries: 0 });
    const fixed = resolveRetryPolicy({ random: () => 0, maxDelayMs: 3_000 });
    if (isOptionProblem(fixed)) throw new Error("unexpected problem");
    expect([1, 2, 3, 4].map(fixed.backoff)).toEqual([500, 1_000, 1_500, 1_500]);
  });

  it("names the first bad field", () => {
    expect(resolveRetryPolicy({ maxRetries: -1 })).toEqual({
      field: "retry.maxRetries",
      message: "expected a finite number >= 0, got -1",
    });
    expect(resolveRetryPolicy({ timeoutMs: 0 })).toMatchObject({ field: "retry.timeoutMs" });
    expect(findInvalidNumber([["wait", Number.NaN, 0]])).toMatchObject({ field: "wait" });
    expect(findInvalidNumber([["wait", undefined, 0]])).toBeUndefined();
  });
});
