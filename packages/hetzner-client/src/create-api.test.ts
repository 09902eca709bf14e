import { counted, createVirtualClock } from "@tailvm/internal/test";
import { describeAttemptRules } from "@tailvm/internal/test/contracts";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { action, createBody, created, errorResponse, server, TOKEN } from "../test/fixtures";
import { makeClient, useHetznerApi } from "../test/msw-client";
import { createHetznerClient } from "./client";
import { HetznerNetworkError } from "./errors";

const mock = useHetznerApi();

describeAttemptRules({
  connect: ({ fetch, retry }) => {
    const { client, clock, retries } = makeClient({ fetch, retry });
    return {
      clock,
      retries,
      use: (middleware) => client.api.use(middleware),
      read: () => client.getServer(6),
      create: () => client.createServer(createBody),
    };
  },
  readAnswer: {
    response: () => Response.json({ server: server(6, "late") }),
    resolves: { name: "late" },
  },
  failure: (status) => errorResponse(status, "bad_gateway"),
  networkError: HetznerNetworkError,
  mayHaveBeenApplied: /may have been applied/,
});

describe("attempts", () => {
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
