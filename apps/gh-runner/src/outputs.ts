/**
 * Every output the action writes (and the CLI prints), in action.yml order.
 *
 * @example
 * ```ts
 * Object.keys(OUTPUTS); // ["server_id", "server_name", ...]
 * ```
 */
export const OUTPUTS = {
  server_id: {
    description:
      "The Hetzner server id. Written as soon as the server exists, so a later if: always() step can clean up.",
  },
  server_name: { description: "The server name, also its Tailscale hostname." },
  server_ip: { description: "The server's public IPv4 address (empty when it has none)." },
  server_ipv6: {
    description: "The server's public IPv6 network address (empty when it has none).",
  },
  tailscale_ip: { description: "The device's tailnet IPv4 address (100.x.y.z)." },
  tailscale_ipv6: { description: "The device's tailnet IPv6 address (empty when it has none)." },
  tailscale_hostname: { description: "The device's hostname on the tailnet." },
  tailscale_device_id: { description: "The device's Tailscale node id." },
  location: { description: "The Hetzner location the server was placed in, e.g. nbg1." },
  server_type: { description: "The Hetzner server type it runs on, e.g. cx23." },
  price_monthly: {
    description: "The server type's monthly price in its location, in euro, net (without VAT).",
  },
  price_hourly: {
    description: "The server type's hourly price in its location, in euro, net (without VAT).",
  },
  adopted: {
    description:
      "true when a server of the same job_id already existed and was adopted, else false.",
  },
  removed: {
    description:
      'Deprovision and reap: what was deleted, as a JSON array of { "resource", "id" } (empty when it was already gone).',
  },
} as const satisfies Record<string, { description: string }>;

/**
 * The name of an output.
 *
 * @example
 * ```ts
 * const name: OutputName = "tailscale_ip";
 * ```
 */
export type OutputName = keyof typeof OUTPUTS;
