import { counted, countedFetch } from "@tailvm/internal/test";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { apiKeyClient, hangUntilAborted, oauthClient } from "../test/clients.js";
import { useMockTailscale } from "../test/mock-tailscale.js";
import type { RetryEvent } from "./retry-options.js";

const mock = useMockTailscale();

describe("middleware added with api.use()", () => {
  it("runs onRequest and onResponse on every attempt of a retried request", async () => {
    mock.get(
      "/tailnet/:tailnet/devices",
      counted((call) =>
        call <= 2
          ? HttpResponse.json({ message: "busy" }, { status: call === 1 ? 429 : 503 })
          : undefined,
      ),
    );
    const events: RetryEvent[] = [];
    const { tailscale } = apiKeyClient({ onRetry: (event) => events.push(event) });
    const seen: string[] = [];
    const middleware = {
      onRequest: ({ request }: { request: Request }) => {
        seen.push(`request ${request.method} ${request.headers.get("authorization") !== null}`);
      },
      onResponse: ({ response }: { response: Response }) => {
        seen.push(`response ${response.status}`);
      },
    };
    tailscale.api.use(middleware);

    await expect(tailscale.listDevices()).resolves.toEqual([]);

    expect(seen).toEqual([
      "request GET true",
      "response 429",
      "request GET true",
      "response 503",
      "request GET true",
      "response 200",
    ]);
    expect(events.map((event) => event.status)).toEqual([429, 503]);
    tailscale.api.eject(middleware);
    await tailscale.listDevices();
    expect(seen).toHaveLength(6);
  });

  it("lets a middleware replace the request of a createAuthKey retried after a 429", async () => {
    const bodies: unknown[] = [];
    const marks: (string | null)[] = [];
    mock.post("/tailnet/:tailnet/keys", async ({ request }) => {
      bodies.push(await request.clone().json());
      marks.push(request.headers.get("x-attempt"));
      if (bodies.length > 1) return undefined;
      return HttpResponse.json({ message: "slow down" }, { status: 429 });
    });
    const { tailscale, clock } = apiKeyClient();
    tailscale.api.use({
      onRequest: counted((attempt, { request }: { request: Request }) => {
        const headers = new Headers(request.headers);
        headers.set("x-attempt", String(attempt));
        return new Request(request, { headers });
      }),
    });

    await expect(
      tailscale.createAuthKey({ tags: ["tag:ci"], description: "runner 1" }),
    ).resolves.toMatchObject({ id: "kKEY42CNTRL" });

    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[0]).toMatchObject({ description: "runner 1" });
    expect(marks).toEqual(["1", "2"]);
    expect(mock.api.createKeyBodies).toEqual([bodies[0]]);
    expect(clock.sleeps).toHaveLength(1);
  });

  it("sees a POST that got a 502 once: it is not re-sent", async () => {
    mock.post("/tailnet/:tailnet/keys", () =>
      HttpResponse.json({ message: "bad gateway" }, { status: 502 }),
    );
    const events: RetryEvent[] = [];
    const { tailscale } = apiKeyClient({ onRetry: (event) => events.push(event) });
    const onRequest = counted(() => undefined);
    tailscale.api.use({ onRequest });

    await expect(tailscale.createAuthKey({ tags: ["tag:ci"] })).rejects.toMatchObject({
      status: 502,
      method: "POST",
      isRetryable: false,
    });
    expect(onRequest.count).toBe(1);
    expect(mock.requests.filter((request) => request.method === "POST")).toHaveLength(1);
    expect(events).toEqual([]);
  });

  it("runs on the attempt re-sent with a fresh OAuth token after a 401", async () => {
    const tailscale = oauthClient();
    await tailscale.listDevices();
    mock.api.acceptedTokens.delete(mock.api.issuedTokens[0] ?? "");
    const authorizations: (string | null)[] = [];
    tailscale.api.use({
      onRequest: ({ request }) => {
        authorizations.push(request.headers.get("authorization"));
      },
    });

    await expect(tailscale.listDevices()).resolves.toEqual([]);

    expect(authorizations).toEqual([
      `Bearer ${mock.api.issuedTokens[0]}`,
      `Bearer ${mock.api.issuedTokens[1]}`,
    ]);
  });

  it("keeps the caller's own headers next to the Authorization header", async () => {
    let seen: Headers | undefined;
    mock.get("/tailnet/:tailnet/devices", ({ request }) => {
      seen = request.headers;
    });
    const { tailscale } = apiKeyClient();

    await tailscale.api.GET("/tailnet/{tailnet}/devices", {
      params: { path: { tailnet: "-" } },
      headers: { "x-request-id": "r-1" },
    });

    expect(seen?.get("x-request-id")).toBe("r-1");
    expect(seen?.get("authorization")).toMatch(/^Bearer tskey-api-/);
  });
});

describe("attempts", () => {
  it("ends an attempt that outlives retry.timeoutMs and retries it when it is idempotent", async () => {
    const fetch = countedFetch((call, request) =>
      call === 1 ? hangUntilAborted(request) : Response.json({ devices: [] }),
    );
    const events: RetryEvent[] = [];
    const { tailscale, clock } = apiKeyClient({
      retry: { timeoutMs: 5_000, random: () => 0 },
      onRetry: (event) => events.push(event),
      fetch,
    });

    await expect(tailscale.listDevices()).resolves.toEqual([]);
    expect(fetch.count).toBe(2);
    expect(clock.sleeps.slice(0, 2)).toEqual([5_000, 500]);
    expect(events[0]?.reason).toBe("no response within 5000 ms");
  });

  it("never re-sends a POST that timed out, and says it may have been applied", async () => {
    const fetch = countedFetch((_call, request) => hangUntilAborted(request));
    const { tailscale } = apiKeyClient({ retry: { timeoutMs: 5_000 }, fetch });

    const error = await tailscale
      .createAuthKey({ tags: ["tag:ci"] })
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({
      name: "TailscaleNetworkError",
      method: "POST",
      isRetryable: false,
    });
    expect((error as Error).message).toContain("(no response within 5000 ms)");
    expect((error as Error).message).toMatch(/may or may not have been applied/);
    expect(fetch.count).toBe(1);
  });
});
