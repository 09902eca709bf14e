import { describe, expect, it } from "vitest";
import { causeOptions } from "./error-options.js";

describe("causeOptions", () => {
  it("passes a cause on, and leaves an error without one with no cause property", () => {
    const cause = new Error("connection reset");
    expect(new Error("failed", causeOptions(cause)).cause).toBe(cause);
    expect("cause" in new Error("failed", causeOptions(undefined))).toBe(false);
  });
});
