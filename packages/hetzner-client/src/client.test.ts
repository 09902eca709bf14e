import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  action,
  BASE_URL,
  createManualClock,
  createMockServer,
  errorResponse,
  everythingIn,
  everythingReachable,
  HttpResponse,
  http,
  pagination,
  server,
  TOKEN,
} from "../test/helpers";
import { createHetznerClient, type HetznerClientOptions } from "./client";
import {
  HetznerApiError,
  HetznerError,
  HetznerInputError,
  HetznerNetworkError,
  isHetznerApiError,
} from "./errors";
import type { RetryEvent } from "./retry";

const mock = createMockServer();
beforeAll(() => mock.listen({ onUnhandledFrame: "error" }));
afterEach(() => mock.resetHandlers());
afterAll(() => mock.close());

const createBody = { name: "runner-1", server_type: "cx23", image: "ubuntu-24.04" };

function makeClient(overrides: Partial<HetznerClientOptions> = {}) {
  const clock = createManualClock();
  const retries: RetryEvent[] = [];
  const client = createHetznerClient({
    token: TOKEN,
    clock,
    retry: { random: () => 0 },
    onRetry: (event) => retries.push(event),
    ...overrides,
  });
  return { client, clock, retries };
}

/** Like a fetch that never gets an answer: settles only when the request's signal aborts. */
function hangUntilAborted(request: Request): Promise<Response> {
  return new Promise((_resolve, reject) => {
    if (request.signal.aborted) reject(request.signal.reason);
    request.signal.addEventListener("abort", () => reject(request.signal.reason));
  });
}

function created(id: number) {
  return HttpResponse.json(
    {
      server: server(id, "runner-1"),
      action: action(100, "running"),
      next_actions: [action(101, "running")],
      root_password: null,
    },
    { status: 201 },
  );
}

describe("requests", () => {
  it("sends the bearer token, JSON content type and a user agent", async () => {
    const seen: Request[] = [];
    mock.use(
      http.post(`${BASE_URL}/servers`, ({ request }) => {
        seen.push(request.clone());
        return created(42);
      }),
    );
    const { client } = makeClient({ userAgent: "my-app/1.0" });

    const result = await client.createServer(createBody);

    expect(result.server.id).toBe(42);
    expect(result.action.id).toBe(100);
    expect(result.nextActions.map((next) => next.id)).toEqual([101]);
    expect(result.rootPassword).toBeNull();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]?.headers.get("user-agent")).toBe("my-app/1.0 tailvm-hetzner-client");
    expect(seen[0]?.headers.get("content-type")).toBe("application/json");
    expect(await seen[0]?.json()).toEqual(createBody);
  });

  it("uses an injected fetch and base URL instead of the global fetch", async () => {
    const urls: string[] = [];
    const { client } = makeClient({
      baseUrl: "http://127.0.0.1:9/hetzner/v1/",
      fetch: async (input) => {
        urls.push(input instanceof Request ? input.url : String(input));
        return Response.json({ server: server(7, "direct") });
      },
    });

    const found = await client.getServer(7);

    expect(found.name).toBe("direct");
    expect(urls).toEqual(["http://127.0.0.1:9/hetzner/v1/servers/7"]);
  });

  it("exposes the last RateLimit headers", async () => {
    mock.use(
      http.get(`${BASE_URL}/servers/:id`, () =>
        HttpResponse.json(
          { server: server(1, "a") },
          {
            headers: {
              "RateLimit-Limit": "3600",
              "RateLimit-Remaining": "3599",
              "RateLimit-Reset": "1750000001",
            },
          },
        ),
      ),
    );
    const { client } = makeClient();
    expect(client.rateLimit).toBeUndefined();

    await client.getServer(1);

    expect(client.rateLimit).toEqual({ limit: 3600, remaining: 3599, reset: 1750000001 });
  });
});

