/** Why `route` is not a canonical IPv4 or IPv6 CIDR prefix, or undefined when it is one. */
export function checkCidr(route: unknown): string | undefined {
  const expected = 'must be a CIDR prefix such as "10.0.0.0/24" or "fd7a:115c:a1e0::/48"';
  if (typeof route !== "string") return expected;
  const match = /^([^/]+)\/(\d{1,3})$/.exec(route);
  if (match === null) return expected;
  const [, address = "", lengthText = ""] = match;
  const length = Number(lengthText);
  const bits = address.includes(":") ? parseIpv6(address) : parseIpv4(address);
  if (bits === undefined) return expected;
  const width = address.includes(":") ? 128 : 32;
  if (length > width) return `prefix length must be at most ${width}`;
  if (bits & ((1n << BigInt(width - length)) - 1n))
    return "must have no host bits set after the prefix length";
  return undefined;
}

function parseIpv4(address: string): bigint | undefined {
  const parts = address.split(".");
  if (
    parts.length !== 4 ||
    !parts.every((part) => /^(0|[1-9]\d{0,2})$/.test(part) && Number(part) <= 255)
  ) {
    return undefined;
  }
  return parts.reduce((total, part) => (total << 8n) + BigInt(part), 0n);
}

function parseIpv6(address: string): bigint | undefined {
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] === "" ? [] : (halves[0] ?? "").split(":");
  const tail = halves.length === 2 && halves[1] !== "" ? (halves[1] ?? "").split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!groups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  return groups.reduce((total, group) => (total << 16n) + BigInt(Number.parseInt(group, 16)), 0n);
}
