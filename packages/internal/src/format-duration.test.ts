import { describe, expect, it } from "vitest";
import { formatDuration } from "./format-duration.js";

describe("formatDuration", () => {
  it.each([
    [0, "0 ms"],
    [849.6, "850 ms"],
    [999, "999 ms"],
    [1_000, "1.0 s"],
    [12_345, "12.3 s"],
    [59_940, "59.9 s"],
    [125_000, "2 min 5 s"],
  ])("formats %d ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
