import type { VmProvisionFailedData, WebhookPayload } from "@tailvm/provisioner";
import { describe, expect, it } from "vitest";
import { readCallback } from "./callback-report.ts";

const timestamp = "2026-12-01T10:00:00.000Z";
const run = { version: 1, runId: "run-1", agentId: "agent-1", metadata: {} } as const;

/** A `vm.provision_failed` payload of a run that made nothing. */
function provisionFailed(
  failure: Pick<VmProvisionFailedData, "jobId" | "phase" | "message" | "code">,
): WebhookPayload {
  return {
    type: "vm.provision_failed",
    timestamp,
    data: {
      ...run,
      ...failure,
      serverId: null,
      serverName: null,
      cleanup: { removed: [], failed: [] },
      timings: {},
      totalMs: 0,
    },
  };
}

describe("readCallback", () => {
  it("reads vm.provisioned into the job's VM", () => {
    const payload: WebhookPayload = {
      type: "vm.provisioned",
      timestamp,
      data: {
        ...run,
        jobId: "job-1",
        serverId: 42,
        serverName: "agent-1",
        serverIpv4: "203.0.113.1",
        serverIpv6: null,
        location: "nbg1",
        serverType: "cx23",
        tailscaleIp: "100.64.0.1",
        tailscaleIpv6: null,
        tailscaleHostname: "agent-1",
        tailscaleDeviceId: "n1",
        adopted: false,
        timings: { create: 1_000 },
        totalMs: 1_000,
      },
    };
    expect(readCallback(payload)).toEqual({
      kind: "report",
      report: {
        jobId: "job-1",
        outcome: {
          status: "succeeded",
          warnings: [],
          vm: {
            serverId: 42,
            serverName: "agent-1",
            serverType: "cx23",
            location: "nbg1",
            serverIpv4: "203.0.113.1",
            tailscaleIp: "100.64.0.1",
            tailscaleHostname: "agent-1",
            tailscaleDeviceId: "n1",
            adopted: false,
          },
        },
      },
    });
  });

  it("reads vm.provision_failed into the job's error", () => {
    const failed = (code: string | null) =>
      provisionFailed({ jobId: "job-2", phase: "device-join", message: "never joined", code });
    expect(readCallback(failed("timeout"))).toEqual({
      kind: "report",
      report: {
        jobId: "job-2",
        outcome: {
          status: "failed",
          error: { phase: "device-join", code: "timeout", message: "never joined" },
        },
      },
    });
    expect(readCallback(failed(null))).toEqual({
      kind: "report",
      report: {
        jobId: "job-2",
        outcome: { status: "failed", error: { phase: "device-join", message: "never joined" } },
      },
    });
  });

  it("names data.jobId when the payload is about no job, and ignores vm.deprovisioned", () => {
    const payload = provisionFailed({
      jobId: null,
      phase: "validate",
      message: "bad input",
      code: null,
    });
    expect(readCallback(payload)).toEqual({
      kind: "invalid",
      issues: [{ field: "data.jobId", message: "must be the id of the job this app dispatched" }],
    });
    expect(
      readCallback({
        type: "vm.deprovisioned",
        timestamp,
        data: {
          version: 1,
          jobId: "job-1",
          serverId: 42,
          serverName: null,
          removed: [],
          metadata: {},
        },
      }),
    ).toMatchObject({ kind: "ignored" });
  });
});
