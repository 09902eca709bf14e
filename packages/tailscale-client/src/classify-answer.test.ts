import type { AttemptOutcome, RetryDecision } from "@tailvm/internal";
import { describe, expect, it } from "vitest";
import { classifyAnswer } from "./classify-answer.js";
import { TailscaleApiError } from "./errors.js";
import { type RetryOptions, resolveRetryOptions } from "./retry-options.js";

function classify(
  method: string,
  outcome: AttemptOutcome<{ response: Response }>,
  options: { attempt?: number; retry?: RetryOptions; idempotent?: boolean; now?: number } = {},
): RetryDecision {
  const policy = resolveRetryOptions({ random: () => 1, ...options.retry });
  return classifyAnswer(outcome, options.attempt ?? 1, {
    method,
    idempotent: options.idempotent,
    policy,
    now: options.now ?? 0,
  });
}

const answer = (status: number, headers: Record<string, string> = {}) => ({
  kind: "answer" as const,
  answer: { response: new Response(null, { status, headers }) },
});
const failed = (error: unknown, timedOut = false) => ({ kind: "error" as const, error, timedOut });

describe("classifyAnswer", () => {
  it.each(["GET", "DELETE", "PUT", "HEAD"])("retries %s after a 503", (method) => {
    expect(classify(method, answer(503))).toMatchObject({ retry: true, status: 503 });
  });

  it("retries a 429 for every method but a 5xx only for idempotent requests", () => {
    expect(classify("POST", answer(503))).toEqual({ retry: false });
    expect(classify("POST", answer(429))).toMatchObject({ retry: true, status: 429 });
    expect(classify("POST", answer(503), { idempotent: true })).toMatchObject({ retry: true });
  });

  it("does not retry 4xx other than 429, nor 501 or 505", () => {
    for (const status of [400, 401, 403, 404, 409, 501, 505]) {
      expect(classify("GET", answer(status))).toEqual({ retry: false });
    }
  });

  it("doubles the backoff up to maxDelayMs", () => {
    const retry = { baseDelayMs: 1_000, maxDelayMs: 5_000 };
    const delays = [1, 2, 3, 4].map(
      (attempt) =>
        (classify("GET", answer(500), { attempt, retry }) as { delayMs: number }).delayMs,
    );
    expect(delays).toEqual([1_000, 2_000, 4_000, 5_000]);
  });

  it("honours Retry-After in seconds and as an HTTP date, capped at maxDelayMs", () => {
    expect(classify("GET", answer(429, { "Retry-After": "3" }))).toEqual({
      retry: true,
      delayMs: 3_000,
      status: 429,
      reason: "rate limited (HTTP 429), Retry-After 3 s",
    });
    const date = new Date(12_000).toUTCString();
    expect(classify("GET", answer(503, { "Retry-After": date }))).toMatchObject({
      delayMs: 12_000,
    });
    expect(
      classify("GET", answer(429, { "Retry-After": "3600" }), { retry: { maxDelayMs: 20_000 } }),
    ).toMatchObject({ delayMs: 20_000 });
  });

  it("retries a network error or a timed-out attempt only for idempotent requests", () => {
    const refused = new TypeError("fetch failed", {
      cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
    });
    expect(classify("GET", failed(refused))).toMatchObject({
      retry: true,
      reason: "network error (ECONNREFUSED)",
    });
    expect(classify("POST", failed(refused))).toEqual({ retry: false });
    expect(
      classify("GET", failed(new DOMException("late", "TimeoutError"), true), {
        retry: { timeoutMs: 5_000 },
      }),
    ).toMatchObject({ retry: true, reason: "no response within 5000 ms" });
  });

  it("never retries an abort, this package's own errors, or what doNotRetry lists", () => {
    expect(classify("GET", failed(new DOMException("stop", "AbortError")))).toEqual({
      retry: false,
    });
    const refused = new TailscaleApiError("token refused", {
      status: 401,
      method: "POST",
      path: "/oauth/token",
    });
    expect(classify("GET", failed(refused))).toEqual({ retry: false });
    expect(classify("GET", answer(502), { retry: { doNotRetry: [502] } })).toEqual({
      retry: false,
    });
  });

  it("checks the retry options, naming the field", () => {
    expect(() => resolveRetryOptions({ maxRetries: -1 })).toThrow(
      expect.objectContaining({ name: "TailscaleInputError", field: "retry.maxRetries" }),
    );
    expect(resolveRetryOptions(false).maxRetries).toBe(0);
  });
});
