import { formatDuration } from "@tailvm/internal";
import type { Phase, ProvisionEvent, ProvisionResult } from "@tailvm/provisioner";
import type { OutputWriter } from "./output-writer.js";
import type { Reporter } from "./reporter.js";
import type { PhaseTiming } from "./summary.js";

/**
 * Keys under which the provision step leaves state for the post step.
 *
 * @example
 * ```ts
 * core.getState(STATE.outcome); // "success" in the post step of a successful run
 * ```
 */
export const STATE = {
  serverId: "server_id",
  serverName: "server_name",
  /**
   * `success` the moment the VM is on the tailnet (before the callback), `rolled-back` once a
   * rollback left nothing behind, `invalid-inputs`, `not-provisioning` for the other modes; empty
   * otherwise.
   */
  outcome: "outcome",
} as const;

const PHASE_TITLES: Record<Phase, string> = {
  validate: "Validate options",
  placement: "Choose server type and location",
  firewall: "Find the firewall",
  "auth-key": "Mint a single-use Tailscale auth key",
  "stale-devices": "Remove stale tailnet devices",
  "cloud-init": "Render cloud-init",
  "create-server": "Create the server",
  "server-running": "Wait for the server to run",
  "device-join": "Wait for the device to join the tailnet",
  "revoke-key": "Revoke the auth key",
  rollback: "Roll back",
};

/**
 * Writes every output a result carries.
 *
 * @example
 * ```ts
 * writeResultOutputs(outputs, result); // server_id, server_name, ..., adopted
 * ```
 */
export function writeResultOutputs(outputs: OutputWriter, result: ProvisionResult): void {
  outputs.write("server_id", result.serverId);
  outputs.write("server_name", result.serverName);
  outputs.write("server_ip", result.serverIpv4);
  outputs.write("server_ipv6", result.serverIpv6);
  outputs.write("tailscale_ip", result.tailscaleIp);
  outputs.write("tailscale_ipv6", result.tailscaleIpv6);
  outputs.write("tailscale_hostname", result.tailscaleHostname);
  outputs.write("tailscale_device_id", result.tailscaleDeviceId);
  outputs.write("location", result.location);
  outputs.write("server_type", result.serverType);
  outputs.write("price_monthly", result.price ? result.price.monthly.toFixed(4) : null);
  outputs.write("price_hourly", result.price ? result.price.hourly.toFixed(4) : null);
  outputs.write("adopted", String(result.adopted));
}

/**
 * Turns provisioner events into log groups (one per phase, ending with its duration), timings,
 * and the server id in outputs and state the moment the server exists.
 *
 * @example
 * ```ts
 * const events = createEventRenderer(reporter, outputs);
 * await provisionVM(options, { ...context, onEvent: events.handle });
 * events.closeGroup();
 * ```
 */
export function createEventRenderer(reporter: Reporter, outputs: OutputWriter) {
  const timings: PhaseTiming[] = [];
  let openPhase: Phase | undefined;
  const closeGroup = () => {
    if (openPhase !== undefined) reporter.endGroup();
    openPhase = undefined;
  };
  const handle = (event: ProvisionEvent) => {
    reporter.debug(JSON.stringify(event));
    switch (event.type) {
      case "phase-start":
        closeGroup();
        reporter.startGroup(PHASE_TITLES[event.phase] ?? event.phase);
        openPhase = event.phase;
        break;
      case "phase-end":
        timings.push({ phase: event.phase, durationMs: event.durationMs, ok: event.ok });
        reporter.info(`${event.ok ? "done" : "failed"} in ${formatDuration(event.durationMs)}`);
        if (openPhase === event.phase) closeGroup();
        break;
      case "retry":
        reporter.info(
          `${event.api} ${event.method} ${event.path}: ${event.reason}; retry ${event.attempt} in ${formatDuration(event.delayMs)}`,
        );
        break;
      case "warning":
        reporter.warning(event.message);
        break;
      case "resource-created":
        if (event.resource === "server") {
          // Saved now, not at the end: a later `if: always()` step, or the post step when this
          // one is killed, can still clean up.
          reporter.saveState(STATE.serverId, event.id);
          if (event.name) reporter.saveState(STATE.serverName, event.name);
          outputs.write("server_id", event.id);
          if (event.name) outputs.write("server_name", event.name);
        }
        reporter.info(
          `created ${event.resource} ${event.id}${event.name ? ` (${event.name})` : ""}`,
        );
        break;
      case "resource-deleted":
        reporter.info(`deleted ${event.resource} ${event.id}`);
        break;
      default:
        break;
    }
  };
  return { handle, closeGroup, timings };
}
