import { describe, expect, it } from "vitest";
import { failureSummary, type SummarizedResult, successSummary } from "./summary.js";

const result: SummarizedResult = {
  serverName: "agent-agent-42-m3k2x1",
  serverId: 4711,
  serverIpv4: "203.0.113.7",
  tailscaleIp: "100.101.102.103",
  tailscaleHostname: "agent-agent-42-m3k2x1",
  location: "nbg1",
  serverType: "cx23",
  agentId: "agent-42",
  jobId: null,
  totalMs: 61_234,
  adopted: false,
};

describe("successSummary", () => {
  it("tabulates the result and the phase timings", () => {
    const markdown = successSummary(result, [
      { phase: "create-server", durationMs: 850, ok: true },
      { phase: "device-join", durationMs: 15_400, ok: true },
    ]);
    expect(markdown).toBe(
      [
        "## tailvm: agent VM ready",
        "",
        "|  |  |",
        "| --- | --- |",
        "| Server | agent-agent-42-m3k2x1 (id 4711) |",
        "| Public IPv4 | 203.0.113.7 |",
        "| Tailnet IP | 100.101.102.103 |",
        "| Tailnet hostname | agent-agent-42-m3k2x1 |",
        "| Location | nbg1 (cx23) |",
        "| Agent | agent-42 |",
        "| Job | none |",
        "| Total | 1 min 1 s |",
        "",
        "### Phase timings",
        "",
        "| Phase | Duration | Result |",
        "| --- | --- | --- |",
        "| create-server | 850 ms | ok |",
        "| device-join | 15.4 s | ok |",
        "",
      ].join("\n"),
    );
  });

  it("keeps cloud-provided text inside its cell", () => {
    const markdown = successSummary({ ...result, location: "nbg1 | evil\n## injected" }, []);
    expect(markdown).toContain("| Location | nbg1 \\| evil ## injected (cx23) |");
    expect(markdown).not.toMatch(/^## injected/m);
  });
});

describe("failureSummary", () => {
  it("names the phase, the error and what was rolled back", () => {
    const markdown = failureSummary(
      {
        phase: "device-join",
        message: "did not join",
        cleanup: {
          removed: [{ resource: "server", id: "1" }],
          failed: [{ resource: "device", id: "n1", reason: "HTTP 500" }],
        },
      },
      [{ phase: "device-join", durationMs: 2_000, ok: false }],
    );
    expect(markdown).toContain("| Phase | device-join |");
    expect(markdown).toContain("| Rolled back | server 1 |");
    expect(markdown).toContain("| Could not remove | device n1 (HTTP 500) |");
    expect(markdown).toContain("| device-join | 2.0 s | failed |");
  });
});
