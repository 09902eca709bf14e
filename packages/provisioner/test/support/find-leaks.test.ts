import { describe, expect, it } from "vitest";
import { findLeaks } from "./find-leaks.js";

describe("findLeaks", () => {
  it("names every text holding a secret, and only those", () => {
    const texts = ["all clear", "token hunter22 in a log line", "again: hunter22", "x"];
    expect(findLeaks(texts, ["hunter22", "not-there"])).toEqual([
      JSON.stringify("token hunter22 in a log line"),
      JSON.stringify("again: hunter22"),
    ]);
  });

  it("does not find a secret across two texts, and skips values too short to be secrets", () => {
    expect(findLeaks(["hunter", "22"], ["hunter22"])).toEqual([]);
    expect(findLeaks(["abc"], ["abc"])).toEqual([]);
  });

  it("finds the one leak among 20 000 texts and 200 secrets", () => {
    const texts = Array.from({ length: 20_000 }, (_, index) => `line ${index} ${"x".repeat(120)}`);
    const secrets = Array.from({ length: 200 }, (_, index) => `secret-${index}-value`);
    texts[12_345] = `oops ${secrets[77]}`;
    expect(findLeaks(texts, secrets)).toEqual([JSON.stringify(`oops ${secrets[77]}`)]);
  });
});
