import type { ProvisionFailure, ProvisionResult } from "../../src/types.js";

/** A successful provision's result, as outputs and loggers receive it. */
export function provisionResult(overrides: Partial<ProvisionResult> = {}): ProvisionResult {
  return {
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
    ...overrides,
  };
}

/** A failed provision's report, as outputs receive it. */
export function provisionFailure(overrides: Partial<ProvisionFailure> = {}): ProvisionFailure {
  return {
    phase: "device-join",
    message: "never joined",
    cleanup: { removed: [], failed: [] },
    agentId: "a",
    jobId: null,
    serverName: "agent-a-1",
    serverId: 42,
    timings: {},
    totalMs: 5,
    ...overrides,
  };
}
