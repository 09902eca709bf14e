import { createVirtualClock } from "@tailvm/internal/test";
import { describe, expect, it } from "vitest";
import { apiOf } from "../test/helpers.js";
import { createSimulatedCloud } from "./create-simulated-cloud.js";
import { SimulatedCloudError } from "./errors.js";

const setup = () => {
  const sim = createSimulatedCloud({ clock: createVirtualClock({ autoAdvance: false }) });
  return { sim, api: apiOf(sim) };
};

interface ServerTypeJson {
  id: number;
  name: string;
  deprecated: boolean;
  deprecation: { announced: string; unavailable_after: string } | null;
  architecture: string;
  category: string;
  prices: { location: string; price_monthly: { net: string; gross: string } }[];
  locations: {
    name: string;
    available: boolean;
    deprecation: { unavailable_after: string } | null;
  }[];
}

const TODAY = [
  "cx23",
  "cx33",
  "cx43",
  "cx53",
  "cpx12",
  "cpx22",
  "cpx32",
  "cpx42",
  "cpx52",
  "cpx62",
  "cax11",
  "cax21",
  "cax31",
  "cax41",
  "ccx13",
  "ccx23",
  "ccx33",
  "ccx43",
  "ccx53",
  "ccx63",
];

async function allServerTypes(api: ReturnType<typeof apiOf>): Promise<ServerTypeJson[]> {
  return (await api.hetzner("GET", "/server_types?per_page=50")).json.server_types;
}

const monthly = (type: ServerTypeJson | undefined, location: string) =>
  Number(type?.prices.find((price) => price.location === location)?.price_monthly.net);

