import { describeRequestRules, type RequestSubject } from "@tailvm/internal/test/contracts";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { apiKeyClient, oauthClient } from "../test/clients.js";
import { MINTED_AUTH_KEY } from "../test/fake-tailscale-api.js";
import { useMockTailscale } from "../test/mock-tailscale.js";
import { TailscaleNetworkError } from "./errors.js";
import type { RetryEvent } from "./retry-options.js";

const mock = useMockTailscale();

describe("middleware and the Authorization header", () => {
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

const subject: RequestSubject = {
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
      eject: (middleware) => tailscale.api.eject(middleware),
      read: (options) => tailscale.listDevices(options),
      create: () => tailscale.createAuthKey({ tags: ["tag:ci"], description: "runner 1" }),
    };
  },
  readPath: "/api/v2/tailnet/-/devices",
  readAnswer: { response: () => Response.json({ devices: [] }), resolves: [] },
  createAnswer: {
    response: () => Response.json({ id: "kKEY42CNTRL", key: MINTED_AUTH_KEY }),
    resolves: { id: "kKEY42CNTRL", key: MINTED_AUTH_KEY },
  },
  createBody: {
    capabilities: {
      devices: {
        create: { reusable: false, ephemeral: true, preauthorized: true, tags: ["tag:ci"] },
      },
    },
    description: "runner 1",
  },
  failure: (status) => HttpResponse.json({ message: "bad gateway" }, { status }),
  rateLimitedFor: (seconds) =>
    HttpResponse.json(
      { message: "rate limited" },
      { status: 429, headers: { "Retry-After": String(seconds) } },
    ),
  eventPaths: { read: "/tailnet/-/devices", create: "/tailnet/-/keys" },
  rateLimitEvent: (seconds) => ({ reason: `rate limited (HTTP 429), Retry-After ${seconds} s` }),
  networkError: TailscaleNetworkError,
  mayHaveBeenApplied: /may or may not have been applied/,
};

describeRequestRules(subject);
