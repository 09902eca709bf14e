import { countedFetch } from "@tailvm/internal/test";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { createBody, created, errorResponse, rateLimitExceeded, server } from "../test/fixtures";
import { makeClient, useHetznerApi } from "../test/msw-client";
import { HetznerNetworkError } from "./errors";

const mock = useHetznerApi();

describe("retry rules", () => {
  // How long a 429 makes the client wait, and the retry event it reports: the rate-limit rules
  // in create-api.test.ts.
  it("keeps a 429's RateLimit-* headers as client.rateLimit", async () => {
    const { client, clock } = makeClient();
    const resetAt = Math.floor(clock.now() / 1000) + 7;
    mock.counted("get", "/servers/:id", (call) =>
      call === 1 ? rateLimitExceeded(resetAt) : HttpResponse.json({ server: server(5, "x") }),
    );

    await client.getServer(5);

    expect(client.rateLimit).toEqual({ limit: 3600, remaining: 0, reset: resetAt });
  });

  it("caps the RateLimit-Reset wait", async () => {
    const { client, clock } = makeClient({
      retry: { random: () => 0, maxRateLimitWaitMs: 60_000 },
    });
    mock.counted("get", "/servers/:id", (call) =>
      call === 1
        ? rateLimitExceeded(clock.now() / 1000 + 3600)
        : HttpResponse.json({ server: server(5, "x") }),
    );

    await client.getServer(5);

    expect(clock.sleeps).toEqual([60_000]);
  });

  it("re-sends a POST after a conflict", async () => {
    const calls = mock.counted("post", "/servers", (call) =>
      call === 1 ? errorResponse(409, "conflict") : created(10),
    );
    const { client, retries } = makeClient();

    await client.createServer(createBody);

    expect(calls.count).toBe(2);
    expect(retries[0]).toMatchObject({ code: "conflict", status: 409, method: "POST" });
  });

  it.each([
    [503, "unavailable"],
    [502, "bad_gateway"],
    [504, "timeout"],
  ])("never re-sends POST /servers after a %i", async (status, code) => {
    const calls = mock.counted("post", "/servers", () => errorResponse(status, code));
    const { client, clock, retries } = makeClient();

    await expect(client.createServer(createBody)).rejects.toMatchObject({ status, code });
    expect(calls.count).toBe(1);
    expect(clock.sleeps).toEqual([]);
    expect(retries).toEqual([]);
  });

  it("never re-sends a POST after a network error", async () => {
    const fetch = countedFetch(() => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }),
      });
    });
    const { client } = makeClient({ fetch });

    const error = await client.createServer(createBody).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HetznerNetworkError);
    expect(error).toMatchObject({ method: "POST", path: "/servers", isRetryable: false });
    expect((error as Error).message).toContain("ECONNRESET");
    expect(fetch.count).toBe(1);
  });

  it("retries a GET after 502 with exponential backoff", async () => {
    const calls = mock.counted("get", "/servers/:id", (call) =>
      call < 3
        ? new HttpResponse("bad gateway", { status: 502 })
        : HttpResponse.json({ server: server(3, "c") }),
    );
    const { client, clock, retries } = makeClient();

    const found = await client.getServer(3);

    expect(found.id).toBe(3);
    expect(calls.count).toBe(3);
    // random() = 0 keeps only the fixed half of 1000 ms, then of 2000 ms
    expect(clock.sleeps).toEqual([500, 1000]);
    expect(retries.map((event) => [event.attempt, event.status])).toEqual([
      [1, 502],
      [2, 502],
    ]);
  });

  it("applies jitter from the injected random source", async () => {
    mock.counted("get", "/servers/:id", (call) =>
      call === 1 ? errorResponse(504, "timeout") : HttpResponse.json({ server: server(3, "c") }),
    );
    const { client, clock } = makeClient({ retry: { random: () => 0.5 } });

    await client.getServer(3);

    expect(clock.sleeps).toEqual([750]);
  });

  it("retries a GET after a network error", async () => {
    const fetch = countedFetch((call) => {
      if (call === 1) throw new TypeError("fetch failed");
      return Response.json({ server: server(4, "d") });
    });
    const { client, clock } = makeClient({ fetch });

    await expect(client.getServer(4)).resolves.toMatchObject({ id: 4 });
    expect(fetch.count).toBe(2);
    expect(clock.sleeps).toEqual([500]);
  });

  it("runs one retry loop when a network error is followed by 502s", async () => {
    const fetch = countedFetch((call) => {
      if (call === 1) throw new TypeError("fetch failed");
      return Response.json(
        { error: { code: "bad_gateway", message: "bad gateway", details: null } },
        { status: 502 },
      );
    });
    const { client, clock, retries } = makeClient({
      retry: { random: () => 0, maxRetries: 2 },
      fetch,
    });

    await expect(client.getServer(1)).rejects.toMatchObject({ status: 502 });
    expect(fetch.count).toBe(3);
    expect(retries.map((event) => event.attempt)).toEqual([1, 2]);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it("gives up after maxRetries and reports the last error", async () => {
    const calls = mock.counted("get", "/servers/:id", () => errorResponse(502, "bad_gateway"));
    const { client, clock } = makeClient({ retry: { random: () => 0, maxRetries: 2 } });

    await expect(client.getServer(1)).rejects.toMatchObject({ status: 502, isRetryable: true });
    expect(calls.count).toBe(3);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it("keeps retrying when an onRetry listener throws", async () => {
    const calls = mock.counted("get", "/servers/:id", (call) =>
      call === 1
        ? errorResponse(502, "bad_gateway")
        : HttpResponse.json({ server: server(2, "b") }),
    );
    const { client } = makeClient({
      onRetry: () => {
        throw new Error("listener bug");
      },
    });

    await expect(client.getServer(2)).resolves.toMatchObject({ id: 2 });
    expect(calls.count).toBe(2);
  });

  it("does not retry at all with retry: false", async () => {
    const calls = mock.counted("get", "/servers/:id", () =>
      errorResponse(429, "rate_limit_exceeded"),
    );
    const { client } = makeClient({ retry: false });

    await expect(client.getServer(1)).rejects.toMatchObject({ status: 429 });
    expect(calls.count).toBe(1);
  });

  it("does not retry codes listed in doNotRetry", async () => {
    const calls = mock.counted("get", "/servers/:id", () => errorResponse(409, "conflict"));
    const { client } = makeClient({ retry: { doNotRetry: ["conflict"] } });

    await expect(client.getServer(1)).rejects.toMatchObject({ code: "conflict" });
    expect(calls.count).toBe(1);
  });

  it("does not retry a 503 or a 500 on GET", async () => {
    const calls = mock.counted("get", "/servers/:id", (call) =>
      errorResponse(call === 1 ? 503 : 500, "unavailable"),
    );
    const { client } = makeClient();

    await expect(client.getServer(1)).rejects.toMatchObject({ status: 503 });
    expect(calls.count).toBe(1);
  });
});
