import { createsServer, type Step } from "./step.js";

/**
 * Removes offline tailnet devices left with this hostname by earlier runs, so the name is free;
 * it runs beside the key mint.
 */
export const staleDevicesStep: Step<"stale-devices", { hostname: string; tags: string[] }> = {
  phase: "stale-devices",
  creates: [],
  parameters: (options) => ({ hostname: options.name, tags: options.tags }),
  applies: createsServer,
  overlapsPrevious: true,
  async run({ run, parameters }) {
    const removed = await run.tailscale.removeStaleDevices({ ...parameters, signal: run.signal });
    if (removed.length > 0) {
      run.reporter.emit({
        type: "warning",
        phase: "stale-devices",
        message: `removed ${removed.length} offline tailnet device(s) named ${parameters.hostname} left by an earlier run`,
      });
    }
    return removed.length;
  },
};
