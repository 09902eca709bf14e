import { describe, expect, it } from "vitest";
import { serverGoneReason } from "./server-gone.js";

describe("serverGoneReason", () => {
  it("gives up on a server that is off, stopping or being deleted, and on no other", () => {
    const server = (status: string) => ({ id: 42, name: "agent-a-1", status }) as const;
    for (const status of ["off", "stopping", "deleting"] as const) {
      expect(serverGoneReason({ ...server(status), status })).toBe(
        `server agent-a-1 (42) is ${status}: it was shut down or deleted before its device joined the tailnet.`,
      );
    }
    for (const status of [
      "running",
      "initializing",
      "starting",
      "migrating",
      "rebuilding",
      "unknown",
    ] as const) {
      expect(serverGoneReason({ ...server(status), status })).toBeUndefined();
    }
  });
});
