import { describe, expect, it } from "vitest";
import { apiPath, backoffDelay, parseRateLimit, resolveRetryOptions } from "./retry";

describe("backoffDelay", () => {
  it("doubles from the base delay and keeps at least half of it", () => {
    const fixedHalf = resolveRetryOptions({ random: () => 0 });
    const full = resolveRetryOptions({ random: () => 0.999_999 });

    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, fixedHalf))).toEqual([
      500, 1000, 2000, 4000,
    ]);
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, full))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
  });

  it("caps at maxDelayMs", () => {
    const options = resolveRetryOptions({ random: () => 0.999_999, maxDelayMs: 5_000 });

    expect(backoffDelay(10, options)).toBe(5_000);
  });
});

describe("resolveRetryOptions", () => {
  it("rejects negative or non-finite settings, naming the field", () => {
    expect(() => resolveRetryOptions({ maxRetries: -1 })).toThrow(
      expect.objectContaining({ name: "HetznerInputError", field: "retry.maxRetries" }),
    );
    expect(() => resolveRetryOptions({ maxDelayMs: Number.NaN })).toThrow(/retry\.maxDelayMs/);
    expect(() => resolveRetryOptions({ timeoutMs: 0 })).toThrow(/retry\.timeoutMs/);
  });

  it("defaults to 5 retries and turns false into none", () => {
    expect(resolveRetryOptions(undefined).maxRetries).toBe(5);
    expect(resolveRetryOptions(false).maxRetries).toBe(0);
  });
});

describe("parseRateLimit", () => {
  it("reads the three RateLimit headers", () => {
    const headers = new Headers({
      "RateLimit-Limit": "3600",
      "RateLimit-Remaining": "12",
      "RateLimit-Reset": "1750000100",
    });

    expect(parseRateLimit(headers)).toEqual({ limit: 3600, remaining: 12, reset: 1750000100 });
  });

  it("returns undefined when a header is missing or garbage", () => {
    expect(parseRateLimit(new Headers({ "RateLimit-Limit": "3600" }))).toBeUndefined();
    expect(
      parseRateLimit(
        new Headers({ "RateLimit-Limit": "x", "RateLimit-Remaining": "1", "RateLimit-Reset": "2" }),
      ),
    ).toBeUndefined();
  });
});

describe("apiPath", () => {
  it("strips the base path and the query", () => {
    expect(
      apiPath("https://api.hetzner.cloud/v1/servers/42?x=1", "https://api.hetzner.cloud/v1"),
    ).toBe("/servers/42");
    expect(apiPath("http://127.0.0.1:8080/v1/actions?id=1", "http://127.0.0.1:8080/v1/")).toBe(
      "/actions",
    );
  });
});
