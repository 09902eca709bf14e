import { need, type Step } from "./step.js";

/**
 * Waits, within `timeouts.deviceJoin`, until the server's device is on the tailnet and connected:
 * for a new server, the wait the server-running step started (it may have joined already).
 */
export const deviceJoinStep: Step<"device-join", { timeoutMs: number; tags: string[] }> = {
  phase: "device-join",
  creates: ["device"],
  parameters: (options) => ({ timeoutMs: options.timeouts.deviceJoin, tags: options.tags }),
  async run({ run, results, parameters }) {
    const { server, join } = need(results, "server-running");
    if (join) return run.withPhaseDeadline("deviceJoin", (signal) => join.wait(signal));
    const device = await run.withPhaseDeadline("deviceJoin", (signal, timeoutMs) =>
      run.tailscale.waitForDevice({
        hostname: run.serverName,
        tags: parameters.tags,
        createdAfter: run.adopted ? Date.parse(server.created) : run.startedAt,
        requireConnected: true,
        signal,
        timeoutMs,
      }),
    );
    run.deviceJoined(device);
    return device;
  },
};
