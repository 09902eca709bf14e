import type { Unset } from "@tailvm/internal/test";
import { describe, expectTypeOf, it } from "vitest";
import { createHetznerClient } from "./client";
import type { DeleteResult, DeleteServerResult, HetznerClientOptions } from "./client-types";
import type { PageItem } from "./paginate";
import type { RetryOptions } from "./retry-options";
import type {
  Action,
  CreateServerBody,
  Firewall,
  Image,
  Location,
  Server,
  ServerType,
} from "./types";

const client = createHetznerClient({ token: "type-test-token" });

describe("generated types", () => {
  it("rejects a POST /servers body without server_type at compile time", () => {
    const incomplete = { name: "runner-1", image: "ubuntu-24.04" };
    // @ts-expect-error server_type is required by Hetzner's create_server schema
    void client.api.POST("/servers", { body: incomplete });
    // @ts-expect-error the helper takes the same body type
    void client.createServer(incomplete);
    expectTypeOf(incomplete).not.toExtend<CreateServerBody>();
    expectTypeOf({ ...incomplete, server_type: "cx23" }).toExtend<CreateServerBody>();
  });

  it("takes an ID or a name for server_type, image and location", () => {
    expectTypeOf({
      name: "a",
      server_type: 114,
      image: 42,
      location: 1,
    }).toExtend<CreateServerBody>();
    expectTypeOf({
      name: "a",
      server_type: "cpx22",
      image: "debian-12",
      location: "nbg1",
    }).toExtend<CreateServerBody>();
    expectTypeOf({ name: "a", server_type: true, image: 42 }).not.toExtend<CreateServerBody>();
  });

  it("types error after the 4xx/5xx rename, not as undefined", async () => {
    const { data, error } = await client.api.GET("/servers/{id}", { params: { path: { id: 1 } } });
    if (error) {
      expectTypeOf(error.error.code).toEqualTypeOf<string>();
      expectTypeOf(error.error.message).toEqualTypeOf<string>();
    } else {
      expectTypeOf(data.server).toEqualTypeOf<Server | undefined>();
    }
    expectTypeOf(error).not.toEqualTypeOf<undefined>();
  });

  it("gives the helpers exact result types", () => {
    expectTypeOf(client.getServer).returns.resolves.toEqualTypeOf<Server>();
    expectTypeOf(client.findServer).returns.resolves.toEqualTypeOf<Server | undefined>();
    expectTypeOf(client.deleteServer).returns.resolves.toEqualTypeOf<DeleteServerResult>();
    expectTypeOf(client.deleteFirewall).returns.resolves.toEqualTypeOf<DeleteResult>();
    expectTypeOf(client.listServerTypes).returns.resolves.toEqualTypeOf<ServerType[]>();
    expectTypeOf(client.listLocations).returns.resolves.toEqualTypeOf<Location[]>();
    expectTypeOf(client.listImages).returns.resolves.toEqualTypeOf<Image[]>();
    expectTypeOf(client.listFirewalls).returns.resolves.toEqualTypeOf<Firewall[]>();
    expectTypeOf<Action["status"]>().toEqualTypeOf<"running" | "success" | "error">();
  });

  it("narrows a delete result to its action", async () => {
    const result = await client.deleteServer(1);
    if (result.deleted) expectTypeOf(result.action).toEqualTypeOf<Action>();
    else expectTypeOf(result.action).toEqualTypeOf<undefined>();
  });

  it("exposes what a placement decision needs on ServerType", () => {
    type Price = ServerType["prices"][number];
    expectTypeOf<Price["location"]>().toEqualTypeOf<string>();
    expectTypeOf<Price["price_monthly"]>().toEqualTypeOf<{ net: string; gross: string }>();
    expectTypeOf<ServerType["locations"][number]["available"]>().toEqualTypeOf<boolean>();
    expectTypeOf<ServerType["locations"][number]["deprecation"]>().toEqualTypeOf<{
      unavailable_after: string;
      announced: string;
    } | null>();
    expectTypeOf<
      NonNullable<ServerType["deprecation"]>["unavailable_after"]
    >().toEqualTypeOf<string>();
    expectTypeOf<ServerType["architecture"]>().toEqualTypeOf<"x86" | "arm">();
    expectTypeOf<ServerType["cpu_type"]>().toEqualTypeOf<"shared" | "dedicated">();
    expectTypeOf<ServerType["cores"]>().toEqualTypeOf<number>();
    expectTypeOf<ServerType["memory"]>().toEqualTypeOf<number>();
    expectTypeOf<ServerType["disk"]>().toEqualTypeOf<number>();
  });

  it("types paginate items by path", () => {
    expectTypeOf<PageItem<"/servers">>().toEqualTypeOf<Server>();
    expectTypeOf<PageItem<"/locations">>().toEqualTypeOf<Location>();
    expectTypeOf(client.paginate("/server_types")).toEqualTypeOf<AsyncIterable<ServerType>>();
    // @ts-expect-error /actions/{id} is not a paginated list
    void client.paginate("/actions/{id}");
    // @ts-expect-error page and per_page are set by paginate
    void client.paginate("/servers", { params: { query: { page: 2 } } });
  });
});

describe("options under exactOptionalPropertyTypes", () => {
  it("accept undefined for every optional property", () => {
    const fromEnvironment: string | undefined = process.env.HCLOUD_ENDPOINT;
    createHetznerClient({ token: "t", baseUrl: fromEnvironment });
    type Transport = Omit<HetznerClientOptions, "token">;
    expectTypeOf<Unset<Transport>>().toExtend<Transport>();
    expectTypeOf<Unset<RetryOptions>>().toExtend<RetryOptions>();
    void client.getServer(1, { signal: undefined });
    void client.listServers({ labelSelector: fromEnvironment, name: undefined, signal: undefined });
    void client.listImages({ name: fromEnvironment, architecture: undefined, type: undefined });
    void client.listFirewalls({ name: undefined, labelSelector: fromEnvironment });
    void client.waitForAction(1, {
      signal: undefined,
      timeoutMs: undefined,
      initialIntervalMs: undefined,
      maxIntervalMs: undefined,
    });
    void client.paginate("/servers", { params: undefined, signal: undefined });
    void client.paginate("/servers", { params: { query: undefined, path: undefined } });
    void client.createServer({
      name: "a",
      server_type: "cpx22",
      image: "debian-12",
      location: fromEnvironment,
    });
  });
});