describe("errors", () => {
  it("turns a 404 into HetznerApiError not_found with method, path and correlation id", async () => {
    mock.use(
      http.get(`${BASE_URL}/servers/:id`, () =>
        HttpResponse.json(
          { error: { code: "not_found", message: "server with ID '42' not found", details: {} } },
          { status: 404, headers: { "X-Correlation-Id": "abc-123" } },
        ),
      ),
    );
    const { client } = makeClient();

    const error = await client.getServer(42).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HetznerApiError);
    expect(error).toBeInstanceOf(HetznerError);
    expect(error).toMatchObject({
      name: "HetznerApiError",
      status: 404,
      code: "not_found",
      method: "GET",
      path: "/servers/42",
      requestId: "abc-123",
      isRetryable: false,
    });
    expect(String(error)).toContain("GET /servers/42 failed with 404 not_found");
    expect(isHetznerApiError(error, "not_found")).toBe(true);
    expect(isHetznerApiError(error, "conflict")).toBe(false);
  });

  it("falls back to http_<status> when the body carries no Hetzner error", async () => {
    mock.use(http.get(`${BASE_URL}/servers/:id`, () => new HttpResponse("nope", { status: 418 })));
    const { client } = makeClient();

    await expect(client.getServer(1)).rejects.toMatchObject({ status: 418, code: "http_418" });
  });

  it.each([
    [409, "uniqueness_error", "server name is already used"],
    [412, "resource_unavailable", "server type unavailable in this location"],
    [403, "resource_limit_exceeded", "server limit reached"],
    [422, "invalid_input", "invalid input in field 'image'"],
  ])("types a %i %s on create", async (status, code, message) => {
    const calls: number[] = [];
    mock.use(
      http.post(`${BASE_URL}/servers`, () => {
        calls.push(1);
        return errorResponse(status, code, message);
      }),
    );
    const { client } = makeClient();

    const error = await client.createServer(createBody).catch((caught: unknown) => caught);

    expect(isHetznerApiError(error, code)).toBe(true);
    expect(error).toMatchObject({ status, code, method: "POST", path: "/servers" });
    expect((error as Error).message).toContain(message);
    expect(calls).toHaveLength(1);
  });

  it("never exposes the token in an API error", async () => {
    mock.use(
      http.get(`${BASE_URL}/servers/:id`, () =>
        errorResponse(401, "unauthorized", `token ${TOKEN} is invalid`),
      ),
    );
    const { client } = makeClient();

    const error = await client.getServer(1).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: "unauthorized", status: 401 });
    const exposed = everythingIn(error);
    expect(exposed).toContain("unauthorized");
    expect(exposed).not.toContain(TOKEN);
    expect(exposed).not.toMatch(/authorization/i);
  });

  it("never exposes the token in a network error, even when the cause mentions it", async () => {
    const { client } = makeClient({
      fetch: async (input) => {
        const request = input as Request;
        throw new TypeError("fetch failed", {
          cause: new Error(
            `socket hang up; Authorization: ${request.headers.get("authorization")}`,
          ),
        });
      },
    });

    const error = await client.getServer(1).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HetznerNetworkError);
    expect((error as HetznerNetworkError).cause).toBeDefined();
    const exposed = everythingIn(error);
    expect(exposed).toContain("socket hang up");
    expect(exposed).not.toContain(TOKEN);
  });

  it("does not call a POST that got a 5xx retryable, and says how to check for the resource", async () => {
    let calls = 0;
    mock.use(
      http.post(`${BASE_URL}/servers`, () => {
        calls++;
        return errorResponse(503, "unavailable", "service unavailable");
      }),
      http.get(`${BASE_URL}/servers/:id`, () => errorResponse(503, "unavailable")),
    );
    const { client } = makeClient();

    const postError = await client.createServer(createBody).catch((caught: unknown) => caught);
    const getError = await client.getServer(1).catch((caught: unknown) => caught);

    expect(calls).toBe(1);
    expect(postError).toMatchObject({ method: "POST", status: 503, isRetryable: false });
    expect((postError as Error).message).toMatch(/may already exist/);
    expect((postError as Error).message).toMatch(/name or label selector/);
    expect((postError as Error).message).not.toMatch(/try again later/i);
    expect(everythingIn(postError)).not.toContain(TOKEN);
    expect(getError).toMatchObject({ method: "GET", status: 503, isRetryable: true });
  });

  it("keeps the token out of a network error whose cause carries the request", async () => {
    const { client } = makeClient({
      retry: false,
      fetch: async (input) => {
        const failure = new TypeError("fetch failed", {
          cause: Object.assign(new Error("connect ECONNREFUSED"), {
            code: "ECONNREFUSED",
            request: input,
          }),
        });
        throw Object.assign(failure, { request: input, headers: (input as Request).headers });
      },
    });

    const error = await client.createServer(createBody).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HetznerNetworkError);
    const cause = (error as HetznerNetworkError).cause as Error & { request?: unknown };
    expect(cause).toMatchObject({ name: "TypeError", message: "fetch failed" });
    expect(cause.request).toBeUndefined();
    expect(cause.cause).toMatchObject({ code: "ECONNREFUSED" });
    const exposed = everythingReachable(error);
    expect(exposed).toContain("ECONNREFUSED");
    expect(exposed).not.toContain(TOKEN);
  });

  it("keeps the token out of toJSON", async () => {
    mock.use(http.post(`${BASE_URL}/servers`, () => errorResponse(409, "uniqueness_error")));
    const { client } = makeClient();

    const error = await client.createServer(createBody).catch((caught: unknown) => caught);
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;

    expect(json).toMatchObject({ name: "HetznerApiError", code: "uniqueness_error", status: 409 });
    expect(JSON.stringify(json)).not.toContain(TOKEN);
  });
});

