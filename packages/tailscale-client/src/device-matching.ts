import type { Device, DeviceCriteria, EnrolledDevice } from "./types.js";

/** Whether `device` has the host name, every tag and the creation time that `criteria` ask for. */
export function matchesDevice(device: Device, criteria: Omit<DeviceCriteria, "signal">): boolean {
  if (device.hostname !== criteria.hostname) return false;
  const tags = new Set(device.tags ?? []);
  if (!(criteria.tags ?? []).every((tag) => tags.has(tag))) return false;
  if (criteria.createdAfter !== undefined) {
    const created = Date.parse(device.created ?? "");
    if (Number.isNaN(created) || created < toEpochMs(criteria.createdAfter)) return false;
  }
  return true;
}

export function toEpochMs(time: Date | number): number {
  return typeof time === "number" ? time : time.getTime();
}

/** The address in Tailscale's CGNAT range 100.64.0.0/10, if the device has one. */
export function tailscaleIpv4(addresses: readonly string[]): string | undefined {
  return addresses.find((address) => {
    const octets = address.split(".");
    if (octets.length !== 4 || !octets.every((octet) => /^\d{1,3}$/.test(octet))) return false;
    const [first, second] = octets.map(Number);
    return first === 100 && second !== undefined && second >= 64 && second <= 127;
  });
}

/** The address in Tailscale's ULA range fd7a:115c:a1e0::/48, if the device has one. */
export function tailscaleIpv6(addresses: readonly string[]): string | undefined {
  return addresses.find((address) => {
    const hextets = address.toLowerCase().split(":");
    return (
      hextets.length >= 3 &&
      Number.parseInt(hextets[0] || "x", 16) === 0xfd7a &&
      Number.parseInt(hextets[1] || "x", 16) === 0x115c &&
      Number.parseInt(hextets[2] || "x", 16) === 0xa1e0
    );
  });
}

/** The summary {@link EnrolledDevice}, or undefined while the device lacks an id or a 100.x address. */
export function toEnrolledDevice(device: Device): EnrolledDevice | undefined {
  const addresses = device.addresses ?? [];
  const ipv4 = tailscaleIpv4(addresses);
  const nodeId = device.nodeId ?? device.id;
  if (!ipv4 || !nodeId) return undefined;
  return {
    nodeId,
    hostname: device.hostname ?? "",
    name: device.name ?? "",
    addresses: [...addresses],
    ipv4,
    ipv6: tailscaleIpv6(addresses),
  };
}
