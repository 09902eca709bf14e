import { describe, expect, it } from "vitest";
import { LabelSelectorError, matchesLabelSelector, parseLabelSelector } from "./label-selector.js";

describe("label selectors", () => {
  it("parses every operator", () => {
    expect(parseLabelSelector("a=1,b==2,c!=3,d,!e,f in (x, y),g notin (z)")).toEqual([
      { kind: "equals", key: "a", value: "1" },
      { kind: "equals", key: "b", value: "2" },
      { kind: "not-equals", key: "c", value: "3" },
      { kind: "exists", key: "d" },
      { kind: "not-exists", key: "e" },
      { kind: "in", key: "f", values: ["x", "y"] },
      { kind: "not-in", key: "g", values: ["z"] },
    ]);
  });

  it("matches prefixed keys and empty values", () => {
    expect(matchesLabelSelector({ "tailvm.dev/agent": "" }, "tailvm.dev/agent")).toBe(true);
    expect(matchesLabelSelector({ "tailvm.dev/agent": "" }, "tailvm.dev/agent=")).toBe(true);
    expect(matchesLabelSelector({}, "k!=v")).toBe(true);
    expect(matchesLabelSelector({}, "k in (v)")).toBe(false);
    expect(matchesLabelSelector({ a: "1" }, "")).toBe(true);
  });

  it("refuses malformed requirements", () => {
    expect(() => parseLabelSelector("a b")).toThrow(LabelSelectorError);
    expect(() => parseLabelSelector("=v")).toThrow(/invalid label selector requirement '=v'/);
  });
});
