/** What of a server the internet can reach: its public addresses and the inbound ports open on them. */
import type { ExposureRecord, ServerRecord, World } from "./world.js";

/**
 * The exposure of `server` from `now` on: no address, nothing open; no firewall, every port
 * (`"any"`); otherwise every inbound rule of its firewalls (Hetzner applies their union).
 */
export function exposureOf(world: World, server: ServerRecord, now: number): ExposureRecord {
  const addresses = [server.ipv4, server.ipv6].filter(
    (address): address is string => address !== null,
  );
  if (addresses.length === 0) return { since: now, addresses, open: [] };
  if (server.firewallIds.length === 0) return { since: now, addresses, open: ["any"] };
  const open = new Set<string>();
  for (const id of server.firewallIds) {
    for (const rule of world.firewalls.get(id)?.rules ?? []) {
      if (rule.direction === "in") open.add(`${rule.protocol}/${rule.port ?? "any"}`);
    }
  }
  return { since: now, addresses, open: [...open].sort() };
}

/** The servers a firewall is applied to, in id order. */
export function serversWithFirewall(world: World, firewallId: number): number[] {
  return [...world.servers.values()]
    .filter((server) => server.firewallIds.includes(firewallId))
    .map((server) => server.id)
    .sort((a, b) => a - b);
}
