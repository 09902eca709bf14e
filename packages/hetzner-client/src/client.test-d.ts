import { describe, expectTypeOf, it } from "vitest";
import { createHetznerClient } from "./client";
import type { PageItem } from "./paginate";
import type { Action, CreateServerBody, Location, Server, ServerType } from "./types";

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
    expectTypeOf(client.deleteServer).returns.resolves.toEqualTypeOf<Action | undefined>();
    expectTypeOf(client.listServerTypes).returns.resolves.toEqualTypeOf<ServerType[]>();
    expectTypeOf(client.listLocations).returns.resolves.toEqualTypeOf<Location[]>();
    expectTypeOf<ServerType["locations"][number]["available"]>().toEqualTypeOf<boolean>();
    expectTypeOf<Action["status"]>().toEqualTypeOf<"running" | "success" | "error">();
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
