import type { ServerType } from "@tailvm/hetzner-client";
import { describe, expect, it } from "vitest";
import { choosePlacement } from "./choose-placement.js";

function serverType(name: string, locations: [string, boolean, string?][]): ServerType {
  return {
    name,
    deprecation: null,
    locations: locations.map(([location, available, unavailableAfter]) => ({
      name: location,
      available,
      deprecation: unavailableAfter
        ? { announced: "2026-01-01T00:00:00Z", unavailable_after: unavailableAfter }
        : null,
    })),
  } as unknown as ServerType;
}

describe("choosePlacement", () => {
  const now = Date.UTC(2026, 10, 29);
  const types = [
    serverType("cx23", [
      ["nbg1", false],
      ["fsn1", true],
      ["hel1", true, "2026-06-01T00:00:00Z"],
    ]),
    serverType("cpx22", [["ash", true]]),
  ];

  it("keeps available pairs in order and says why others were skipped", () => {
    const { usable, skipped } = choosePlacement(
      [
        { serverType: "cx23", location: "nbg1" },
        { serverType: "cx23", location: "fsn1" },
        { serverType: "cx23", location: "hel1" },
        { serverType: "cx23", location: "sin" },
        { serverType: "cx99", location: "fsn1" },
        { serverType: "cpx22", location: "ash" },
      ],
      types,
      now,
    );
    expect(usable).toEqual([
      { serverType: "cx23", location: "fsn1" },
      { serverType: "cpx22", location: "ash" },
    ]);
    expect(skipped.map((item) => item.reason)).toEqual([
      "server type cx23 is unavailable in nbg1 right now",
      "server type cx23 is no longer offered in hel1",
      "server type cx23 is not offered in sin",
      "server type cx99 does not exist",
    ]);
  });
});
