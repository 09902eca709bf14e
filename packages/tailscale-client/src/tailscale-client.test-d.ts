import type { Unset } from "@tailvm/internal/test";
import { describe, expectTypeOf, it } from "vitest";
import type { CreateKeyBody } from "./auth-key-request.js";
import type { TailscaleClientOptions } from "./client-types.js";
import type { RetryOptions } from "./retry-options.js";
import { createTailscaleClient } from "./tailscale-client.js";
import type { AuthKey, CreatedAuthKey, DeleteResult, Device, EnrolledDevice } from "./types.js";

const tailscale = createTailscaleClient({ auth: { apiKey: "type-test-key" } });

describe("types", () => {
  it("accepts either an API key or an OAuth client, not a mix of half of each", () => {
    createTailscaleClient({ auth: { oauthClientId: "id", oauthClientSecret: "secret" } });
    // @ts-expect-error an OAuth client needs its secret
    createTailscaleClient({ auth: { oauthClientId: "id" } });
  });

  it("types the raw client from the OpenAPI document", async () => {
    const { data } = await tailscale.api.GET("/tailnet/{tailnet}/devices", {
      params: { path: { tailnet: "-" }, query: { fields: "all" } },
    });
    expectTypeOf(data?.devices).toEqualTypeOf<Device[] | undefined>();
    const badQuery = { fields: "some" } as const;
    void tailscale.api.GET("/tailnet/{tailnet}/devices", {
      // @ts-expect-error fields is "default" or "all"
      params: { path: { tailnet: "-" }, query: badQuery },
    });
    expectTypeOf<CreateKeyBody["capabilities"]>().toExtend<
      | { devices?: { create?: { reusable?: boolean; ephemeral?: boolean; tags?: string[] } } }
      | undefined
    >();
  });

  it("gives the helpers exact result types", () => {
    expectTypeOf(tailscale.createAuthKey).returns.resolves.toEqualTypeOf<CreatedAuthKey>();
    expectTypeOf(tailscale.getAuthKey).returns.resolves.toEqualTypeOf<AuthKey | undefined>();
    expectTypeOf(tailscale.deleteAuthKey).returns.resolves.toEqualTypeOf<DeleteResult>();
    expectTypeOf(tailscale.deleteDevice).returns.resolves.toEqualTypeOf<DeleteResult>();
    expectTypeOf(tailscale.waitForDevice).returns.resolves.toEqualTypeOf<EnrolledDevice>();
    expectTypeOf(tailscale.removeStaleDevices).returns.resolves.toEqualTypeOf<Device[]>();
    expectTypeOf<EnrolledDevice["ipv6"]>().toEqualTypeOf<string | undefined>();
  });

  it("requires tags when minting a key", () => {
    // @ts-expect-error tags is required
    void tailscale.createAuthKey({ ephemeral: true });
  });
});

describe("options under exactOptionalPropertyTypes", () => {
  it("accept undefined for every optional property", () => {
    const fromEnvironment: string | undefined = process.env.TS_TAILNET;
    createTailscaleClient({
      auth: { oauthClientId: "id", oauthClientSecret: "secret", scopes: undefined },
      tailnet: fromEnvironment,
    });
    type Transport = Omit<TailscaleClientOptions, "auth">;
    expectTypeOf<Unset<Transport>>().toExtend<Transport>();
    expectTypeOf<Unset<RetryOptions>>().toExtend<RetryOptions>();
    void tailscale.createAuthKey({
      tags: ["tag:ci"],
      ephemeral: undefined,
      preauthorized: undefined,
      reusable: undefined,
      expirySeconds: undefined,
      description: fromEnvironment,
      signal: undefined,
    });
    void tailscale.getAuthKey("k", { signal: undefined });
    void tailscale.listDevices({ fields: undefined, filters: undefined, signal: undefined });
    void tailscale.findDevices({ hostname: "a", tags: undefined, createdAfter: undefined });
    void tailscale.waitForDevice({
      hostname: "a",
      requireConnected: undefined,
      timeoutMs: undefined,
      signal: undefined,
    });
    void tailscale.removeStaleDevices({ hostname: "a", tags: undefined, signal: undefined });
  });
});
