import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { createBody, created, server, TOKEN } from "../test/fixtures";
import { makeClient, useHetznerApi } from "../test/msw-client";
import { createHetznerClient } from "./client";
import { HetznerInputError } from "./errors";

const mock = useHetznerApi();

describe("requests", () => {
  it("sends the bearer token, JSON content type and a user agent", async () => {
    const seen: Request[] = [];
    mock.post("/servers", ({ request }) => {
      seen.push(request.clone());
      return created(42);
    });
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
    mock.get("/servers/:id", () =>
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
    );
    const { client } = makeClient();
    expect(client.rateLimit).toBeUndefined();

    await client.getServer(1);

    expect(client.rateLimit).toEqual({ limit: 3600, remaining: 3599, reset: 1750000001 });
  });
});

describe("options", () => {
  it("rejects an empty token before any request", () => {
    expect(() => createHetznerClient({ token: " " })).toThrow(HetznerInputError);
    expect(() => createHetznerClient({ token: "" })).toThrow(/token/);
  });

  it("rejects a malformed base URL", () => {
    expect(() => createHetznerClient({ token: TOKEN, baseUrl: "api.hetzner.cloud" })).toThrow(
      expect.objectContaining({ field: "baseUrl" }),
    );
  });

  it("rejects negative or non-finite retry settings, naming the field", () => {
    expect(() => createHetznerClient({ token: TOKEN, retry: { maxRetries: -1 } })).toThrow(
      expect.objectContaining({ name: "HetznerInputError", field: "retry.maxRetries" }),
    );
    expect(() => createHetznerClient({ token: TOKEN, retry: { maxDelayMs: Number.NaN } })).toThrow(
      /retry\.maxDelayMs/,
    );
    expect(() => createHetznerClient({ token: TOKEN, retry: { timeoutMs: 0 } })).toThrow(
      /retry\.timeoutMs/,
    );
    expect(() => createHetznerClient({ token: TOKEN, retry: { maxRateLimitWaitMs: -5 } })).toThrow(
      expect.objectContaining({ field: "retry.maxRateLimitWaitMs" }),
    );
  });

  it("takes undefined for every optional option", async () => {
    mock.get("/servers/:id", () => HttpResponse.json({ server: server(1, "a") }));
    const client = createHetznerClient({
      token: TOKEN,
      baseUrl: undefined,
      fetch: undefined,
      userAgent: undefined,
      retry: undefined,
      clock: undefined,
      onRetry: undefined,
    });
    await expect(client.getServer(1, { signal: undefined })).resolves.toMatchObject({ id: 1 });
  });
});
