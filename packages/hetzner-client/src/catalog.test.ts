import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { pagination, server } from "../test/fixtures";
import { makeClient, useHetznerApi } from "../test/msw-client";
import type { Image } from "./types";

const mock = useHetznerApi();

const price = (location: string, monthly: string) => ({
  location,
  price_hourly: { net: "0.0080", gross: "0.0095" },
  price_monthly: { net: monthly, gross: monthly },
  included_traffic: 21_990_232_555_520,
  price_per_tb_traffic: { net: "1.00", gross: "1.19" },
});

function image(id: number, name: string, architecture: "x86" | "arm" = "x86"): Image {
  return {
    id,
    type: "system",
    status: "available",
    name,
    description: name,
    image_size: null,
    disk_size: 5,
    created: "2026-01-01T00:00:00+00:00",
    created_from: null,
    bound_to: null,
    os_flavor: "ubuntu",
    os_version: "24.04",
    rapid_deploy: true,
    protection: { delete: false },
    deprecated: null,
    deleted: null,
    labels: {},
    architecture,
  };
}

describe("listServerTypes", () => {
  it("keeps prices, deprecation and per-location availability across pages", async () => {
    const pages: string[] = [];
    mock.get("/server_types", ({ request }) => {
      const page = Number(new URL(request.url).searchParams.get("page"));
      pages.push(String(page));
      const base = server(1, "x").server_type;
      const type =
        page === 1
          ? {
              ...base,
              id: 22,
              name: "cpx22",
              prices: [price("nbg1", "7.49"), price("ash", "8.49")],
              locations: [
                { id: 1, name: "nbg1", deprecation: null, recommended: true, available: true },
                { id: 4, name: "ash", deprecation: null, recommended: false, available: false },
              ],
            }
          : {
              ...base,
              id: 2,
              name: "cx22",
              deprecated: true,
              deprecation: {
                announced: "2025-10-16T00:00:00+00:00",
                unavailable_after: "2026-01-01T00:00:00+00:00",
              },
              locations: [
                {
                  id: 1,
                  name: "nbg1",
                  recommended: false,
                  available: false,
                  deprecation: {
                    announced: "2025-10-16T00:00:00+00:00",
                    unavailable_after: "2026-01-01T00:00:00+00:00",
                  },
                },
              ],
            };
      return HttpResponse.json({ server_types: [type], meta: pagination(page, 2) });
    });
    const { client } = makeClient();

    const [current, old] = await client.listServerTypes();

    expect(pages).toEqual(["1", "2"]);
    expect(current?.prices.map((entry) => [entry.location, entry.price_monthly.gross])).toEqual([
      ["nbg1", "7.49"],
      ["ash", "8.49"],
    ]);
    expect(current?.locations.map((location) => [location.name, location.available])).toEqual([
      ["nbg1", true],
      ["ash", false],
    ]);
    expect(current).toMatchObject({ cores: 2, memory: 4, disk: 40, architecture: "x86" });
    expect(old?.deprecation?.unavailable_after).toBe("2026-01-01T00:00:00+00:00");
    expect(old?.locations[0]?.deprecation?.announced).toBe("2025-10-16T00:00:00+00:00");
  });
});

describe("listLocations", () => {
  it("returns every location", async () => {
    mock.get("/locations", () =>
      HttpResponse.json({
        locations: [server(1, "x").location, { ...server(1, "x").location, id: 2, name: "fsn1" }],
        meta: pagination(1, 1),
      }),
    );
    const { client } = makeClient();

    const locations = await client.listLocations();

    expect(locations.map((location) => location.name)).toEqual(["nbg1", "fsn1"]);
  });
});

describe("listImages", () => {
  it("filters by name, architecture and type, and reads every page", async () => {
    const queries = mock.pages("/images", 2, (page) => ({
      images: [image(page, `ubuntu-24.04-p${page}`, "arm")],
    }));
    const { client } = makeClient();

    const images = await client.listImages({
      name: "ubuntu-24.04",
      architecture: "arm",
      type: ["system", "snapshot"],
    });
    await client.listImages({ type: "system" });
    await client.listImages({ name: undefined, architecture: undefined, type: undefined });

    expect(images.map((entry) => entry.id)).toEqual([1, 2]);
    expect(queries[0]?.get("name")).toBe("ubuntu-24.04");
    expect(queries[0]?.get("architecture")).toBe("arm");
    expect(queries[0]?.getAll("type")).toEqual(["system", "snapshot"]);
    expect(queries[2]?.getAll("type")).toEqual(["system"]);
    expect([...(queries[4]?.keys() ?? [])].sort()).toEqual(["page", "per_page"]);
  });

  it.each([
    [{ architecture: "arm64" }, "architecture", /"x86", "arm"/],
    [{ type: "iso" }, "type", /"system", "app", "snapshot", "backup"/],
    [{ type: ["system", "iso"] }, "type[1]", /got "iso"/],
    [{ name: "" }, "name", /non-empty/],
  ])("rejects %j naming %s, before sending", async (options, field, message) => {
    const { client } = makeClient();

    const error = await client
      .listImages(options as Parameters<typeof client.listImages>[0])
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ name: "HetznerInputError", field });
    expect((error as Error).message).toMatch(message);
  });
});
