import { need, type Step } from "./step.js";

/** Waits, within `timeouts.deviceJoin`, until the server's device is on the tailnet and connected. */
export const deviceJoinStep: Step<"device-join", { timeoutMs: number; tags: string[] }> = {
  phase: "device-join",
  creates: ["device"],
  parameters: (options) => ({ timeoutMs: options.timeouts.deviceJoin, tags: options.tags }),
  async run({ run, results, parameters }) {
    const server = need(results, "server-running");
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
