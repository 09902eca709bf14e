import { describe, expect, it } from "vitest";
import { parseRateLimit, parseRetryAfter, requestedWaitMs } from "./rate-limit-headers.js";

describe("rate-limit headers", () => {
  it("reads RateLimit-* only when all three are numbers", () => {
    const headers = new Headers({
      "ratelimit-limit": "3600",
      "ratelimit-remaining": "0",
      "ratelimit-reset": "100",
    });
    expect(parseRateLimit(headers)).toEqual({ limit: 3600, remaining: 0, reset: 100 });
    expect(parseRateLimit(new Headers({ "ratelimit-limit": "3600" }))).toBeUndefined();
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(parseRetryAfter("7", 0)).toBe(7_000);
    expect(parseRetryAfter("Thu, 01 Jan 1970 00:00:10 GMT", 4_000)).toBe(6_000);
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });

  it("prefers a RateLimit-Reset ahead to Retry-After", () => {
    expect(
      requestedWaitMs(new Headers({ "ratelimit-reset": "12", "retry-after": "1" }), 10_000),
    ).toBe(2_000);
    expect(
      requestedWaitMs(new Headers({ "ratelimit-reset": "5", "retry-after": "3" }), 10_000),
    ).toBe(3_000);
    expect(requestedWaitMs(new Headers(), 0)).toBeUndefined();
  });
});
