import { counted } from "@tailvm/internal/test";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { createVirtualClock, TEST_START } from "../test/clients.js";
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from "../test/fake-tailscale-api.js";
import { useMockTailscale } from "../test/mock-tailscale.js";
import { TailscaleApiError } from "./errors.js";
import { createTailscaleClient } from "./tailscale-client.js";

const mock = useMockTailscale();

function oauthClient(clock = createVirtualClock({ start: TEST_START }), scopes?: string[]) {
  return createTailscaleClient({
    auth: {
      oauthClientId: OAUTH_CLIENT_ID,
      oauthClientSecret: OAUTH_CLIENT_SECRET,
      ...(scopes ? { scopes } : {}),
    },
    clock,
  });
}

describe("OAuth client credentials", () => {
  it("requests a token with a form-encoded client-credentials grant", async () => {
    await oauthClient(createVirtualClock({ start: TEST_START }), [
      "auth_keys",
      "devices:core",
    ]).listDevices();

    expect(mock.api.tokenRequests).toHaveLength(1);
    const [tokenRequest] = mock.api.tokenRequests;
    expect(tokenRequest?.contentType).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(tokenRequest?.form ?? [])).toEqual({
      client_id: OAUTH_CLIENT_ID,
      client_secret: OAUTH_CLIENT_SECRET,
      grant_type: "client_credentials",
      scope: "auth_keys devices:core",
    });
    expect(mock.requests[0]).toMatchObject({ method: "POST", path: "/oauth/token" });
    expect(mock.requests[1]).toMatchObject({
      method: "GET",
      path: "/tailnet/-/devices",
      authorization: `Bearer ${mock.api.issuedTokens[0]}`,
    });
  });

  it("omits scope when no scopes are given", async () => {
    await oauthClient().listDevices();
    expect(mock.api.tokenRequests[0]?.form.has("scope")).toBe(false);
  });

  it("reuses the token until shortly before it expires, then fetches a new one", async () => {
    const clock = createVirtualClock({ start: TEST_START });
    const tailscale = oauthClient(clock);

    await tailscale.listDevices();
    await clock.advance(30 * 60_000);
    await tailscale.listDevices();
    expect(mock.api.tokenRequests).toHaveLength(1);

    // expires_in is 3600 s; within the last minute the token counts as expired.
    await clock.advance(29 * 60_000 + 1);
    await tailscale.listDevices();
    expect(mock.api.tokenRequests).toHaveLength(2);
    expect(mock.requests.at(-1)?.authorization).toBe(`Bearer ${mock.api.issuedTokens[1]}`);
  });

  it("makes exactly one token request for 20 concurrent calls", async () => {
    const tailscale = oauthClient();
    const results = await Promise.all(Array.from({ length: 20 }, () => tailscale.listDevices()));

    expect(results).toHaveLength(20);
    expect(mock.api.tokenRequests).toHaveLength(1);
    expect(mock.requests.filter((request) => request.path === "/tailnet/-/devices")).toHaveLength(
      20,
    );
  });

  it("fetches a new token once after a 401 and sends the request again", async () => {
    const tailscale = oauthClient();
    await tailscale.listDevices();
    // Tailscale revokes the first token (e.g. the client was rotated) before it expires.
    mock.api.acceptedTokens.delete(mock.api.issuedTokens[0] ?? "");

    mock.api.devices.push({ nodeId: "n1", hostname: "runner-1" });
    await expect(tailscale.listDevices()).resolves.toEqual([
      { nodeId: "n1", hostname: "runner-1" },
    ]);

    expect(mock.api.tokenRequests).toHaveLength(2);
    expect(mock.requests.map((request) => request.authorization)).toEqual([
      null,
      `Bearer ${mock.api.issuedTokens[0]}`,
      `Bearer ${mock.api.issuedTokens[0]}`,
      null,
      `Bearer ${mock.api.issuedTokens[1]}`,
    ]);
  });

  it("refreshes only once when the new token is refused too", async () => {
    const tailscale = oauthClient();
    mock.get("/tailnet/:tailnet/devices", () =>
      HttpResponse.json({ message: "unauthorized" }, { status: 401 }),
    );

    const error = await tailscale.listDevices().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TailscaleApiError);
    expect(error).toMatchObject({ status: 401, method: "GET", path: "/tailnet/-/devices" });
    expect(mock.api.tokenRequests).toHaveLength(2);
  });

  it("explains a refused token request without revealing the secret", async () => {
    const tailscale = createTailscaleClient({
      auth: {
        oauthClientId: "kWRONGCLIENT",
        oauthClientSecret: OAUTH_CLIENT_SECRET,
        scopes: ["auth_keys"],
      },
      clock: createVirtualClock({ start: TEST_START }),
    });

    const error = await tailscale.listDevices().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TailscaleApiError);
    const apiError = error as TailscaleApiError;
    expect(apiError).toMatchObject({ status: 401, method: "POST", path: "/oauth/token" });
    expect(apiError.code).toBe("invalid_client");
    expect(apiError.isRetryable).toBe(false);
    expect(apiError.message).toMatch(/The Tailscale OAuth client was refused/);
    expect(apiError.message).toMatch(
      /auth\.oauthClientId \("kWRONGCLIENT"\) and auth\.oauthClientSecret given to createTailscaleClient/,
    );
    expect(apiError.message).toMatch(/scopes \(auth_keys\)/);
    for (const text of [apiError.message, apiError.stack ?? "", JSON.stringify(apiError)]) {
      expect(text).not.toContain(OAUTH_CLIENT_SECRET);
    }
    // No API request is sent without a token.
    expect(mock.requests.map((request) => request.path)).toEqual(["/oauth/token"]);
  });

  it("retries the token request after a 503", async () => {
    const clock = createVirtualClock({ start: TEST_START });
    mock.post(
      "/oauth/token",
      counted((call) => (call === 1 ? new HttpResponse(null, { status: 503 }) : undefined)),
    );

    await oauthClient(clock).listDevices();
    expect(mock.api.tokenRequests).toHaveLength(1);
    expect(mock.requests.filter((request) => request.path === "/oauth/token")).toHaveLength(2);
    expect(clock.sleeps).toHaveLength(1);
  });

  it("calls a token request that kept failing with a 5xx retryable, since it changes nothing", async () => {
    mock.post("/oauth/token", () => new HttpResponse(null, { status: 503 }));

    const tailscale = createTailscaleClient({
      auth: { oauthClientId: OAUTH_CLIENT_ID, oauthClientSecret: OAUTH_CLIENT_SECRET },
      clock: createVirtualClock({ start: TEST_START }),
      retry: false,
    });

    const error = await tailscale.listDevices().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 503, method: "POST", isRetryable: true });
  });

  it("lets one caller abort without failing the shared token request for others", async () => {
    const tailscale = oauthClient();
    const controller = new AbortController();
    const aborted = tailscale.listDevices({ signal: controller.signal });
    const other = tailscale.listDevices();
    controller.abort(new Error("caller gave up"));

    await expect(aborted).rejects.toThrow("caller gave up");
    await expect(other).resolves.toEqual([]);
    expect(mock.api.tokenRequests).toHaveLength(1);
  });
});
