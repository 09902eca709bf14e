import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { everythingReachable } from "../test/everything-reachable.js";
import { createFakeClock } from "../test/fake-clock.js";
import {
  API_KEY,
  BASE_URL,
  device,
  MINTED_AUTH_KEY,
  OAUTH_CLIENT_ID,
  OAUTH_CLIENT_SECRET,
} from "../test/fake-tailscale-api.js";
import { useMockTailscale } from "../test/mock-tailscale.js";
import { TailscaleApiError, TailscaleError, TailscaleInputError } from "./errors.js";
import type { RetryEvent } from "./retry.js";
import { createTailscaleClient } from "./tailscale-client.js";

const mock = useMockTailscale();

function apiKeyClient(options: { onRetry?: (event: RetryEvent) => void } = {}) {
  const clock = createFakeClock();
  const tailscale = createTailscaleClient({ auth: { apiKey: API_KEY }, clock, ...options });
  return { tailscale, clock };
}

function oauthClient() {
  return createTailscaleClient({
    auth: { oauthClientId: OAUTH_CLIENT_ID, oauthClientSecret: OAUTH_CLIENT_SECRET },
    clock: createFakeClock(),
  });
}

describe("createTailscaleClient", () => {
  it("sends the API key as a Bearer token with a User-Agent", async () => {
    let userAgent: string | null = null;
    mock.server.use(
      http.get(`${BASE_URL}/tailnet/:tailnet/devices`, ({ request }) => {
        userAgent = request.headers.get("user-agent");
      }),
    );
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

describe("createAuthKey", () => {
  it("sends exactly the spec's capabilities.devices.create body and returns id, key, expires", async () => {
    const key = await oauthClient().createAuthKey({
      tags: ["tag:ci", "tag:runner"],
      expirySeconds: 600,
      description: "tailvm runner-1",
    });

    expect(mock.api.createKeyBodies).toStrictEqual([
      {
        capabilities: {
          devices: {
            create: {
              reusable: false,
              ephemeral: true,
              preauthorized: true,
              tags: ["tag:ci", "tag:runner"],
            },
          },
        },
        expirySeconds: 600,
        description: "tailvm runner-1",
      },
    ]);
    expect(key).toEqual({
      id: "kKEY42CNTRL",
      key: MINTED_AUTH_KEY,
      expires: "2026-03-01T12:10:00Z",
    });
  });

  it("passes reusable, ephemeral and preauthorized through", async () => {
    await apiKeyClient().tailscale.createAuthKey({
      tags: [],
      reusable: true,
      ephemeral: false,
      preauthorized: false,
    });
    expect(mock.api.createKeyBodies).toStrictEqual([
      {
        capabilities: {
          devices: { create: { reusable: true, ephemeral: false, preauthorized: false, tags: [] } },
        },
      },
    ]);
  });

  it("refuses an empty tag list with OAuth before sending any request", async () => {
    const error = await oauthClient()
      .createAuthKey({ tags: [] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TailscaleInputError);
    expect(error).toMatchObject({ field: "tags" });
    expect((error as Error).message).toMatch(/OAuth client must carry at least one tag/);
    expect(mock.requests).toEqual([]);
  });

  it("refuses a malformed tag before sending any request", async () => {
    const error = await oauthClient()
      .createAuthKey({ tags: ["tag:ci", "runner"] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TailscaleInputError);
    expect(error).toMatchObject({ field: "tags[1]" });
    expect((error as Error).message).toContain('"runner"');
    expect(mock.requests).toEqual([]);
  });

  it("is not re-sent after a 503, since the key may have been created", async () => {
    mock.server.use(
      http.post(`${BASE_URL}/tailnet/:tailnet/keys`, () =>
        HttpResponse.json({ message: "upstream unavailable" }, { status: 503 }),
      ),
    );
    const { tailscale, clock } = apiKeyClient();
    const error = await tailscale.createAuthKey({ tags: ["tag:ci"] }).catch((caught) => caught);
    expect(error).toBeInstanceOf(TailscaleApiError);
    expect(error).toMatchObject({
      status: 503,
      method: "POST",
      path: "/tailnet/-/keys",
      isRetryable: false,
    });
    expect((error as Error).message).toMatch(/may already exist/);
    expect((error as Error).message).toMatch(/list the tailnet's keys/);
    expect((error as Error).message).not.toMatch(/retry later/);
    expect((error as Error).message).not.toContain(API_KEY);
    expect(mock.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("is re-sent after a 429, waiting as long as Retry-After says", async () => {
    let limited = true;
    mock.server.use(
      http.post(`${BASE_URL}/tailnet/:tailnet/keys`, () => {
        if (!limited) return undefined;
        limited = false;
        return HttpResponse.json(
          { message: "rate limited" },
          { status: 429, headers: { "Retry-After": "7" } },
        );
      }),
    );
    const events: RetryEvent[] = [];
    const { tailscale, clock } = apiKeyClient({ onRetry: (event) => events.push(event) });
    await expect(tailscale.createAuthKey({ tags: ["tag:ci"] })).resolves.toMatchObject({
      id: "kKEY42CNTRL",
    });
    expect(clock.sleeps).toEqual([7_000]);
    expect(events).toEqual([
      {
        attempt: 1,
        delayMs: 7_000,
        method: "POST",
        path: "/tailnet/-/keys",
        status: 429,
        reason: "rate limited (HTTP 429), Retry-After 7 s",
      },
    ]);
    expect(mock.requests).toHaveLength(2);
  });
});

describe("getAuthKey and deleteAuthKey", () => {
  it("returns the key, or undefined when it is gone", async () => {
    const { tailscale } = apiKeyClient();
    await expect(tailscale.getAuthKey("kKEY42CNTRL")).resolves.toMatchObject({ id: "kKEY42CNTRL" });
    await expect(tailscale.getAuthKey("kGONE")).resolves.toBeUndefined();
  });

  it("returns true when it deleted the key and false when it was already gone", async () => {
    const { tailscale } = apiKeyClient();
    await expect(tailscale.deleteAuthKey("kKEY42CNTRL")).resolves.toBe(true);
    await expect(tailscale.deleteAuthKey("kKEY42CNTRL")).resolves.toBe(false);
    expect(mock.api.deletedKeys).toEqual(["kKEY42CNTRL"]);
  });
});

describe("listDevices and findDevices", () => {
  it("asks for all fields when told to", async () => {
    let fields: string | null = null;
    mock.server.use(
      http.get(`${BASE_URL}/tailnet/:tailnet/devices`, ({ request }) => {
        fields = new URL(request.url).searchParams.get("fields");
      }),
    );
    await apiKeyClient().tailscale.listDevices({ fields: "all" });
    expect(fields).toBe("all");
  });

  it("matches the machine hostname, every tag and the creation time, not the MagicDNS name", async () => {
    mock.api.devices.push(
      device({ nodeId: "match", hostname: "runner-1", tags: ["tag:ci", "tag:extra"] }),
      device({ nodeId: "upper", hostname: "Runner-1" }),
      device({ nodeId: "renamed", hostname: "runner-1-old", name: "runner-1.tail1234.ts.net" }),
      device({ nodeId: "untagged", hostname: "runner-1", tags: [] }),
      device({ nodeId: "old", hostname: "runner-1", created: "2026-03-01T11:00:00Z" }),
    );
    const { tailscale } = apiKeyClient();

    const found = await tailscale.findDevices({
      hostname: "runner-1",
      tags: ["tag:ci"],
      createdAfter: new Date("2026-03-01T12:00:00Z"),
    });
    expect(found.map((candidate) => candidate.nodeId)).toEqual(["match"]);

    const byHostname = await tailscale.findDevices({ hostname: "runner-1" });
    expect(byHostname.map((candidate) => candidate.nodeId)).toEqual(["match", "untagged", "old"]);
  });

  it("lets Tailscale filter by hostname and tags, so a large tailnet is not listed whole", async () => {
    const queries: string[] = [];
    mock.server.use(
      http.get(`${BASE_URL}/tailnet/:tailnet/devices`, ({ request }) => {
        queries.push(new URL(request.url).search);
      }),
    );
    const { tailscale } = apiKeyClient();
    await tailscale.findDevices({ hostname: "runner-1", tags: ["tag:ci", "tag:gpu"] });
    await tailscale.waitForDevice({ hostname: "runner-2", timeoutMs: 1 }).catch(() => undefined);
    await tailscale.listDevices({ fields: "all", filters: { isEphemeral: "true" } });
    expect(queries).toEqual([
      "?hostname=runner-1&tags=tag%3Aci&tags=tag%3Agpu",
      // The wait polls once; its 1 ms deadline passes before the next poll.
      "?hostname=runner-2",
      "?isEphemeral=true&fields=all",
    ]);
  });

  it("retries a GET after a 503 and reports the retry", async () => {
    let failures = 2;
    mock.server.use(
      http.get(`${BASE_URL}/tailnet/:tailnet/devices`, () =>
        failures-- > 0 ? HttpResponse.json({ message: "busy" }, { status: 503 }) : undefined,
      ),
    );
    const events: RetryEvent[] = [];
    const { tailscale, clock } = apiKeyClient({ onRetry: (event) => events.push(event) });
    await expect(tailscale.listDevices()).resolves.toEqual([]);
    expect(mock.requests).toHaveLength(3);
    expect(events.map((event) => [event.attempt, event.status, event.path])).toEqual([
      [1, 503, "/tailnet/-/devices"],
      [2, 503, "/tailnet/-/devices"],
    ]);
    expect(clock.sleeps).toEqual(events.map((event) => event.delayMs));
    // Exponential backoff with jitter: 0.5-1 s, then 1-2 s.
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(500);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(1_000);
    expect(clock.sleeps[1]).toBeGreaterThanOrEqual(1_000);
    expect(clock.sleeps[1]).toBeLessThanOrEqual(2_000);
  });

  it("gives up after maxRetries with an error that says what happened", async () => {
    mock.server.use(
      http.get(`${BASE_URL}/tailnet/:tailnet/devices`, () =>
        HttpResponse.json({ message: "bad gateway" }, { status: 502 }),
      ),
    );
    const tailscale = createTailscaleClient({
      auth: { apiKey: API_KEY },
      clock: createFakeClock(),
      retry: { maxRetries: 2 },
    });
    const error = await tailscale.listDevices().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TailscaleApiError);
    expect(error).toMatchObject({ status: 502, isRetryable: true, apiMessage: "bad gateway" });
    expect((error as Error).message).toMatch(
      /GET \/tailnet\/-\/devices with HTTP 502: bad gateway/,
    );
    expect(mock.requests).toHaveLength(3);
  });
});

describe("deleteDevice and removeStaleDevices", () => {
  it("returns false for a device that is already gone", async () => {
    mock.api.devices.push(device({ nodeId: "n1", hostname: "a" }));
    const { tailscale } = apiKeyClient();
    await expect(tailscale.deleteDevice("n1")).resolves.toBe(true);
    await expect(tailscale.deleteDevice("n1")).resolves.toBe(false);
  });

  it("deletes only offline devices with the same hostname and tags", async () => {
    mock.api.devices.push(
      device({ nodeId: "stale", hostname: "runner-1", connectedToControl: false }),
      device({ nodeId: "stale-2", hostname: "runner-1", connectedToControl: false }),
      device({ nodeId: "online", hostname: "runner-1", connectedToControl: true }),
      device({
        nodeId: "other-tags",
        hostname: "runner-1",
        connectedToControl: false,
        tags: ["tag:x"],
      }),
      device({ nodeId: "other-host", hostname: "runner-2", connectedToControl: false }),
      device({
        nodeId: "same-dns-name",
        hostname: "laptop",
        name: "runner-1.tail1234.ts.net",
        connectedToControl: false,
      }),
    );
    const { tailscale } = apiKeyClient();

    const removed = await tailscale.removeStaleDevices({ hostname: "runner-1", tags: ["tag:ci"] });

    expect(removed.map((candidate) => candidate.nodeId)).toEqual(["stale", "stale-2"]);
    expect(mock.api.deletedDevices).toEqual(["stale", "stale-2"]);
    expect(mock.api.devices.map((candidate) => candidate.nodeId)).toEqual([
      "online",
      "other-tags",
      "other-host",
      "same-dns-name",
    ]);
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
    mock.server.use(
      http.get(`${BASE_URL}/tailnet/:tailnet/devices`, ({ request }) =>
        HttpResponse.json(
          { message: `token ${request.headers.get("authorization")} lacks devices:core` },
          { status: 403 },
        ),
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
    mock.server.use(
      http.delete(`${BASE_URL}/tailnet/:tailnet/keys/:keyId`, () =>
        HttpResponse.json({ message: `cannot revoke ${key}` }, { status: 500 }),
      ),
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
    const tailscale = createTailscaleClient({
      auth: { apiKey: API_KEY },
      clock: createFakeClock(),
      fetch: leakyFetch as typeof fetch,
      retry: { maxRetries: 1 },
    });
    const error = await tailscale.listDevices().catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/Could not reach Tailscale .* ECONNREFUSED/);
    expect((error as TailscaleError).isRetryable).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(Error);
    expectNoSecret(error);
  });

  it("keeps credentials out of a network error whose cause carries the request", async () => {
    const wrapperFetch = async (input: Request | string | URL) => {
      const request = input as Request;
      if (request.url.endsWith("/oauth/token")) return globalThis.fetch(request);
      const failure = new TypeError("fetch failed", {
        cause: Object.assign(new Error("connect ECONNREFUSED"), {
          code: "ECONNREFUSED",
          request,
        }),
      });
      throw Object.assign(failure, { request, headers: request.headers });
    };
    const tailscale = createTailscaleClient({
      auth: { oauthClientId: OAUTH_CLIENT_ID, oauthClientSecret: OAUTH_CLIENT_SECRET },
      clock: createFakeClock(),
      fetch: wrapperFetch as typeof fetch,
      retry: false,
    });

    const error = await tailscale
      .createAuthKey({ tags: ["tag:ci"] })
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ name: "TailscaleNetworkError", method: "POST" });
    const cause = (error as Error).cause as Error & { request?: unknown };
    expect(cause).toMatchObject({ name: "TypeError", message: "fetch failed" });
    expect(cause.request).toBeUndefined();
    expect(cause.cause).toMatchObject({ code: "ECONNREFUSED" });
    const exposed = everythingReachable(error);
    expect(exposed).toContain("ECONNREFUSED");
    expect(exposed).not.toContain(OAUTH_CLIENT_SECRET);
    expect(exposed).not.toMatch(/access-token-\d/);
    expect(exposed).not.toMatch(/Bearer (?!\*\*\*)/);
  });

  it("keeps credentials out of input errors", async () => {
    const error = await oauthClient()
      .createAuthKey({ tags: [OAUTH_CLIENT_SECRET] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TailscaleInputError);
    expectNoSecret(error);
  });
});
