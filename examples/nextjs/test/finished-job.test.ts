import { ProvisionError, ProvisionOutputError, type ProvisionResult } from "@tailvm/provisioner";
import { describe, expect, it } from "vitest";
import { finishedJob } from "../lib/jobs.js";

const job = { jobId: "job-1", startedAt: "2026-01-01T00:00:00.000Z" };
const result = {
  serverId: 7,
  serverName: "agent-1-x",
  tailscaleIp: "100.64.0.7",
} as ProvisionResult;

describe("finishedJob", () => {
  it("reports a VM whose output failed as succeeded, with a warning", () => {
    const error = new ProvisionOutputError(result, [
      { output: "webhook https://example.com/hook", message: "answered HTTP 503" },
    ]);
    expect(finishedJob(job, { error })).toEqual({
      ...job,
      status: "succeeded",
      result,
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
    expect(finishedJob(job, { error })).toEqual({
      ...job,
      status: "failed",
      error: { phase: "device-join", code: "timeout", message: "The device never joined." },
    });
    expect(finishedJob(job, { error: new Error("token tskey-secret") })).toEqual({
      ...job,
      status: "failed",
      error: { message: "Provisioning failed unexpectedly; see the server log." },
    });
  });
});
