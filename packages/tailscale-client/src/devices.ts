import { type ClientContext, expectOk, requireId, signalOption } from "./client-context.js";
import type { TailscaleClient } from "./client-types.js";
import { matchesDevice } from "./device-matching.js";
import type { Device, DeviceCriteria } from "./types.js";
import { validateDeviceCriteria, waitForDevice } from "./wait-for-device.js";

/** The device helpers of a client. */
export function deviceHelpers(
  context: ClientContext,
): Pick<
  TailscaleClient,
  "listDevices" | "findDevices" | "waitForDevice" | "deleteDevice" | "removeStaleDevices"
> {
  const { api, tailnet } = context;

  const listDevices: TailscaleClient["listDevices"] = async (options = {}) => {
    // The document names its filter parameter `<field>=<value> filters`, which no type can spell.
    const query = {
      ...options.filters,
      ...(options.fields ? { fields: options.fields } : {}),
    } as { fields?: "default" | "all" };
    const result = await api.GET("/tailnet/{tailnet}/devices", {
      params: { path: { tailnet }, query },
      ...signalOption(options.signal),
    });
    return expectOk(context, result)?.devices ?? [];
  };

  const findDevices: TailscaleClient["findDevices"] = async (criteria) => {
    validateDeviceCriteria(criteria);
    const devices = await listDevices({
      filters: deviceFilters(criteria),
      ...signalOption(criteria.signal),
    });
    return devices.filter((device) => matchesDevice(device, criteria));
  };

  const deleteDevice: TailscaleClient["deleteDevice"] = async (nodeId, options = {}) => {
    requireId("nodeId", nodeId);
    const result = await api.DELETE("/device/{deviceId}", {
      params: { path: { deviceId: nodeId } },
      ...signalOption(options.signal),
    });
    if (result.response.status === 404) return { deleted: false };
    expectOk(context, result);
    return { deleted: true };
  };

  return {
    listDevices,
    findDevices,
    deleteDevice,
    waitForDevice(options) {
      const filters = deviceFilters(options);
      return waitForDevice(options, {
        clock: context.clock,
        listDevices: (listOptions) => listDevices({ ...listOptions, filters }),
      });
    },
    async removeStaleDevices(options) {
      const candidates = await findDevices({
        hostname: options.hostname,
        tags: options.tags,
        signal: options.signal,
      });
      const removed: Device[] = [];
      for (const device of candidates) {
        const nodeId = device.nodeId ?? device.id;
        if (device.connectedToControl === true || !nodeId) continue;
        const { deleted } = await deleteDevice(nodeId, { signal: options.signal });
        if (deleted) removed.push(device);
      }
      return removed;
    },
  };
}

/** Tailscale's server-side filters for what {@link matchesDevice} then checks in full. */
function deviceFilters(criteria: DeviceCriteria): Record<string, string | string[]> {
  const tags = criteria.tags ?? [];
  return { hostname: criteria.hostname, ...(tags.length > 0 ? { tags } : {}) };
}
