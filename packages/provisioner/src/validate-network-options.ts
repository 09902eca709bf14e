/** Checks of the public-network and firewall options: `publicNet`, `publicAccess`, `firewalls`, `networks`. */

/** The option names this file checks. */
export const NETWORK_OPTIONS = ["publicNet", "publicAccess", "firewalls", "networks"] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function checkIds(
  value: unknown,
  field: string,
  what: string,
  problem: (field: string, message: string) => void,
) {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length === 0) {
    problem(
      field,
      `must be a non-empty array of ${what} ids (positive integers); got ${JSON.stringify(value)}`,
    );
    return;
  }
  value.forEach((id: unknown, index) => {
    if (typeof id !== "number" || !Number.isSafeInteger(id) || id <= 0) {
      problem(
        `${field}[${index}]`,
        `must be a ${what} id (a positive integer); got ${JSON.stringify(id)}`,
      );
    }
  });
  if (new Set(value).size !== value.length) problem(field, `lists a ${what} id twice`);
}

function checkFlags(
  value: unknown,
  field: string,
  flags: readonly string[],
  problem: (field: string, message: string) => void,
): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    problem(
      field,
      `must be { ${flags.map((flag) => `${flag}?`).join(", ")} } with true or false values`,
    );
    return {};
  }
  for (const [key, flag] of Object.entries(value)) {
    if (!flags.includes(key)) {
      problem(`${field}.${key}`, `is not an option; the options are ${flags.join(", ")}`);
    } else if (flag !== undefined && typeof flag !== "boolean") {
      problem(`${field}.${key}`, `must be true or false; got ${JSON.stringify(flag)}`);
    }
  }
  return value;
}

/** Reports every problem of the network options of `options` through `problem`. */
export function validateNetworkOptions(
  options: Record<string, unknown>,
  problem: (field: string, message: string) => void,
): void {
  const publicNet = checkFlags(options.publicNet, "publicNet", ["ipv4", "ipv6"], problem);
  const publicAccess = checkFlags(options.publicAccess, "publicAccess", ["ssh"], problem);
  checkIds(options.firewalls, "firewalls", "Hetzner firewall", problem);
  checkIds(options.networks, "networks", "Hetzner network", problem);

  const noPublicIp = publicNet.ipv4 === false && publicNet.ipv6 === false;
  const hasNetworks = Array.isArray(options.networks) && options.networks.length > 0;
  if (noPublicIp && !hasNetworks) {
    problem(
      "publicNet",
      "with ipv4 and ipv6 both false the server has no way out and can never reach Tailscale: keep ipv6 (or ipv4), or add networks: [id] for a private network with a route out (a NAT gateway)",
    );
  }
  if (publicAccess.ssh === true && options.firewalls !== undefined) {
    problem(
      "publicAccess",
      "cannot be combined with firewalls: your firewalls decide what is open; add a rule for TCP port 22 to one of them, or leave firewalls out",
    );
  }
  if (publicAccess.ssh === true && noPublicIp) {
    problem("publicAccess.ssh", "needs a public address: publicNet disables both ipv4 and ipv6");
  }
}
