import { connectionRefused } from "@tailvm/internal/test";
import { expectRefusedConnectionCause } from "@tailvm/internal/test/contracts";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { apiKeyClient, createVirtualClock, oauthClient, TEST_START } from "../test/clients.js";
import {
  API_KEY,
  device,
  MINTED_AUTH_KEY,
  OAUTH_CLIENT_ID,
  OAUTH_CLIENT_SECRET,
} from "../test/fake-tailscale-api.js";
import { useMockTailscale } from "../test/mock-tailscale.js";
import { TailscaleError, TailscaleInputError } from "./errors.js";
import { createTailscaleClient } from "./tailscale-client.js";

const mock = useMockTailscale();

describe("createTailscaleClient", () => {
  it("sends the API key as a Bearer token with a User-Agent", async () => {
    let userAgent: string | null = null;
    mock.get("/tailnet/:tailnet/devices", ({ request }) => {
      userAgent = request.headers.get("user-agent");
    });
    await apiKeyClient().tailscale.listDevices();
    expect(mock.requests).toEqual([
      { method: "GET", path: "/tailnet/-/devices", authorization: `Bearer ${API_KEY}` },
    ]);
    expect(userAgent).toBe("@tailvm/tailscale-client");
  });

  it("uses the tailnet and base URL it is given", async () => {
    const tailscale = createTailscaleClient({
      auth: { apiKey: API_KEY },
      tailnet: "example.com",
      baseUrl: "https://tailscale.internal/api/v2/",
    });
    mock.server.use(
      http.get("https://tailscale.internal/api/v2/tailnet/example.com/devices", () =>
        HttpResponse.json({ devices: [device({ nodeId: "n1", hostname: "a" })] }),
      ),
    );
    await expect(tailscale.listDevices()).resolves.toHaveLength(1);
    expect(tailscale.tailnet).toBe("example.com");
  });

  it("refuses missing credentials without echoing them", () => {
    expect(() => createTailscaleClient({ auth: { apiKey: "" } })).toThrow(
      expect.objectContaining({ field: "auth.apiKey" }),
    );
    expect(() =>
      createTailscaleClient({
        auth: { oauthClientId: "", oauthClientSecret: OAUTH_CLIENT_SECRET },
      }),
    ).toThrow(expect.objectContaining({ field: "auth.oauthClientId" }));
  });
});

describe("secrets", () => {
  const secrets = [API_KEY, OAUTH_CLIENT_SECRET, MINTED_AUTH_KEY];

  function expectNoSecret(error: unknown, extraSecrets: string[] = []) {
    expect(error).toBeInstanceOf(TailscaleError);
    const texts: string[] = [];
    let current: unknown = error;
    for (let depth = 0; current !== undefined && depth < 10; depth++) {
      if (current instanceof Error) {
        texts.push(current.message, current.stack ?? "", String(current));
        current = current.cause;
      } else {
        texts.push(String(current));
        current = undefined;
      }
    }
    texts.push(JSON.stringify(error));
    for (const text of texts) {
      for (const secret of [...secrets, ...extraSecrets]) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/access-token-\d/);
    }
  }

  it("keeps credentials out of API errors even when the API echoes them", async () => {
    mock.get("/tailnet/:tailnet/devices", ({ request }) =>
      HttpResponse.json(
        { message: `token ${request.headers.get("authorization")} lacks devices:core` },
        { status: 403 },
      ),
    );
    const apiKeyError = await apiKeyClient()
      .tailscale.listDevices()
      .catch((caught: unknown) => caught);
    expect(apiKeyError).toMatchObject({ status: 403 });
    expectNoSecret(apiKeyError);

    const oauthError = await oauthClient()
      .listDevices()
      .catch((caught: unknown) => caught);
    expect((oauthError as Error).message).toMatch(/scopes/);
    expectNoSecret(oauthError);
  });

  it("keeps a minted auth key out of later errors", async () => {
    const { tailscale } = apiKeyClient();
    const { key } = await tailscale.createAuthKey({ tags: ["tag:ci"] });
    mock.delete("/tailnet/:tailnet/keys/:keyId", () =>
      HttpResponse.json({ message: `cannot revoke ${key}` }, { status: 500 }),
    );
    const error = await tailscale.deleteAuthKey("kKEY42CNTRL").catch((caught: unknown) => caught);
    expect((error as Error).message).toContain("cannot revoke ***");
    expectNoSecret(error);
  });

  it("keeps credentials out of network errors and their causes", async () => {
    const leakyFetch = async (input: Request | string | URL) => {
      const header = input instanceof Request ? input.headers.get("authorization") : "";
      throw new TypeError(`connect ECONNREFUSED while sending ${header}`);
    };
    const { tailscale } = apiKeyClient({
      fetch: leakyFetch as typeof fetch,
      retry: { maxRetries: 1 },
    });
    const error = await tailscale.listDevices().catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(
      /^Could not reach Tailscale at api\.tailscale\.com for GET \/tailnet\/-\/devices \(TypeError\)\./,
    );
    expect((error as TailscaleError).isRetryable).toBe(true);
    // The cause's own message is kept once, in the cause, not repeated in the message.
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(((error as Error).cause as Error).message).toMatch(/connect ECONNREFUSED while sending/);
    expect((error as Error).message).not.toMatch(/ECONNREFUSED/);
    expectNoSecret(error);
  });

  it("keeps credentials out of a network error whose cause carries the request", async () => {
    const wrapperFetch = async (input: Request | string | URL) => {
      const request = input as Request;
      if (request.url.endsWith("/oauth/token")) return globalThis.fetch(request);
      throw connectionRefused(request);
    };
    const tailscale = createTailscaleClient({
      auth: { oauthClientId: OAUTH_CLIENT_ID, oauthClientSecret: OAUTH_CLIENT_SECRET },
      clock: createVirtualClock({ start: TEST_START }),
      fetch: wrapperFetch as typeof fetch,
      retry: false,
    });

    const error = await tailscale
      .createAuthKey({ tags: ["tag:ci"] })
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ name: "TailscaleNetworkError", method: "POST" });
    expectRefusedConnectionCause(error, [
      OAUTH_CLIENT_SECRET,
      /access-token-\d/,
      /Bearer (?!\*\*\*)/,
    ]);
  });

  it("keeps credentials out of input errors", async () => {
    const error = await oauthClient()
      .createAuthKey({ tags: [OAUTH_CLIENT_SECRET] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TailscaleInputError);
    expectNoSecret(error);
  });
});
