import { ProvisionError, ProvisionOutputError, type ProvisionResult } from "@tailvm/provisioner";
import { describe, expect, it } from "vitest";
import { jobOutcome } from "./job-outcome.ts";

const result = {
  serverId: 7,
  serverName: "agent-1-x",
  tailscaleIp: "100.64.0.7",
} as ProvisionResult;

describe("jobOutcome", () => {
  it("reports a VM whose output failed as succeeded, with a warning", () => {
    const error = new ProvisionOutputError(result, [
      { output: "webhook https://example.com/hook", message: "answered HTTP 503" },
    ]);
    expect(jobOutcome({ error })).toEqual({
      status: "succeeded",
      vm: result,
      warnings: [
        "The VM is up, but output webhook https://example.com/hook failed: answered HTTP 503",
      ],
    });
  });

  it("reports a provisioning error with its phase, and hides any other error", () => {
    const error = new ProvisionError("The device never joined.", {
      phase: "device-join",
      code: "timeout",
    });
    expect(jobOutcome({ error })).toEqual({
      status: "failed",
      error: { phase: "device-join", code: "timeout", message: "The device never joined." },
    });
    expect(jobOutcome({ error: new Error("token tskey-secret") })).toEqual({
      status: "failed",
      error: { message: "Provisioning failed unexpectedly; see the server log." },
    });
  });
});
