import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { errorResponse } from "../test/fixtures";
import { makeClient, useHetznerApi } from "../test/msw-client";
import { HetznerApiError, HetznerInputError } from "./errors";
import type { Network } from "./types";

const api = useHetznerApi();

function network(id: number): Network {
  return {
    id,
    name: `net-${id}`,
    ip_range: "10.0.0.0/16",
    subnets: [],
    routes: [],
    servers: [42],
    load_balancers: [],
    protection: { delete: false },
    labels: {},
    created: "2026-01-01T00:00:00+00:00",
    expose_routes_to_vswitch: false,
  };
}

describe("getNetwork", () => {
  it("resolves the network of GET /networks/{id}", async () => {
    const paths: string[] = [];
    api.get("/networks/:id", ({ request, params }) => {
      paths.push(new URL(request.url).pathname);
      return HttpResponse.json({ network: network(Number(params.id)) });
    });
    const { client } = makeClient();

    await expect(client.getNetwork(7)).resolves.toMatchObject({ id: 7, servers: [42] });
    expect(paths).toEqual(["/v1/networks/7"]);
  });

  it("throws not_found for a missing network, with method and path", async () => {
    api.get("/networks/:id", () => errorResponse(404, "not_found"));
    const { client } = makeClient();

    const error = await client.getNetwork(99).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HetznerApiError);
    expect(error).toMatchObject({
      status: 404,
      code: "not_found",
      method: "GET",
      path: "/networks/99",
    });
  });

  it("refuses an id that is not a positive integer, before any request", async () => {
    const { client } = makeClient();
    await expect(client.getNetwork(0)).rejects.toBeInstanceOf(HetznerInputError);
    await expect(client.getNetwork(1.5)).rejects.toThrow(/id/);
  });
});