describe("the server type catalog", () => {
  it("lists today's families, each where Hetzner offers it, with per-location prices", async () => {
    const { api } = setup();
    const types = await allServerTypes(api);
    const byName = new Map(types.map((type) => [type.name, type]));
    for (const name of TODAY) {
      const type = byName.get(name);
      expect(type, name).toMatchObject({ deprecated: false, deprecation: null });
      const offered = type?.locations.map((location) => location.name);
      const euOnly = /^(cx|cax)/.test(name);
      expect(offered, name).toEqual(
        euOnly ? ["fsn1", "nbg1", "hel1"] : ["fsn1", "nbg1", "hel1", "ash", "hil", "sin"],
      );
      expect(type?.locations.every((location) => location.available && !location.deprecation)).toBe(
        true,
      );
      for (const price of type?.prices ?? []) {
        expect(price.price_monthly.net).toMatch(/^\d+\.\d{4}$/);
        expect(Number(price.price_monthly.gross)).toBeCloseTo(
          Number(price.price_monthly.net) * 1.19,
          3,
        );
      }
    }
    expect(byName.get("cax11")?.architecture).toBe("arm");
    expect(byName.get("ccx13")?.category).toBe("general_purpose");
    // Cheaper families are cheaper; the US and Singapore are dearer than the EU.
    expect(monthly(byName.get("cx23"), "nbg1")).toBeLessThan(monthly(byName.get("cpx22"), "nbg1"));
    expect(monthly(byName.get("cpx22"), "nbg1")).toBeLessThan(monthly(byName.get("ccx13"), "nbg1"));
    expect(monthly(byName.get("cpx22"), "ash")).toBeGreaterThan(
      monthly(byName.get("cpx22"), "nbg1"),
    );
    expect(monthly(byName.get("cpx22"), "sin")).toBeGreaterThan(
      monthly(byName.get("cpx22"), "ash"),
    );
  });

  it("no longer lists the 2024 CX types, but still answers them by ID for servers that run them", async () => {
    const { api } = setup();
    const names = (await allServerTypes(api)).map((type) => type.name);
    for (const gone of ["cx22", "cx32", "cx42", "cx52"]) expect(names).not.toContain(gone);
    expect((await api.hetzner("GET", "/server_types?name=cx22")).json.server_types).toEqual([]);
    const cx22 = (await api.hetzner("GET", "/server_types/104")).json.server_type;
    expect(cx22).toMatchObject({
      name: "cx22",
      deprecated: true,
      deprecation: { announced: "2025-10-16T09:00:00Z", unavailable_after: "2026-01-01T00:00:00Z" },
    });
    expect(cx22.locations.map((location: { available: boolean }) => location.available)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it("lists the 2024 CPX types with every location deprecated and unavailable", async () => {
    const { api } = setup();
    const cpx11 = (await api.hetzner("GET", "/server_types?name=cpx11")).json.server_types[0];
    expect(cpx11).toMatchObject({ name: "cpx11", deprecated: false, deprecation: null });
    expect(cpx11.locations).toHaveLength(6);
    for (const location of cpx11.locations) {
      expect(location).toMatchObject({
        available: false,
        recommended: false,
        deprecation: { unavailable_after: "2026-01-01T00:00:00Z" },
      });
    }
  });

  it.each([
    ["cx22", "nbg1"],
    ["cx42", undefined],
    ["cpx21", "fsn1"],
    [22, "ash"],
  ])("refuses to create a %s as Hetzner refuses a type that is gone", async (type, location) => {
    const { api, sim } = setup();
    const answer = await api.hetzner("POST", "/servers", {
      name: "old",
      server_type: type,
      image: "ubuntu-24.04",
      ...(location ? { location } : {}),
    });
    expect(answer.status).toBe(422);
    expect(answer.json.error).toEqual({
      code: "invalid_input",
      message: "unsupported location for server type",
      details: {},
    });
    expect(sim.state.servers()).toEqual([]);
  });

  it("puts a whole family out of stock in a location", async () => {
    const { api, sim } = setup();
    sim.faults.setUnavailable("cax", "hel1");
    const types = await allServerTypes(api);
    for (const type of types.filter((candidate) => candidate.name.startsWith("cax"))) {
      expect(type.locations.find((location) => location.name === "hel1")?.available).toBe(false);
      expect(type.locations.find((location) => location.name === "nbg1")?.available).toBe(true);
    }
    const refused = await api.createServer({ name: "arm", server_type: "cax21", location: "hel1" });
    expect(refused.status).toBe(412);
    expect(refused.json.error).toMatchObject({
      code: "resource_unavailable",
      message: "error during placement",
    });
    expect(() => sim.faults.setUnavailable("cx99", "hel1")).toThrow(SimulatedCloudError);
    expect(() => sim.faults.setUnavailable("cx", "mars1")).toThrow(/location must be one of/);
  });

  it("gets a server type and a location by ID only", async () => {
    const { api } = setup();
    expect((await api.hetzner("GET", "/server_types/114")).json.server_type.name).toBe("cx23");
    expect((await api.hetzner("GET", "/locations/3")).json.location.name).toBe("hel1");
    expect((await api.hetzner("GET", "/server_types/cx23")).status).toBe(404);
    expect((await api.hetzner("GET", "/locations/999")).json.error.code).toBe("not_found");
  });
});

describe("lists", () => {
  it("page with meta.pagination and a Link header as the API document describes", async () => {
    const { api, sim } = setup();
    const page = await api.hetzner("GET", "/server_types?per_page=5&page=2");
    expect(page.json.server_types).toHaveLength(5);
    expect(page.json.meta.pagination).toEqual({
      page: 2,
      per_page: 5,
      previous_page: 1,
      next_page: 3,
      last_page: 5,
      total_entries: 25,
    });
    const base = `${sim.hetznerUrl}/server_types`;
    expect(page.headers.get("Link")).toBe(
      [
        `<${base}?per_page=5&page=1>; rel="prev"`,
        `<${base}?per_page=5&page=3>; rel="next"`,
        `<${base}?per_page=5&page=5>; rel="last"`,
      ].join(", "),
    );
    expect((await api.hetzner("GET", "/locations")).headers.get("Link")).toBeNull();
  });

  it("sort by the fields the endpoint allows, and name the field otherwise", async () => {
    const { api } = setup();
    const names = (await api.hetzner("GET", "/locations?sort=name:desc")).json.locations.map(
      (location: { name: string }) => location.name,
    );
    expect(names).toEqual(["sin", "nbg1", "hil", "hel1", "fsn1", "ash"]);
    const bad = await api.hetzner("GET", "/locations?sort=city");
    expect(bad.status).toBe(422);
    expect(bad.json.error.details.fields[0].name).toBe("sort");
  });
});

describe("images", () => {
  const names = (answer: { json: { images: { name: string; architecture: string }[] } }) =>
    answer.json.images.map((image) => `${image.name}/${image.architecture}`);

  it("lists system images per architecture, x86 first, without deprecated ones", async () => {
    const { api } = setup();
    const ubuntu = await api.hetzner("GET", "/images?name=ubuntu-24.04");
    expect(names(ubuntu)).toEqual(["ubuntu-24.04/x86", "ubuntu-24.04/arm"]);
    const arm = await api.hetzner("GET", "/images?architecture=arm&type=system&status=available");
    expect(names(arm).every((name) => name.endsWith("/arm"))).toBe(true);
    expect(names(arm)).not.toContain("ubuntu-20.04/arm");
    const all = await api.hetzner("GET", "/images?include_deprecated=true&architecture=arm");
    expect(names(all)).toContain("ubuntu-20.04/arm");
    expect((await api.hetzner("GET", "/images?type=snapshot")).json.images).toEqual([]);
    expect((await api.hetzner("GET", "/images?label_selector=env=prod")).json.images).toEqual([]);
    const paged = await api.hetzner("GET", "/images?per_page=2&sort=name:asc");
    expect(names(paged)).toEqual(["debian-12/x86", "debian-12/arm"]);
    expect(paged.json.meta.pagination).toMatchObject({ next_page: 2, total_entries: 8 });
  });

  it("gets an image by ID", async () => {
    const { api } = setup();
    const image = (await api.hetzner("GET", "/images/114690387")).json.image;
    expect(image).toMatchObject({
      id: 114690387,
      name: "debian-12",
      type: "system",
      os_flavor: "debian",
      architecture: "x86",
      deprecated: null,
    });
    expect((await api.hetzner("GET", "/images/1")).status).toBe(404);
  });
});
