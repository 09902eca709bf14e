import { describe, expect, it } from "vitest";
import { consoleLogger } from "./console-logger.js";
import type { ProvisionResult } from "./types.js";

const result: ProvisionResult = {
  serverId: 42,
  serverName: "agent-a-1",
  serverIpv4: "203.0.113.7",
  serverIpv6: null,
  location: "nbg1",
  serverType: "cx23",
  price: { currency: "EUR", vat: "excluded", hourly: 0.0056, monthly: 3.49 },
  alternatives: [],
  tailscaleIp: "100.64.0.9",
  tailscaleIpv6: null,
  tailscaleHostname: "agent-a-1",
  tailscaleDeviceId: "n123",
  agentId: "a",
  jobId: null,
  adopted: false,
  timings: { placement: 120, "server-running": 41_000 },
  totalMs: 62_500,
};

describe("consoleLogger", () => {
  it("prints readable lines with elapsed time and phase durations", () => {
    const lines: string[] = [];
    const logger = consoleLogger({ write: (line) => lines.push(line) });
    logger.event?.({ type: "phase-start", phase: "placement", time: 1_000 });
    logger.event?.({
      type: "phase-end",
      phase: "placement",
      time: 1_120,
      durationMs: 120,
      ok: true,
    });
    logger.event?.({ type: "result", result, time: 63_500 });
    expect(lines).toEqual([
      "[tailvm +120 ms] placement done in 120 ms",
      "[tailvm +1 min 3 s] provisioned agent-a-1 (server 42, cx23 in nbg1 at €3.49/month + VAT) in 1 min 3 s",
      "[tailvm +1 min 3 s] tailnet: 100.64.0.9 as agent-a-1; public: 203.0.113.7",
      "[tailvm +1 min 3 s] timings: placement 120 ms, server-running 41.0 s",
    ]);
  });

  it("is silent for debug by default and prints it at level debug", () => {
    const quiet: string[] = [];
    consoleLogger({ write: (line) => quiet.push(line) }).debug?.("details");
    expect(quiet).toEqual([]);
    const verbose: string[] = [];
    consoleLogger({ write: (line) => verbose.push(line), level: "debug" }).debug?.("details");
    expect(verbose).toEqual(["[tailvm] details"]);
  });

  it("marks failures and shows what rollback removed", () => {
    const lines: string[] = [];
    consoleLogger({ write: (line) => lines.push(line), level: "error" }).event?.({
      type: "failure",
      phase: "device-join",
      message: "device never joined",
      code: "timeout",
      cleanup: { removed: [{ resource: "server", id: "42" }], failed: [] },
      time: 5,
    });
    expect(lines).toEqual([
      "[tailvm +0 ms] error: failed in device-join [timeout]: device never joined",
      "[tailvm +0 ms] error: cleanup: removed: server 42",
    ]);
  });
});
