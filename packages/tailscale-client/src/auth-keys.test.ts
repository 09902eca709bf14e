import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { apiKeyClient, oauthClient } from "../test/clients.js";
import { API_KEY, MINTED_AUTH_KEY } from "../test/fake-tailscale-api.js";
import { useMockTailscale } from "../test/mock-tailscale.js";
import { TailscaleApiError, TailscaleInputError } from "./errors.js";

const mock = useMockTailscale();

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
    mock.post("/tailnet/:tailnet/keys", () =>
      HttpResponse.json({ message: "upstream unavailable" }, { status: 503 }),
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
});

describe("getAuthKey and deleteAuthKey", () => {
  it("returns the key, or undefined when it is gone", async () => {
    const { tailscale } = apiKeyClient();
    await expect(tailscale.getAuthKey("kKEY42CNTRL")).resolves.toMatchObject({ id: "kKEY42CNTRL" });
    await expect(tailscale.getAuthKey("kGONE")).resolves.toBeUndefined();
  });

  it("resolves { deleted: true } when it deleted the key and { deleted: false } when it was already gone", async () => {
    const { tailscale } = apiKeyClient();
    await expect(tailscale.deleteAuthKey("kKEY42CNTRL")).resolves.toEqual({ deleted: true });
    await expect(tailscale.deleteAuthKey("kKEY42CNTRL")).resolves.toEqual({ deleted: false });
    expect(mock.api.deletedKeys).toEqual(["kKEY42CNTRL"]);
  });
});
