import { createVirtualClock } from "@tailvm/internal/test";
import { describe, expect, it } from "vitest";
import { apiOf } from "../test/helpers.js";
import { createSimulatedCloud } from "./create-simulated-cloud.js";

const setup = (tokenTtlSeconds?: number) => {
  const clock = createVirtualClock({ autoAdvance: false });
  const sim = createSimulatedCloud({ clock, ...(tokenTtlSeconds ? { tokenTtlSeconds } : {}) });
  return { clock, sim, api: apiOf(sim) };
};

const requestToken = (
  sim: ReturnType<typeof setup>["sim"],
  clientId: string,
  clientSecret: string,
) =>
  sim.fetch(`${sim.tailscaleUrl}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: "client_credentials",
    }),
  });

describe("Tailscale OAuth", () => {
  it("issues expiring tokens for the client credentials and refuses bad ones", async () => {
    const { sim, api, clock } = setup(60);
    const refused = await requestToken(sim, sim.credentials.tailscaleOAuthClientId, "wrong");
    expect(refused.status).toBe(401);
    const refusedText = await refused.text();
    expect(refusedText).not.toContain("wrong");

    const response = await requestToken(
      sim,
      sim.credentials.tailscaleOAuthClientId,
      sim.credentials.tailscaleOAuthClientSecret,
    );
    expect(response.status).toBe(200);
    const token = (await response.json()) as { access_token: string };
    expect(token).toMatchObject({ token_type: "Bearer", expires_in: 60 });

    expect(
      (await api.tailscale("GET", "/tailnet/-/devices", undefined, token.access_token)).status,
    ).toBe(200);
    await clock.advance(60_000);
    const expired = await api.tailscale("GET", "/tailnet/-/devices", undefined, token.access_token);
    expect(expired.status).toBe(401);
    expect(expired.json.message).toBeTypeOf("string");
  });

  it("accepts the API key as Basic auth too, and refuses unknown keys", async () => {
    const { sim, api } = setup();
    const basic = await sim.fetch(`${sim.tailscaleUrl}/tailnet/-/devices`, {
      headers: {
        Authorization: `Basic ${Buffer.from(`${sim.credentials.tailscaleApiKey}:`).toString("base64")}`,
      },
    });
    expect(basic.status).toBe(200);
    expect(
      (await api.tailscale("GET", "/tailnet/-/devices", undefined, "tskey-api-nope")).status,
    ).toBe(401);
  });
});

describe("Tailscale auth keys", () => {
  it("refuses an untagged key minted with an OAuth token, as Tailscale does", async () => {
    const { sim, api } = setup();
    const response = await requestToken(
      sim,
      sim.credentials.tailscaleOAuthClientId,
      sim.credentials.tailscaleOAuthClientSecret,
    );
    const token = (await response.json()) as { access_token: string };
    const refused = await api.createKey({ tags: [] }, token.access_token);
    expect(refused.status).toBe(400);
    expect(refused.json.message).toBe("requested tags [] are invalid or not permitted");
    const tagged = await api.createKey({ tags: ["tag:ci"] }, token.access_token);
    expect(tagged.status).toBe(200);
    expect(sim.state.authKeys()).toHaveLength(1);
  });

  it("lets an API key mint an untagged key but refuses malformed tags", async () => {
    const { api } = setup();
    expect((await api.createKey({ tags: [] })).status).toBe(200);
    const malformed = await api.createKey({ tags: ["ci"] });
    expect(malformed.status).toBe(400);
    expect(malformed.json.message).toContain("invalid or not permitted");
  });

  it("requires capabilities.devices.create", async () => {
    const { api } = setup();
    const response = await api.tailscale("POST", "/tailnet/-/keys", { expirySeconds: 60 });
    expect(response.status).toBe(400);
    expect(response.json.message).toContain("capability");
  });

  it("gets a key without its secret, deletes it, then still answers it with invalid: true", async () => {
    const { api, sim, clock } = setup();
    const created = await api.createKey({ tags: ["tag:ci"], expirySeconds: 600 });
    const { id, key } = created.json;
    const fetched = await api.tailscale("GET", `/tailnet/-/keys/${id}`);
    expect(fetched.json).toMatchObject({
      id,
      invalid: false,
      capabilities: { devices: { create: { tags: ["tag:ci"] } } },
    });
    expect(fetched.json.key).toBeUndefined();
    expect(JSON.stringify(fetched.json)).not.toContain(key);
    const deletedAt = clock.now();
    expect((await api.tailscale("DELETE", `/tailnet/-/keys/${id}`)).status).toBe(200);
    const deleted = await api.tailscale("GET", `/tailnet/-/keys/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toMatchObject({
      id,
      invalid: true,
    });
    expect(Date.parse(deleted.json.revoked)).toBe(deletedAt);
    expect(deleted.json.key).toBeUndefined();
    // Deleting it again changes nothing and is not an error (the spec's only 404 is the tailnet).
    await clock.advance(5_000);
    expect((await api.tailscale("DELETE", `/tailnet/-/keys/${id}`)).status).toBe(200);
    expect((await api.tailscale("GET", `/tailnet/-/keys/${id}`)).json.revoked).toBe(
      deleted.json.revoked,
    );
    expect((await api.tailscale("GET", "/tailnet/-/keys")).json.keys).toEqual([]);
    expect(sim.state.authKeys()[0]).toMatchObject({ id, valid: false, revoked: deletedAt });
  });

  it("answers 404 for a key that never existed", async () => {
    const { api } = setup();
    expect((await api.tailscale("GET", "/tailnet/-/keys/kNEVER0000SIM")).status).toBe(404);
    expect((await api.tailscale("DELETE", "/tailnet/-/keys/kNEVER0000SIM")).status).toBe(404);
  });

  it("marks a key invalid once it expires", async () => {
    const { api, sim, clock } = setup();
    const { id } = (await api.createKey({ expirySeconds: 10 })).json;
    expect(sim.state.validAuthKeys()).toHaveLength(1);
    await clock.advance(10_000);
    expect(sim.state.validAuthKeys()).toHaveLength(0);
    expect((await api.tailscale("GET", `/tailnet/-/keys/${id}`)).json.invalid).toBe(true);
  });

  it("answers 404 for an unknown tailnet", async () => {
    const { api } = setup();
    expect((await api.tailscale("GET", "/tailnet/other.example/devices")).status).toBe(404);
  });
});
