import { describe, expect, it } from "vitest";
import { parseTtl } from "./ttl.js";

describe("parseTtl", () => {
  it.each([
    ["30m", 1800],
    ["2h", 7200],
    ["1d", 86_400],
    ["45s", 45],
    ["600", 600],
    [900, 900],
  ])("parses %j as %d seconds", (ttl, seconds) => {
    expect(parseTtl(ttl)).toBe(seconds);
  });

  it.each(["", "2 weeks", "-5m", "1.5h", "0", "400d"])("rejects %j", (ttl) => {
    expect(parseTtl(ttl)).toBeUndefined();
  });

  it("rejects fractional and non-positive numbers", () => {
    expect(parseTtl(1.5)).toBeUndefined();
    expect(parseTtl(0)).toBeUndefined();
  });
});
