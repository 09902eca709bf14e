import { serversWithFirewall } from "./public-exposure.js";
import type { SimAuthKey, SimDevice, SimServer, SimulatedState } from "./types.js";
import type { DeviceRecord, KeyRecord, ServerRecord, World } from "./world.js";

function toSimServer(world: World, server: ServerRecord, now: number): SimServer {
  return {
    id: server.id,
    name: server.name,
    status: world.serverStatus(server, now),
    labels: { ...server.labels },
    server_type: server.serverType.name,
    location: server.location.name,
    image: server.image.name,
    user_data: server.userData,
    bootProblem: server.bootProblem,
    ssh_keys: [...server.sshKeys],
    created: world.config.wallTime(server.created),
    public_net: { ipv4: server.ipv4, ipv6: server.ipv6 },
    firewalls: [...server.firewallIds],
    networks: [...server.networkIds],
  };
}

function toSimKey(world: World, key: KeyRecord, now: number): SimAuthKey {
  return {
    id: key.id,
    description: key.description,
    tags: [...key.tags],
    reusable: key.reusable,
    ephemeral: key.ephemeral,
    preauthorized: key.preauthorized,
    created: world.config.wallTime(key.created),
    expires: world.config.wallTime(key.expires),
    revoked: key.revoked === null ? null : world.config.wallTime(key.revoked),
    uses: key.uses,
    valid: world.isKeyValid(key, now),
  };
}

function toSimDevice(world: World, device: DeviceRecord): SimDevice {
  return {
    id: device.id,
    nodeId: device.nodeId,
    hostname: device.hostname,
    name: device.name,
    tags: [...device.tags],
    addresses: [...device.addresses],
    connectedToControl: device.connected,
    created: world.config.wallTime(device.created),
    lastSeen: world.config.wallTime(device.lastSeen),
    ephemeral: device.ephemeral,
    serverId: device.serverId,
    keyId: device.keyId,
  };
}

/**
 * The read-only `state` of a simulated cloud, settled to the clock's time on every read. Its times
 * are on the wall clock, like the API's timestamps (on a virtual clock, its virtual time).
 *
 * @example
 * ```ts
 * const state = createSimulatedState(world, () => core.reset());
 * state.servers();
 * ```
 */
export function createSimulatedState(world: World, onReset: () => void): SimulatedState {
  const now = () => {
    const time = world.config.clock.now();
    world.settle(time);
    return time;
  };
  const state: SimulatedState = {
    servers: () => {
      const time = now();
      return [...world.servers.values()].map((server) => toSimServer(world, server, time));
    },
    authKeys: () => {
      const time = now();
      return [...world.keys.values()].map((key) => toSimKey(world, key, time));
    },
    validAuthKeys: () => state.authKeys().filter((key) => key.valid),
    devices: () => {
      now();
      return [...world.devices.values()].map((device) => toSimDevice(world, device));
    },
    firewalls: () =>
      [...world.firewalls.values()].map((firewall) => ({
        id: firewall.id,
        name: firewall.name,
        labels: { ...firewall.labels },
        rules: firewall.rules.map((rule) => ({
          direction: rule.direction,
          protocol: rule.protocol,
          port: rule.port,
          sourceIps: [...rule.sourceIps],
        })),
        appliedTo: serversWithFirewall(world, firewall.id),
      })),
    publicExposure: (serverId) =>
      (world.exposure.get(serverId) ?? []).map((period) => ({
        since: world.config.wallTime(period.since),
        addresses: [...period.addresses],
        open: [...period.open],
      })),
    serverIdsEverCreated: () => [...world.exposure.keys()],
    requests: () =>
      world.requestLog.map((entry) => ({ ...entry, time: world.config.wallTime(entry.time) })),
    reset: () => {
      world.reset();
      onReset();
    },
  };
  return state;
}
