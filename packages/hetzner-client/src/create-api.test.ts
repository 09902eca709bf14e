import { counted, countedFetch, createVirtualClock, hangUntilAborted } from "@tailvm/internal/test";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { action, createBody, created, errorResponse, server, TOKEN } from "../test/fixtures";
import { makeClient, useHetznerApi } from "../test/msw-client";
import { createHetznerClient } from "./client";
import { HetznerNetworkError } from "./errors";

const mock = useHetznerApi();

describe("attempts", () => {
  it("times out a hung GET with the client's clock and retries it", async () => {
    const fetch = countedFetch((call, request) =>
      call === 1 ? hangUntilAborted(request) : Response.json({ server: server(6, "late") }),
    );
    const { client, clock, retries } = makeClient({
      retry: { random: () => 0, timeoutMs: 5_000 },
      fetch,
    });

    await expect(client.getServer(6)).resolves.toMatchObject({ name: "late" });
    expect(fetch.count).toBe(2);
    expect(clock.sleeps.slice(0, 2)).toEqual([5_000, 500]);
    expect(retries[0]?.reason).toBe("no response within 5000 ms");
  });

  it("never re-sends a POST that timed out", async () => {
    const fetch = countedFetch((_call, request) => hangUntilAborted(request));
    const { client } = makeClient({ retry: { timeoutMs: 5_000 }, fetch });

    const error = await client.createServer(createBody).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HetznerNetworkError);
    expect((error as Error).message).toContain("no response within 5000 ms");
    expect((error as Error).message).toContain("may have been applied");
    expect(fetch.count).toBe(1);
  });

  it("stops waiting and never retries when the signal aborts", async () => {
    const clock = createVirtualClock({ autoAdvance: false });
    const calls = mock.counted("get", "/servers/:id", () => errorResponse(502, "bad_gateway"));
    const client = createHetznerClient({ token: TOKEN, clock });
    const controller = new AbortController();

    const pending = client.getServer(1, { signal: controller.signal });
    await expect.poll(() => clock.pending).toBe(1);
    controller.abort();

    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(calls.count).toBe(1);
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

describe("middleware added with api.use()", () => {
  it("runs onRequest and onResponse on every attempt of a retried request", async () => {
    mock.counted("get", "/servers/:id", (call) =>
      call < 3
        ? errorResponse(call === 1 ? 429 : 502, call === 1 ? "rate_limit_exceeded" : "bad_gateway")
        : HttpResponse.json({ server: server(3, "c") }),
    );
    const { client, retries } = makeClient();
    const seen: string[] = [];
    const middleware = {
      onRequest: ({ request }: { request: Request }) => {
        seen.push(`request ${request.method} ${new URL(request.url).pathname}`);
      },
      onResponse: ({ response }: { response: Response }) => {
        seen.push(`response ${response.status}`);
      },
    };
    client.api.use(middleware);

    await expect(client.getServer(3)).resolves.toMatchObject({ id: 3 });
    const raw = await client.api.GET("/servers/{id}", { params: { path: { id: 3 } } });

    expect(raw.data?.server?.id).toBe(3);
    expect(seen).toEqual([
      "request GET /v1/servers/3",
      "response 429",
      "request GET /v1/servers/3",
      "response 502",
      "request GET /v1/servers/3",
      "response 200",
      "request GET /v1/servers/3",
      "response 200",
    ]);
    expect(retries.map((event) => event.status)).toEqual([429, 502]);

    client.api.eject(middleware);
    await client.getServer(3);
    expect(seen).toHaveLength(8);
  });

  it("lets a middleware replace the request of a createServer retried after a 429", async () => {
    const bodies: unknown[] = [];
    const marks: (string | null)[] = [];
    mock.post("/servers", async ({ request }) => {
      bodies.push(await request.json());
      marks.push(request.headers.get("x-attempt"));
      return bodies.length === 1 ? errorResponse(429, "rate_limit_exceeded") : created(9);
    });
    const { client, clock } = makeClient();
    client.api.use({
      onRequest: counted((attempt, { request }: { request: Request }) => {
        const headers = new Headers(request.headers);
        headers.set("x-attempt", String(attempt));
        return new Request(request, { headers });
      }),
    });

    const result = await client.createServer({ ...createBody, labels: { team: "ci" } });

    expect(result.server.id).toBe(9);
    expect(bodies).toEqual([
      { ...createBody, labels: { team: "ci" } },
      { ...createBody, labels: { team: "ci" } },
    ]);
    expect(marks).toEqual(["1", "2"]);
    expect(clock.sleeps).toHaveLength(1);
  });

  it("sees a POST that got a 502 once: it is not re-sent", async () => {
    const calls = mock.counted("post", "/servers", () => errorResponse(502, "bad_gateway"));
    const { client, retries } = makeClient();
    const onRequest = counted(() => undefined);
    client.api.use({ onRequest });

    await expect(client.createServer(createBody)).rejects.toMatchObject({
      status: 502,
      method: "POST",
      isRetryable: false,
    });
    expect([calls.count, onRequest.count]).toEqual([1, 1]);
    expect(retries).toEqual([]);
  });

  it("retries a locked resource with backoff, for a POST too", async () => {
    const calls = mock.counted("post", "/servers/:id/actions/poweron", (call) =>
      call === 1
        ? errorResponse(423, "locked")
        : HttpResponse.json({ action: action(5, "running") }, { status: 201 }),
    );
    const { client, clock } = makeClient();

    const { data } = await client.api.POST("/servers/{id}/actions/poweron", {
      params: { path: { id: 1 } },
    });

    expect(data?.action.id).toBe(5);
    expect(calls.count).toBe(2);
    expect(clock.sleeps).toEqual([500]);
  });
});
