import { describe, expect, it } from "vitest";
import { DEFAULT_TTL, parseVmRequest } from "./vm-request.ts";

const defaults = { tags: ["tag:agent"], newJobId: () => "job-new", ttl: DEFAULT_TTL };

describe("parseVmRequest", () => {
  it("applies the default ttl when the request names none, and the caller's otherwise", () => {
    const plain = parseVmRequest({ agentId: "agent-1" }, defaults);
    expect(plain).toMatchObject({ ok: true, options: { ttl: "2h", jobId: "job-new" } });
    const own = parseVmRequest({ agentId: "agent-1", ttl: 600 }, defaults);
    expect(own).toMatchObject({ ok: true, options: { ttl: 600 } });
  });
});
