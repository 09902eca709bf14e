import { describe, expect, it } from "vitest";
import { provisionResult } from "../test/support/provision-result.js";
import { consoleLogger } from "./console-logger.js";

const result = provisionResult();

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
