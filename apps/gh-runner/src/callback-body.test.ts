import type { ProvisionFailure, ProvisionResult, RunInfo } from "@tailvm/provisioner";
import { describe, expect, it } from "vitest";
import { callbackBody, githubRunContext } from "./callback-body.js";

const run: RunInfo = {
  runId: "run-1",
  agentId: "agent-42",
  jobId: "job-7",
  startedAt: 0,
  finishedAt: 1,
};
const result: ProvisionResult = {
  serverId: 4711,
  serverName: "agent-agent-42-m3k2x1",
  serverIpv4: "203.0.113.7",
  serverIpv6: "2001:db8::1",
  location: "nbg1",
  serverType: "cx23",
  tailscaleIp: "100.101.102.103",
  tailscaleIpv6: null,
  tailscaleHostname: "agent-agent-42-m3k2x1",
  tailscaleDeviceId: "n1",
  agentId: "agent-42",
  jobId: "job-7",
  adopted: false,
  timings: {},
  totalMs: 1234,
};

describe("callbackBody", () => {
  it("describes a success in snake_case", () => {
    const github = githubRunContext({
      GITHUB_ACTIONS: "true",
      GITHUB_REPOSITORY: "acme/infra",
      GITHUB_RUN_ID: "99",
      GITHUB_SERVER_URL: "https://github.example",
    });
    expect(callbackBody({ status: "success", result, run }, github)).toEqual({
      status: "success",
      job_id: "job-7",
      agent_id: "agent-42",
      server_id: 4711,
      server_name: "agent-agent-42-m3k2x1",
      server_ip: "203.0.113.7",
      server_ipv6: "2001:db8::1",
      tailscale_ip: "100.101.102.103",
      tailscale_ipv6: null,
      tailscale_hostname: "agent-agent-42-m3k2x1",
      tailscale_device_id: "n1",
      location: "nbg1",
      server_type: "cx23",
      adopted: false,
      duration_ms: 1234,
      run_id: "run-1",
      github: {
        repository: "acme/infra",
        run_id: "99",
        run_attempt: "1",
        run_url: "https://github.example/acme/infra/actions/runs/99",
      },
    });
  });

  it("describes a failure with its phase and what was rolled back", () => {
    const failure: ProvisionFailure = {
      phase: "device-join",
      message: "did not join",
      code: "timeout",
      cleanup: { removed: [{ resource: "server", id: "4711" }], failed: [] },
      agentId: "agent-42",
      jobId: null,
      serverName: "agent-agent-42-m3k2x1",
      serverId: 4711,
      timings: {},
      totalMs: 99,
    };
    expect(callbackBody({ status: "failure", failure, run }, undefined)).toEqual({
      status: "failure",
      job_id: null,
      agent_id: "agent-42",
      phase: "device-join",
      message: "did not join",
      code: "timeout",
      server_id: 4711,
      server_name: "agent-agent-42-m3k2x1",
      server_ip: null,
      tailscale_ip: null,
      cleanup: { removed: [{ resource: "server", id: "4711" }], failed: [] },
      duration_ms: 99,
      run_id: "run-1",
      github: null,
    });
  });

  it("has no GitHub context outside Actions", () => {
    expect(
      githubRunContext({ GITHUB_REPOSITORY: "acme/infra", GITHUB_RUN_ID: "1" }),
    ).toBeUndefined();
  });
});
