import { anySignal } from "@tailvm/internal";
import type { EnrolledDevice } from "@tailvm/tailscale-client";
import { watchForServerGone } from "./server-gone.js";
import { need, type Step } from "./step.js";

/**
 * Waits, within `timeouts.deviceJoin`, until the server's device is on the tailnet and connected:
 * for a new server, the wait the server-running step started (it may have joined already). The
 * server is looked at every 30 s meanwhile, so one deleted or shut down fails at once.
 */
export const deviceJoinStep: Step<"device-join", { timeoutMs: number; tags: string[] }> = {
  phase: "device-join",
  creates: ["device"],
  parameters: (options) => ({ timeoutMs: options.timeouts.deviceJoin, tags: options.tags }),
  async run({ run, results, parameters }) {
    const { server, join } = need(results, "server-running");
    const device = await run.withPhaseDeadline("deviceJoin", async (signal, timeoutMs) => {
      const watchStopper = new AbortController();
      const waitSignal = anySignal(signal, watchStopper.signal);
      const gone = watchForServerGone(run, server, waitSignal);
      gone.catch(() => undefined);
      const joined: Promise<EnrolledDevice> = join
        ? join.wait(signal)
        : run.tailscale.waitForDevice({
            hostname: run.serverName,
            tags: parameters.tags,
            createdAfter: run.adopted ? Date.parse(server.created) : run.startedAt,
            requireConnected: true,
            signal: waitSignal,
            timeoutMs,
          });
      // Settled after the race when the server went first.
      joined.catch(() => undefined);
      try {
        return await Promise.race([joined, gone]);
      } catch (error) {
        join?.stop();
        throw error;
      } finally {
        watchStopper.abort(new Error("the device wait ended"));
      }
    });
    if (!join) run.deviceJoined(device);
    return device;
  },
};
