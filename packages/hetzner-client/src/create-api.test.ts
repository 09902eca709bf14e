import { describeRequestRules, type RequestSubject } from "@tailvm/internal/test/contracts";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import {
  action,
  createBody,
  created,
  errorResponse,
  rateLimitExceeded,
  server,
} from "../test/fixtures";
import { makeClient, useHetznerApi } from "../test/msw-client";
import { HetznerNetworkError } from "./errors";

const mock = useHetznerApi();

const labelledBody = { ...createBody, labels: { team: "ci" } };

const subject: RequestSubject = {
  connect: ({ fetch, retry }) => {
    const { client, clock, retries } = makeClient({ fetch, retry });
    return {
      clock,
      retries,
      use: (middleware) => client.api.use(middleware),
      eject: (middleware) => client.api.eject(middleware),
      read: (options) => client.getServer(6, options),
      create: () => client.createServer(labelledBody),
    };
  },
  readPath: "/v1/servers/6",
  readAnswer: {
    response: () => Response.json({ server: server(6, "late") }),
    resolves: { name: "late" },
  },
  createAnswer: { response: () => created(9), resolves: { server: { id: 9 } } },
  createBody: labelledBody,
  failure: (status) => errorResponse(status, "bad_gateway"),
  rateLimitedFor: (seconds, nowMs) => rateLimitExceeded(Math.floor(nowMs / 1000) + seconds),
  eventPaths: { read: "/servers/6", create: "/servers" },
  rateLimitEvent: () => ({ code: "rate_limit_exceeded", reason: expect.stringContaining("429") }),
  networkError: HetznerNetworkError,
  mayHaveBeenApplied: /may have been applied/,
};

describeRequestRules(subject);

describe("client.api", () => {
  it("runs the middleware added with use() on a raw GET too", async () => {
    mock.get("/servers/:id", () => HttpResponse.json({ server: server(3, "c") }));
    const { client } = makeClient();
    const seen: string[] = [];
    client.api.use({
      onRequest: ({ request }) => {
        seen.push(`request ${request.method} ${new URL(request.url).pathname}`);
      },
      onResponse: ({ response }) => {
        seen.push(`response ${response.status}`);
      },
    });

    const raw = await client.api.GET("/servers/{id}", { params: { path: { id: 3 } } });

    expect(raw.data?.server?.id).toBe(3);
    expect(seen).toEqual(["request GET /v1/servers/3", "response 200"]);
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
