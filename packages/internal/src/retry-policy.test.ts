import { describe, expect, it } from "vitest";
import {
  findInvalidNumber,
  isOptionProblem,
  resolveRetryPolicy,
  retryLostAnswer,
} from "./retry-policy.js";

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

describe("retryLostAnswer", () => {
  const policy = resolveRetryPolicy({ random: () => 0, timeoutMs: 2_000 });
  if (isOptionProblem(policy)) throw new Error("unexpected problem");

  it("backs off after a network error or the attempt's own timeout", () => {
    const refused = Object.assign(new Error("refused"), { code: "ECONNREFUSED" });
    expect(retryLostAnswer({ error: refused, timedOut: false }, 2, policy, true)).toEqual({
      retry: true,
      delayMs: 1_000,
      reason: "network error (ECONNREFUSED)",
    });
    const late = new DOMException("late", "TimeoutError");
    expect(retryLostAnswer({ error: late, timedOut: true }, 1, policy, true)).toMatchObject({
      reason: "no response within 2000 ms",
    });
  });

  it("never retries an abort or a request that must not be re-sent", () => {
    const aborted = new DOMException("stop", "AbortError");
    expect(retryLostAnswer({ error: aborted, timedOut: false }, 1, policy, true)).toEqual({
      retry: false,
    });
    expect(
      retryLostAnswer({ error: new TypeError("x"), timedOut: false }, 1, policy, false),
    ).toEqual({ retry: false });
  });
});