describe("retries", () => {
  it("waits until RateLimit-Reset after a 429, then succeeds", async () => {
    const { client, clock, retries } = makeClient();
    const resetAt = Math.floor(clock.now() / 1000) + 7;
    let calls = 0;
    mock.use(
      http.get(`${BASE_URL}/servers/:id`, () => {
        calls++;
        if (calls === 1) {
          return HttpResponse.json(
            { error: { code: "rate_limit_exceeded", message: "limit reached", details: null } },
            {
              status: 429,
              headers: {
                "RateLimit-Limit": "3600",
                "RateLimit-Remaining": "0",
                "RateLimit-Reset": String(resetAt),
              },
            },
          );
        }
        return HttpResponse.json({ server: server(5, "after-wait") });
      }),
    );

    const found = await client.getServer(5);

    expect(found.name).toBe("after-wait");
    expect(calls).toBe(2);
    expect(clock.sleeps).toEqual([resetAt * 1000 - 1_750_000_000_000]);
    expect(clock.sleeps).toEqual([7000]);
    expect(retries).toEqual([
      {
        attempt: 1,
        delayMs: 7000,
        method: "GET",
        path: "/servers/5",
        status: 429,
        code: "rate_limit_exceeded",
        reason: expect.stringContaining("429"),
      },
    ]);
    expect(client.rateLimit).toEqual({ limit: 3600, remaining: 0, reset: resetAt });
  });

  it("caps the RateLimit-Reset wait", async () => {
    const { client, clock } = makeClient({
      retry: { random: () => 0, maxRateLimitWaitMs: 60_000 },
    });
    let calls = 0;
    mock.use(
      http.get(`${BASE_URL}/servers/:id`, () => {
        calls++;
        return calls === 1
          ? HttpResponse.json(
              { error: { code: "rate_limit_exceeded", message: "slow down" } },
              { status: 429, headers: { "RateLimit-Reset": String(clock.now() / 1000 + 3600) } },
            )
          : HttpResponse.json({ server: server(5, "x") });
      }),
    );

    await client.getServer(5);

    expect(clock.sleeps).toEqual([60_000]);
  });

  it("re-sends a POST after a 429, with the same body", async () => {
    const bodies: unknown[] = [];
    mock.use(
      http.post(`${BASE_URL}/servers`, async ({ request }) => {
        bodies.push(await request.json());
        return bodies.length === 1 ? errorResponse(429, "rate_limit_exceeded") : created(9);
      }),
    );
    const { client, clock } = makeClient();

    const result = await client.createServer(createBody);

    expect(result.server.id).toBe(9);
    expect(bodies).toEqual([createBody, createBody]);
    expect(clock.sleeps).toHaveLength(1);
  });

  it("re-sends a POST after a conflict", async () => {
    let calls = 0;
    mock.use(
      http.post(`${BASE_URL}/servers`, () => {
        calls++;
        return calls === 1 ? errorResponse(409, "conflict") : created(10);
      }),
    );
    const { client, retries } = makeClient();

    await client.createServer(createBody);

    expect(calls).toBe(2);
    expect(retries[0]).toMatchObject({ code: "conflict", status: 409, method: "POST" });
  });

  it.each([
    [503, "unavailable"],
    [502, "bad_gateway"],
    [504, "timeout"],
  ])("never re-sends POST /servers after a %i", async (status, code) => {
    let calls = 0;
    mock.use(
      http.post(`${BASE_URL}/servers`, () => {
        calls++;
        return errorResponse(status, code);
      }),
    );
    const { client, clock, retries } = makeClient();

    await expect(client.createServer(createBody)).rejects.toMatchObject({ status, code });
    expect(calls).toBe(1);
    expect(clock.sleeps).toEqual([]);
    expect(retries).toEqual([]);
  });

  it("never re-sends a POST after a network error", async () => {
    let calls = 0;
    const { client } = makeClient({
      fetch: async () => {
        calls++;
        throw new TypeError("fetch failed", {
          cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }),
        });
      },
    });

    const error = await client.createServer(createBody).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HetznerNetworkError);
    expect(error).toMatchObject({ method: "POST", path: "/servers", isRetryable: false });
    expect((error as Error).message).toContain("ECONNRESET");
    expect(calls).toBe(1);
  });

  it("retries a GET after 502 with exponential backoff", async () => {
    let calls = 0;
    mock.use(
      http.get(`${BASE_URL}/servers/:id`, () => {
        calls++;
        return calls < 3
          ? new HttpResponse("bad gateway", { status: 502 })
          : HttpResponse.json({ server: server(3, "c") });
      }),
    );
    const { client, clock, retries } = makeClient();

    const found = await client.getServer(3);

    expect(found.id).toBe(3);
    expect(calls).toBe(3);
    // random() = 0 keeps only the fixed half of 1000 ms, then of 2000 ms
    expect(clock.sleeps).toEqual([500, 1000]);
    expect(retries.map((event) => [event.attempt, event.status])).toEqual([
      [1, 502],
      [2, 502],
    ]);
  });

  it("applies jitter from the injected random source", async () => {
    let calls = 0;
    mock.use(
      http.get(`${BASE_URL}/servers/:id`, () => {
        calls++;
        return calls === 1
          ? errorResponse(504, "timeout")
          : HttpResponse.json({ server: server(3, "c") });
      }),
    );
    const { client, clock } = makeClient({ retry: { random: () => 0.5 } });

    await client.getServer(3);

    expect(clock.sleeps).toEqual([750]);
  });

  it("retries a GET after a network error", async () => {
    let calls = 0;
    const { client, clock } = makeClient({
      fetch: async () => {
        calls++;
        if (calls === 1) throw new TypeError("fetch failed");
        return Response.json({ server: server(4, "d") });
      },
    });

    await expect(client.getServer(4)).resolves.toMatchObject({ id: 4 });
    expect(calls).toBe(2);
    expect(clock.sleeps).toEqual([500]);
  });

  it("runs one retry loop when a network error is followed by 502s", async () => {
    let calls = 0;
    const { client, clock, retries } = makeClient({
      retry: { random: () => 0, maxRetries: 2 },
      fetch: async () => {
        calls++;
        if (calls === 1) throw new TypeError("fetch failed");
        return Response.json(
          { error: { code: "bad_gateway", message: "bad gateway", details: null } },
          { status: 502 },
        );
      },
    });

    await expect(client.getServer(1)).rejects.toMatchObject({ status: 502 });
    expect(calls).toBe(3);
    expect(retries.map((event) => event.attempt)).toEqual([1, 2]);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it("times out a hung GET with the client's clock and retries it", async () => {
    let calls = 0;
    const { client, clock, retries } = makeClient({
      retry: { random: () => 0, timeoutMs: 5_000 },
      fetch: (input) => {
        calls++;
        const request = input as Request;
        if (calls === 1) {
          return hangUntilAborted(request);
        }
        return Promise.resolve(Response.json({ server: server(6, "late") }));
      },
    });

    await expect(client.getServer(6)).resolves.toMatchObject({ name: "late" });
    expect(calls).toBe(2);
    expect(clock.sleeps.slice(0, 2)).toEqual([5_000, 500]);
    expect(retries[0]?.reason).toBe("no response within 5000 ms");
  });

  it("never re-sends a POST that timed out", async () => {
    let calls = 0;
    const { client } = makeClient({
      retry: { timeoutMs: 5_000 },
      fetch: (input) => {
        calls++;
        const request = input as Request;
        return hangUntilAborted(request);
      },
    });

    const error = await client.createServer(createBody).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HetznerNetworkError);
    expect((error as Error).message).toContain("no response within 5000 ms");
    expect((error as Error).message).toContain("may have been applied");
    expect(calls).toBe(1);
  });

  it("gives up after maxRetries and reports the last error", async () => {
    let calls = 0;
    mock.use(
      http.get(`${BASE_URL}/servers/:id`, () => {
        calls++;
        return errorResponse(502, "bad_gateway");
      }),
    );
    const { client, clock } = makeClient({ retry: { random: () => 0, maxRetries: 2 } });

    await expect(client.getServer(1)).rejects.toMatchObject({ status: 502, isRetryable: true });
    expect(calls).toBe(3);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it("keeps retrying when an onRetry listener throws", async () => {
    let calls = 0;
    mock.use(
      http.get(`${BASE_URL}/servers/:id`, () => {
        calls++;
        return calls === 1
          ? errorResponse(502, "bad_gateway")
          : HttpResponse.json({ server: server(2, "b") });
      }),
    );
    const { client } = makeClient({
      onRetry: () => {
        throw new Error("listener bug");
      },
    });

    await expect(client.getServer(2)).resolves.toMatchObject({ id: 2 });
    expect(calls).toBe(2);
  });

  it("does not retry at all with retry: false", async () => {
    let calls = 0;
    mock.use(
      http.get(`${BASE_URL}/servers/:id`, () => {
        calls++;
        return errorResponse(429, "rate_limit_exceeded");
      }),
    );
    const { client } = makeClient({ retry: false });

    await expect(client.getServer(1)).rejects.toMatchObject({ status: 429 });
    expect(calls).toBe(1);
  });

  it("does not retry codes listed in doNotRetry", async () => {
    let calls = 0;
    mock.use(
      http.get(`${BASE_URL}/servers/:id`, () => {
        calls++;
        return errorResponse(409, "conflict");
      }),
    );
    const { client } = makeClient({ retry: { doNotRetry: ["conflict"] } });

    await expect(client.getServer(1)).rejects.toMatchObject({ code: "conflict" });
    expect(calls).toBe(1);
  });

  it("does not retry a 503 or a 500 on GET", async () => {
    let calls = 0;
    mock.use(
      http.get(`${BASE_URL}/servers/:id`, () => {
        calls++;
        return errorResponse(calls === 1 ? 503 : 500, "unavailable");
      }),
    );
    const { client } = makeClient();

    await expect(client.getServer(1)).rejects.toMatchObject({ status: 503 });
    expect(calls).toBe(1);
  });

  it("stops waiting and never retries when the signal aborts", async () => {
    const clock = createManualClock({ autoAdvance: false });
    let calls = 0;
    mock.use(
      http.get(`${BASE_URL}/servers/:id`, () => {
        calls++;
        return errorResponse(502, "bad_gateway");
      }),
    );
    const client = createHetznerClient({ token: TOKEN, clock });
    const controller = new AbortController();

    const pending = client.getServer(1, { signal: controller.signal });
    await expect.poll(() => clock.pending).toBe(1);
    controller.abort();

    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(calls).toBe(1);
  });

  it("passes an already aborted signal through without sending", async () => {
    const { client } = makeClient();
    const controller = new AbortController();
    controller.abort();

    await expect(client.getServer(1, { signal: controller.signal })).rejects.toMatchObject({
      name: "AbortError",
    });
  });
});

describe("helpers", () => {
  it("findServer resolves undefined for a missing server", async () => {
    mock.use(http.get(`${BASE_URL}/servers/:id`, () => errorResponse(404, "not_found")));
    const { client } = makeClient();

    await expect(client.findServer(99)).resolves.toBeUndefined();
  });

  it("findServer rethrows other errors", async () => {
    mock.use(http.get(`${BASE_URL}/servers/:id`, () => errorResponse(401, "unauthorized")));
    const { client } = makeClient();

    await expect(client.findServer(99)).rejects.toMatchObject({ code: "unauthorized" });
  });

  it("deleteServer returns the delete action, or undefined when already gone", async () => {
    mock.use(
      http.delete(`${BASE_URL}/servers/:id`, ({ params }) =>
        params.id === "1"
          ? HttpResponse.json({ action: { ...action(300, "running"), command: "delete_server" } })
          : errorResponse(404, "not_found"),
      ),
    );
    const { client } = makeClient();

    await expect(client.deleteServer(1)).resolves.toMatchObject({
      id: 300,
      command: "delete_server",
    });
    await expect(client.deleteServer(2)).resolves.toBeUndefined();
  });

  it("listServers filters by label selector and name across pages", async () => {
    const queries: URLSearchParams[] = [];
    mock.use(
      http.get(`${BASE_URL}/servers`, ({ request }) => {
        const query = new URL(request.url).searchParams;
        queries.push(query);
        const page = Number(query.get("page"));
        return HttpResponse.json({
          servers: [server(page, `s${page}`)],
          meta: pagination(page, 2),
        });
      }),
    );
    const { client } = makeClient();

    const servers = await client.listServers({
      labelSelector: "tailvm/agent=a1",
      name: "runner-1",
    });

    expect(servers.map((entry) => entry.id)).toEqual([1, 2]);
    expect(queries.map((query) => query.get("label_selector"))).toEqual([
      "tailvm/agent=a1",
      "tailvm/agent=a1",
    ]);
    expect(queries[0]?.get("name")).toBe("runner-1");
    expect(queries[0]?.get("per_page")).toBe("50");
  });

  it("listServerTypes keeps per-location availability", async () => {
    mock.use(
      http.get(`${BASE_URL}/server_types`, () =>
        HttpResponse.json({
          server_types: [
            {
              ...server(1, "x").server_type,
              locations: [
                { id: 1, name: "nbg1", deprecation: null, recommended: true, available: true },
                { id: 2, name: "fsn1", deprecation: null, recommended: false, available: false },
              ],
            },
          ],
          meta: pagination(1, 1),
        }),
      ),
    );
    const { client } = makeClient();

    const [type] = await client.listServerTypes();

    expect(type?.name).toBe("cx23");
    expect(type?.locations.map((location) => [location.name, location.available])).toEqual([
      ["nbg1", true],
      ["fsn1", false],
    ]);
  });

  it("listLocations returns every location", async () => {
    mock.use(
      http.get(`${BASE_URL}/locations`, () =>
        HttpResponse.json({
          locations: [server(1, "x").location, { ...server(1, "x").location, id: 2, name: "fsn1" }],
          meta: pagination(1, 1),
        }),
      ),
    );
    const { client } = makeClient();

    const locations = await client.listLocations();

    expect(locations.map((location) => location.name)).toEqual(["nbg1", "fsn1"]);
  });
});

describe("input validation", () => {
  it("rejects an empty token before any request", () => {
    expect(() => createHetznerClient({ token: " " })).toThrow(HetznerInputError);
    expect(() => createHetznerClient({ token: "" })).toThrow(/token/);
  });

  it("rejects a malformed base URL", () => {
    expect(() => createHetznerClient({ token: TOKEN, baseUrl: "api.hetzner.cloud" })).toThrow(
      expect.objectContaining({ field: "baseUrl" }),
    );
  });

  it.each([
    [{ ...createBody, name: "bad name!" }, "body.name"],
    [{ ...createBody, name: "-leading" }, "body.name"],
    [{ ...createBody, server_type: "" }, "body.server_type"],
    [{ ...createBody, image: " " }, "body.image"],
  ])("rejects a bad create body %j naming %s, before sending", async (body, field) => {
    const { client } = makeClient();

    const error = await client.createServer(body).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HetznerInputError);
    expect(error).toMatchObject({ field });
    expect((error as Error).message).toContain(field);
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects server id %s", async (id) => {
    const { client } = makeClient();

    await expect(client.getServer(id)).rejects.toMatchObject({
      name: "HetznerInputError",
      field: "id",
    });
    await expect(client.deleteServer(id)).rejects.toMatchObject({ field: "id" });
  });
});
