import { counted } from "@tailvm/internal/test";
import { describeAttemptRules } from "@tailvm/internal/test/contracts";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { apiKeyClient, oauthClient } from "../test/clients.js";
import { useMockTailscale } from "../test/mock-tailscale.js";
import { TailscaleNetworkError } from "./errors.js";
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

describeAttemptRules({
  connect: ({ fetch, retry }) => {
    const retries: RetryEvent[] = [];
    const { tailscale, clock } = apiKeyClient({
      fetch,
      retry,
      onRetry: (event) => retries.push(event),
    });
    return {
      clock,
      retries,
      use: (middleware) => tailscale.api.use(middleware),
      read: () => tailscale.listDevices(),
      create: () => tailscale.createAuthKey({ tags: ["tag:ci"] }),
    };
  },
  readAnswer: { response: () => Response.json({ devices: [] }), resolves: [] },
  failure: (status) => HttpResponse.json({ message: "bad gateway" }, { status }),
  networkError: TailscaleNetworkError,
  mayHaveBeenApplied: /may or may not have been applied/,
});
