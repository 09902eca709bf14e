import type { ServerType } from "@tailvm/hetzner-client";
import { describe, expect, it } from "vitest";
import { checkCandidates, rankCandidates } from "./choose-placement.js";
import { DEFAULT_MACHINE, resolveMachine } from "./machine.js";

type LocationSpec = [
  location: string,
  available: boolean,
  monthly: number,
  unavailableAfter?: string,
];

function serverType(
  name: string,
  size: { cores: number; memory: number; architecture?: "x86" | "arm"; deprecated?: string },
  locations: LocationSpec[],
): ServerType {
  return {
    name,
    cores: size.cores,
    memory: size.memory,
    disk: 40,
    architecture: size.architecture ?? "x86",
    cpu_type: "shared",
    deprecated: size.deprecated !== undefined,
    deprecation: size.deprecated
      ? { announced: "2025-10-16T00:00:00Z", unavailable_after: size.deprecated }
      : null,
    prices: locations.map(([location, , monthly]) => ({
      location,
      price_hourly: { net: (monthly / 730).toFixed(4), gross: (monthly / 730).toFixed(4) },
      price_monthly: { net: monthly.toFixed(4), gross: (monthly * 1.19).toFixed(4) },
    })),
    locations: locations.map(([location, available, , unavailableAfter]) => ({
      name: location,
      available,
      deprecation: unavailableAfter
        ? { announced: "2026-01-01T00:00:00Z", unavailable_after: unavailableAfter }
        : null,
    })),
  } as unknown as ServerType;
}

const now = Date.UTC(2026, 10, 29);
const types = [
  serverType("cx23", { cores: 2, memory: 4 }, [
    ["nbg1", false, 3.49],
    ["fsn1", true, 3.49],
    ["hel1", true, 3.49, "2026-06-01T00:00:00Z"],
  ]),
  serverType("cpx22", { cores: 2, memory: 4 }, [
    ["nbg1", true, 5.99],
    ["fsn1", true, 5.99],
    ["ash", true, 7.19],
  ]),
  serverType("cx33", { cores: 4, memory: 8 }, [
    ["nbg1", true, 5.99],
    ["fsn1", true, 5.99],
  ]),
  serverType("cpx11", { cores: 2, memory: 2, deprecated: "2026-01-01T00:00:00Z" }, [
    ["nbg1", false, 3.99],
  ]),
  serverType("cax11", { cores: 2, memory: 4, architecture: "arm" }, [["fsn1", true, 3.79]]),
];

describe("checkCandidates", () => {
  it("keeps orderable pairs in order, skips the rest, and names retired or unknown types", () => {
    const { usable, skipped, issues } = checkCandidates(
      [
        { serverType: "cx23", location: "nbg1", field: "candidates[0].serverType" },
        { serverType: "cx23", location: "fsn1", field: "candidates[1].serverType" },
        { serverType: "cx23", location: "hel1", field: "candidates[2].serverType" },
        { serverType: "cx23", location: "sin", field: "candidates[3].serverType" },
        { serverType: "cx99", location: "fsn1", field: "candidates[4].serverType" },
        { serverType: "cpx11", location: "nbg1", field: "candidates[5].serverType" },
        { serverType: "cpx22", location: "ash", field: "candidates[6].serverType" },
      ],
      types,
      now,
    );
    expect(usable.map((item) => [item.serverType, item.location, item.price?.monthly])).toEqual([
      ["cx23", "fsn1", 3.49],
      ["cpx22", "ash", 7.19],
    ]);
    expect(skipped.map((item) => item.reason)).toEqual([
      "server type cx23 is out of stock in nbg1 right now",
      "server type cx23 is no longer offered in hel1",
      "server type cx23 is not offered in sin",
    ]);
    expect(issues).toEqual([
      {
        field: "candidates[4].serverType",
        message:
          "cx99 is not in Hetzner's catalog (retired or misspelled); current shared x86 types: cx23, cpx22, cx33",
      },
      {
        field: "candidates[5].serverType",
        message:
          "cpx11 is no longer offered (deprecated 2025-10-16, unavailable after 2026-01-01); current shared x86 types: cx23, cpx22, cx33",
      },
    ]);
  });
});

describe("rankCandidates", () => {
  it("orders the region's matching pairs by price, then location order, then name", () => {
    const { ranked } = rankCandidates(types, ["nbg1", "fsn1"], DEFAULT_MACHINE, now);
    expect(ranked.map((item) => `${item.serverType}@${item.location}`)).toEqual([
      "cx23@fsn1",
      "cpx22@nbg1",
      "cx33@nbg1",
      "cpx22@fsn1",
      "cx33@fsn1",
    ]);
  });

  it("applies the price limit and the architecture", () => {
    const cheap = rankCandidates(
      types,
      ["nbg1", "fsn1"],
      resolveMachine({ maxMonthlyPrice: 4 }),
      now,
    );
    expect(cheap.ranked.map((item) => item.serverType)).toEqual(["cx23"]);
    const arm = rankCandidates(types, ["fsn1"], resolveMachine({ architecture: "arm" }), now);
    expect(arm.ranked.map((item) => item.serverType)).toEqual(["cax11"]);
  });

  it("counts no match and names the closest offers when nothing meets the requirement", () => {
    const { ranked, matching, closest } = rankCandidates(
      types,
      ["nbg1", "fsn1"],
      resolveMachine({ minCores: 16 }),
      now,
    );
    expect(ranked).toEqual([]);
    expect(matching).toBe(0);
    expect(closest[0]).toBe("cx23 (2 vCPU, 4 GB, 40 GB, €3.49/month in fsn1)");
  });

  it("counts a matching type that is only out of stock", () => {
    const { ranked, matching } = rankCandidates(
      types,
      ["nbg1"],
      resolveMachine({ maxMonthlyPrice: 4 }),
      now,
    );
    expect(ranked).toEqual([]);
    expect(matching).toBe(1);
  });
});
