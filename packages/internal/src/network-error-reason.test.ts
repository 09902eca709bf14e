import { describe, expect, it } from "vitest";
import { networkErrorReason } from "./network-error-reason.js";

describe("networkErrorReason", () => {
  it("prefers a system error code anywhere in the cause chain, else the name", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), {
      code: "ECONNREFUSED",
    });
    expect(networkErrorReason(new TypeError("fetch failed", { cause: refused }))).toBe(
      "ECONNREFUSED",
    );
    expect(networkErrorReason(new TypeError("fetch failed with Bearer secret"))).toBe("TypeError");
    expect(networkErrorReason("boom")).toBe("unknown error");
  });
});
