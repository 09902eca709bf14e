import { describe, expect, it } from "vitest";
import { defaultServerName, isValidServerName } from "./server-name.js";

describe("defaultServerName", () => {
  it("uses the first 8 characters of the agent id, sanitised, and base36 time", () => {
    expect(defaultServerName("Build_Agent_42", 1764400000000)).toBe("agent-build-ag-mijy7d34");
  });

  it("stays a valid hostname label for odd agent ids", () => {
    for (const agentId of ["___", "ÄÖÜ-1", "x", "A".repeat(63)]) {
      const name = defaultServerName(agentId, 1764400000000);
      expect(isValidServerName(name), name).toBe(true);
    }
  });
});
