import { ALL_LOCATIONS } from "./catalog-locations.js";
import { SERVER_TYPE_FAMILIES, SERVER_TYPES } from "./catalog-server-types.js";
import { SimulatedCloudError } from "./errors.js";
import type { SimulatedFaults, SimulatedFaultTarget } from "./types.js";
import type { World } from "./world.js";

function positiveCount(value: number | undefined, field: string): number {
  const count = value ?? 1;
  if (!Number.isInteger(count) || count < 1) {
    throw new SimulatedCloudError(`${field} must be a positive integer (got ${String(value)}).`);
  }
  return count;
}

/** The server type names a `setUnavailable` argument stands for: one type, or a family. */
function typesNamed(serverType: string): string[] {
  const family = SERVER_TYPES.filter((type) => type.family === serverType);
  if (family.length > 0) return family.map((type) => type.name);
  if (SERVER_TYPES.some((type) => type.name === serverType)) return [serverType];
  throw new SimulatedCloudError(
    `setUnavailable: serverType must be a server type of the catalog or a family (${SERVER_TYPE_FAMILIES.join(", ")}); got '${serverType}'.`,
  );
}

/** Which requests a request fault hits, and how many more times. */
function requestMatch(fault: SimulatedFaultTarget, name: string) {
  return {
    api: fault.api,
    method: fault.method?.toUpperCase(),
    path: fault.path,
    remaining: positiveCount(fault.count, `${name} count`),
  };
}

/**
 * The `faults` of a simulated cloud, writing into `world`.
 *
 * @example
 * ```ts
 * const faults = createSimulatedFaults(world);
 * faults.setUnavailable("cx", "nbg1");
 * ```
 */
export function createSimulatedFaults(world: World): SimulatedFaults {
  return {
    failNext(fault) {
      world.faults.failNext.push({
        ...requestMatch(fault, "failNext"),
        status: fault.status,
        code: fault.code,
      });
    },
    resetConnection(fault) {
      world.faults.resetConnection.push(requestMatch(fault, "resetConnection"));
    },
    setUnavailable(serverType, location) {
      const names = typesNamed(serverType);
      if (!ALL_LOCATIONS.includes(location)) {
        throw new SimulatedCloudError(
          `setUnavailable: location must be one of ${ALL_LOCATIONS.join(", ")}; got '${location}'.`,
        );
      }
      for (const name of names) world.faults.unavailable.add(`${name}@${location}`);
    },
    failNextAction(fault = {}) {
      world.faults.failNextAction.push({
        command: fault.command ?? "create_server",
        code: fault.code ?? "action_failed",
      });
    },
    serverNeverRuns(fault = {}) {
      world.faults.serverNeverRuns.push({ name: fault.name });
    },
    deviceNeverJoins(fault = {}) {
      world.faults.deviceNeverJoins.push({ hostname: fault.hostname });
    },
    tokenEndpointFails(fault = {}) {
      world.faults.tokenEndpoint = {
        status: fault.status ?? 500,
        remaining: positiveCount(fault.count, "tokenEndpointFails count"),
      };
    },
    clear() {
      world.faults.failNext.length = 0;
      world.faults.resetConnection.length = 0;
      world.faults.unavailable.clear();
      world.faults.failNextAction.length = 0;
      world.faults.serverNeverRuns.length = 0;
      world.faults.deviceNeverJoins.length = 0;
      world.faults.tokenEndpoint = undefined;
      world.faults.schedule = undefined;
    },
    useSchedule(schedule) {
      world.faults.schedule = schedule;
    },
  };
}
