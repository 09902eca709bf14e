import type { SimulatedCloud } from "@tailvm/testing";
import { ProvisionError } from "../../src/errors.js";
import type { ChaosOutcome } from "./run-chaos-fleet.js";

/** Request statuses that mean the simulator found a request that breaks the API document. */
const NONCONFORMING_STATUSES = new Set([400, 405, 415, 422, 501]);

/**
 * Every way the world after a fleet disagrees with what its runs said, as readable lines: an empty
 * list means every result is real, every cleanup report is truthful, nothing is left that no run
 * reported, and every request was one the API documents accept.
 */
export function fleetViolations(sim: SimulatedCloud, outcomes: readonly ChaosOutcome[]): string[] {
  const problems: string[] = [];
  const servers = sim.state.servers();
  const devices = sim.state.devices();
  const keys = sim.state.authKeys();
  const reported = {
    servers: new Set<string>(),
    devices: new Set<string>(),
    keys: new Set<string>(),
  };

  for (const outcome of outcomes) {
    if (outcome.result) {
      const { serverId, serverName, tailscaleDeviceId } = outcome.result;
      const server = servers.find((candidate) => candidate.id === serverId);
      if (server?.status !== "running") {
        problems.push(`${outcome.name}: returned server ${serverId}, which is not running`);
      }
      if (
        !devices.some(
          (device) => device.nodeId === tailscaleDeviceId || device.id === tailscaleDeviceId,
        )
      ) {
        problems.push(
          `${outcome.name}: returned device ${tailscaleDeviceId}, which is not on the tailnet`,
        );
      }
      reported.servers.add(String(serverId)).add(serverName);
      reported.devices.add(tailscaleDeviceId).add(serverName);
      continue;
    }
    if (!(outcome.error instanceof ProvisionError)) {
      problems.push(`${outcome.name}: threw ${String(outcome.error)}, not a ProvisionError`);
      continue;
    }
    const { cleanup } = outcome.error;
    for (const entry of cleanup.removed) {
      const left =
        entry.resource === "server"
          ? servers.some((server) => String(server.id) === entry.id)
          : entry.resource === "device"
            ? devices.some((device) => device.nodeId === entry.id || device.id === entry.id)
            : keys.some((key) => key.id === entry.id && key.valid);
      if (left)
        problems.push(
          `${outcome.name}: says it removed ${entry.resource} ${entry.id}, which is still there`,
        );
    }
    for (const entry of cleanup.failed) {
      const exists =
        entry.resource === "server"
          ? servers.some((server) => String(server.id) === entry.id || server.name === entry.id)
          : entry.resource === "device"
            ? devices.some((device) =>
                [device.nodeId, device.id, device.hostname].includes(entry.id),
              )
            : keys.some((key) => key.id === entry.id);
      // An id that is the run's name, or a deadline reason, means it could not even be checked.
      const unchecked = entry.id === outcome.name || /timeout of \d+ ms passed/.test(entry.reason);
      if (!exists && !unchecked)
        problems.push(
          `${outcome.name}: says it failed to remove ${entry.resource} ${entry.id}, which is gone`,
        );
      const set =
        entry.resource === "server"
          ? reported.servers
          : entry.resource === "device"
            ? reported.devices
            : reported.keys;
      set.add(entry.id);
    }
  }

  for (const server of servers) {
    if (!reported.servers.has(String(server.id)) && !reported.servers.has(server.name)) {
      problems.push(`server ${server.name} (${server.id}) exists, and no run reported it`);
    }
  }
  for (const device of devices) {
    if (
      ![device.nodeId, device.id, device.hostname].some(
        (id) => reported.devices.has(id) || reported.servers.has(id),
      )
    ) {
      problems.push(
        `device ${device.hostname} (${device.nodeId}) is on the tailnet, and no run reported it`,
      );
    }
  }
  for (const key of sim.state.validAuthKeys()) {
    const name = key.description.replace(/^tailvm /, "");
    if (!reported.keys.has(key.id) && !reported.keys.has(name))
      problems.push(`auth key ${key.id} is usable, and no run reported it`);
  }
  for (const request of sim.state.requests()) {
    if (NONCONFORMING_STATUSES.has(request.status)) {
      problems.push(
        `${request.method} ${request.path} answered ${request.status}: a request the API refuses`,
      );
    }
  }
  return problems;
}
