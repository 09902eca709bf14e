import { describe, expect, it } from "vitest";
import { createFakeClock } from "../test/fake-clock.js";
import { TailscaleNetworkError } from "./errors.js";
import { createSecretRedactor } from "./redact-secrets.js";
import {
  parseRetryAfter,
  type RetryEvent,
  type RetryOptions,
  resolveRetryPolicy,
  sendWithRetries,
} from "./retry.js";

function run(
  method: string,
  responses: (() => Response)[],
  options: { retry?: RetryOptions | false; signal?: AbortSignal } = {},
) {
  const clock = createFakeClock();
  const events: RetryEvent[] = [];
  let sent = 0;
  const policy = resolveRetryPolicy(
    options.retry === false ? false : { random: () => 1, ...options.retry },
  );
  const result = sendWithRetries(
    async () => {
      const next = responses[Math.min(sent, responses.length - 1)];
      sent++;
      if (!next) throw new Error("no response scripted");
      return next();
    },
    {
      method,
      path: "/tailnet/-/devices",
      host: "api.tailscale.com",
      signal: options.signal,
      clock,
      policy,
      redactor: createSecretRedactor(),
      onRetry: (event) => events.push(event),
    },
  );
  return { result, clock, events, sent: () => sent };
}

const status =
  (code: number, headers: Record<string, string> = {}) =>
  () =>
    new Response(null, { status: code, headers });
const networkError = () => {
  throw new TypeError("fetch failed");
};

describe("sendWithRetries", () => {
  it.each(["GET", "DELETE", "PUT", "HEAD"])("retries %s after a 503", async (method) => {
    const { result, sent } = run(method, [status(503), status(200)]);
    expect((await result).status).toBe(200);
    expect(sent()).toBe(2);
  });

  it("does not retry a POST after a 5xx", async () => {
    const { result, sent, events } = run("POST", [status(503), status(200)]);
    expect((await result).status).toBe(503);
    expect(sent()).toBe(1);
    expect(events).toEqual([]);
  });

  it("retries a POST after a 429", async () => {
    const { result, sent } = run("POST", [status(429), status(201)]);
    expect((await result).status).toBe(201);
    expect(sent()).toBe(2);
  });

  it("does not retry 4xx other than 429, nor 501", async () => {
    for (const code of [400, 401, 403, 404, 409, 501]) {
      const { result, sent } = run("GET", [status(code), status(200)]);
      expect((await result).status).toBe(code);
      expect(sent()).toBe(1);
    }
  });

  it("doubles the backoff up to maxDelayMs and stops after maxRetries", async () => {
    const { result, clock, sent } = run("GET", [status(500)], {
      retry: { maxRetries: 4, baseDelayMs: 1_000, maxDelayMs: 5_000 },
    });
    expect((await result).status).toBe(500);
    expect(sent()).toBe(5);
    expect(clock.sleeps).toEqual([1_000, 2_000, 4_000, 5_000]);
  });

  it("honours Retry-After in seconds and as an HTTP date, capped at maxDelayMs", async () => {
    const seconds = run("GET", [status(429, { "Retry-After": "3" }), status(200)]);
    await seconds.result;
    expect(seconds.clock.sleeps).toEqual([3_000]);
    expect(seconds.events[0]).toMatchObject({ attempt: 1, delayMs: 3_000, status: 429 });

    const clock = createFakeClock();
    const date = new Date(clock.now() + 12_000).toUTCString();
    const dated = run("GET", [status(503, { "Retry-After": date }), status(200)]);
    await dated.result;
    expect(dated.clock.sleeps).toEqual([12_000]);

    const capped = run("GET", [status(429, { "Retry-After": "3600" }), status(200)], {
      retry: { maxDelayMs: 20_000 },
    });
    await capped.result;
    expect(capped.clock.sleeps).toEqual([20_000]);
  });

  it("retries a GET after a network error but not a POST", async () => {
    const get = run("GET", [networkError, status(200)]);
    expect((await get.result).status).toBe(200);
    expect(get.events[0]?.reason).toBe("network error: fetch failed");

    const post = run("POST", [networkError, status(200)]);
    const error = await post.result.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TailscaleNetworkError);
    expect(error).toMatchObject({ method: "POST", path: "/tailnet/-/devices", isRetryable: false });
    expect((error as Error).message).toMatch(/may or may not have been applied/);
    expect(post.sent()).toBe(1);
  });

  it("never retries an abort, and stops waiting when aborted", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    const aborted = run(
      "GET",
      [
        () => {
          controller.abort(reason);
          throw new DOMException("aborted", "AbortError");
        },
        status(200),
      ],
      { signal: controller.signal },
    );
    await expect(aborted.result).rejects.toBe(reason);
    expect(aborted.sent()).toBe(1);
    expect(aborted.events).toEqual([]);
  });

  it("sends once when retries are off", async () => {
    const { result, sent } = run("GET", [status(503), status(200)], { retry: false });
    expect((await result).status).toBe(503);
    expect(sent()).toBe(1);
  });

  it("skips statuses listed in doNotRetry", async () => {
    const { result, sent } = run("GET", [status(502), status(200)], {
      retry: { doNotRetry: [502] },
    });
    expect((await result).status).toBe(502);
    expect(sent()).toBe(1);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and dates and ignores garbage", () => {
    expect(parseRetryAfter("5", 0)).toBe(5_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter(new Date(1_000).toUTCString(), 4_000)).toBe(0);
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});
