import { describe, expect, it } from "vitest";
import { parseCallbackReport } from "./callback-report.ts";

describe("parseCallbackReport", () => {
  it("reads the tailvm action's snake_case success", () => {
    const parsed = parseCallbackReport({
      status: "success",
      job_id: "job-1",
      server_id: 42,
      server_name: "agent-1",
      server_type: "cx22",
      location: "nbg1",
      server_ip: "203.0.113.1",
      tailscale_ip: "100.64.0.1",
      tailscale_hostname: "agent-1",
      tailscale_device_id: "n1",
      adopted: false,
      github: null,
    });
    expect(parsed).toEqual({
      ok: true,
      report: {
        jobId: "job-1",
        outcome: {
          status: "succeeded",
          warnings: [],
          vm: {
            serverId: 42,
            serverName: "agent-1",
            serverType: "cx22",
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

  it("reads webhookOutput's failure envelope", () => {
    const parsed = parseCallbackReport({
      type: "provision.failed",
      data: { jobId: "job-2", phase: "device-join", code: "timeout", message: "never joined" },
    });
    expect(parsed).toEqual({
      ok: true,
      report: {
        jobId: "job-2",
        outcome: {
          status: "failed",
          error: { phase: "device-join", code: "timeout", message: "never joined" },
        },
      },
    });
  });

  it("names every missing or mistyped field", () => {
    const parsed = parseCallbackReport({ status: "success", server_id: "42", location: 1 });
    expect(parsed.ok ? [] : parsed.issues.map((issue) => issue.field)).toEqual([
      "jobId",
      "serverId",
      "serverName",
      "serverType",
      "location",
    ]);
    expect(parseCallbackReport([]).ok).toBe(false);
    expect(parseCallbackReport({ status: "maybe", job_id: "j" })).toEqual({
      ok: false,
      issues: [{ field: "status", message: 'must be "success" or "failure"' }],
    });
  });
});
