import { type CloudConfigIssue, CloudConfigValidationError } from "../errors.js";
import { isSecret, type Secret, secret } from "../secret.js";
import type { CloudConfig } from "../types.js";

/**
 * Where `tailscale()` writes the auth key (root-only, removed after `tailscale up`).
 *
 * @example
 * ```ts
 * const up = ["tailscale", "up", `--auth-key=file:${TAILSCALE_AUTH_KEY_PATH}`];
 * ```
 */
export const TAILSCALE_AUTH_KEY_PATH = "/run/tailvm/tailscale-auth-key";

/**
 * Where `tailscale()` turns on IP forwarding when the machine advertises routes or offers itself as
 * an exit node: Tailscale on Linux forwards nothing for a subnet router or exit node without it.
 *
 * @example
 * ```ts
 * const reload = ["sysctl", "-p", TAILSCALE_SYSCTL_PATH];
 * ```
 */
export const TAILSCALE_SYSCTL_PATH = "/etc/sysctl.d/99-tailscale.conf";

/**
 * Fingerprint of the key that signs Tailscale's apt repository (pkgs.tailscale.com), passed to
 * cloud-init as `keyid` so the key fetched from the keyserver is pinned.
 *
 * Where it comes from: Tailscale's Linux install pages (e.g. https://tailscale.com/kb/1476/install-ubuntu-2404)
 * and `scripts/installer.sh` in github.com/tailscale/tailscale install the key file from
 * https://pkgs.tailscale.com/stable/<distribution>/<release>.noarmor.gpg but do not print its
 * fingerprint. This value is the one public configs pin for that key (for example the cloud-init
 * `keyid` in github.com/starwit/k3s-hetzner `cloud-init.yml.tpl`, and scripts that compare
 * `gpg --show-keys` of the downloaded key with it). It was cross-checked across those sources, not
 * against the key file itself.
 *
 * @example
 * ```ts
 * tailscale({ authKey, hostname: "h" }).apt?.sources?.tailscale?.keyid; // TAILSCALE_APT_KEY_FINGERPRINT
 * ```
 */
export const TAILSCALE_APT_KEY_FINGERPRINT = "2596A99EAAB33821893C0A79458CA832957F5868";

/**
 * Options for {@link tailscale}.
 *
 * @example
 * ```ts
 * const options: TailscaleOptions = { authKey: secret(key), hostname: "ci-1", tags: ["tag:ci"] };
 * ```
 */
export interface TailscaleOptions {
  /** A Tailscale auth key (`tskey-auth-...`); wrapped in `secret()` if it is a plain string. */
  authKey: string | Secret;
  /** The machine name in the tailnet: one RFC 1123 label. */
  hostname: string;
  /** ACL tags such as `"tag:ci"`; passed as `--advertise-tags`. */
  tags?: string[];
  /** Enable Tailscale SSH (`--ssh`). */
  ssh?: boolean;
  /** Subnet routes in CIDR form, e.g. `"10.0.0.0/24"` (`--advertise-routes`); turns on IP forwarding. */
  advertiseRoutes?: string[];
  /** `false` adds `--accept-dns=false`. */
  acceptDns?: boolean;
  /** Offer this machine as an exit node (`--advertise-exit-node`); turns on IP forwarding. */
  exitNode?: boolean;
  /**
   * How long `tailscale up` may wait to reach the control server and be approved before it gives
   * up (`--timeout=<n>s`), so that a machine that cannot join still finishes cloud-init (and runs
   * `phone_home` and `final_message`). Whole seconds, at least 1; default 300.
   */
  timeoutSeconds?: number;
  /** More `tailscale up` flags, each starting with `--`; auth key and `--timeout` flags are refused. */
  extraArgs?: string[];
  /** Which of Tailscale's apt repositories to use; default `"ubuntu"`. */
  distribution?: "ubuntu" | "debian";
  /** Keyserver to fetch the repository key from; default `"keyserver.ubuntu.com"`. */
  keyserver?: string;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TAG = /^tag:[A-Za-z][A-Za-z0-9-]*$/;
const FLAG = /^--[a-z][a-z0-9-]*(=.*)?$/s;
const AUTH_KEY_FLAG = /^--auth-?key(=|$)/;
const TIMEOUT_FLAG = /^--timeout(=|$)/;
const DEFAULT_TIMEOUT_SECONDS = 300;
const FORWARDING_SYSCTL = "net.ipv4.ip_forward = 1\nnet.ipv6.conf.all.forwarding = 1\n";

/**
 * A fragment that joins the machine to a tailnet on first boot: adds Tailscale's official apt
 * repository (key pinned by fingerprint), installs `tailscale`, writes the auth key to
 * {@link TAILSCALE_AUTH_KEY_PATH} (0600, root:root), enables `tailscaled`, runs
 * `tailscale up --auth-key=file:... --timeout=300s` so the key never appears on a command line or
 * in cloud-init's logged commands, then deletes the key file. With `advertiseRoutes` or `exitNode`
 * it also turns on IPv4 and IPv6 forwarding ({@link TAILSCALE_SYSCTL_PATH}) before `tailscale up`.
 *
 * The key stays readable on the machine: user data is served to any local process by Hetzner's
 * metadata service (http://169.254.169.254/hetzner/v1/userdata) for the server's whole life, and
 * cloud-init keeps a copy in `/var/lib/cloud/instance/user-data.txt`. Deleting the key file only
 * narrows the exposure. Use a single-use, short-lived key and revoke it once the device has joined
 * (`@tailvm/provisioner` does all three), so that what is left on the machine is worthless.
 *
 * `distribution` must match the image (`"debian"` for debian-* images): each repository only
 * carries its own family's releases, so the other one makes `apt` fail and Tailscale never installs.
 *
 * @example
 * ```ts
 * import { render, tailscale } from "@tailvm/cloud-init";
 * const fragment = tailscale({
 *   authKey: process.env.TS_AUTH_KEY!,
 *   hostname: "ci-runner-1",
 *   tags: ["tag:ci"],
 *   ssh: true,
 * });
 * // runcmd: [..., ["tailscale", "up", "--auth-key=file:/run/tailvm/tailscale-auth-key",
 * //                "--hostname=ci-runner-1", "--timeout=300s", "--advertise-tags=tag:ci", "--ssh"],
 * //          ["rm", "-f", ...]]
 * ```
 */
export function tailscale(options: TailscaleOptions): CloudConfig {
  const issues = checkOptions(options);
  if (issues.length > 0)
    throw new CloudConfigValidationError(issues, { subject: "tailscale() options" });

  const authKey = isSecret(options.authKey) ? options.authKey : secret(options.authKey);
  const distribution = options.distribution ?? "ubuntu";
  const up = [
    "tailscale",
    "up",
    `--auth-key=file:${TAILSCALE_AUTH_KEY_PATH}`,
    `--hostname=${options.hostname}`,
    `--timeout=${options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS}s`,
  ];
  if (options.tags !== undefined && options.tags.length > 0)
    up.push(`--advertise-tags=${options.tags.join(",")}`);
  if (options.ssh === true) up.push("--ssh");
  if (options.advertiseRoutes !== undefined && options.advertiseRoutes.length > 0) {
    up.push(`--advertise-routes=${options.advertiseRoutes.join(",")}`);
  }
  if (options.acceptDns === false) up.push("--accept-dns=false");
  if (options.exitNode === true) up.push("--advertise-exit-node");
  up.push(...(options.extraArgs ?? []));

  const forwards =
    options.exitNode === true ||
    (options.advertiseRoutes !== undefined && options.advertiseRoutes.length > 0);
  const sysctlFile = {
    path: TAILSCALE_SYSCTL_PATH,
    content: FORWARDING_SYSCTL,
    owner: "root:root",
    permissions: "0644",
    defer: false,
  };

  return {
    apt: {
      sources: {
        tailscale: {
          // cloud-init fetches the key by fingerprint, writes it to its own keyring file and
          // substitutes that path for $KEY_FILE and the image's codename for $RELEASE.
          source: `deb [signed-by=$KEY_FILE] https://pkgs.tailscale.com/stable/${distribution} $RELEASE main`,
          keyid: TAILSCALE_APT_KEY_FINGERPRINT,
          keyserver: options.keyserver ?? "keyserver.ubuntu.com",
        },
      },
    },
    packages: ["tailscale"],
    write_files: [
      {
        path: TAILSCALE_AUTH_KEY_PATH,
        content: authKey,
        owner: "root:root",
        permissions: "0600",
        defer: false,
      },
      ...(forwards ? [sysctlFile] : []),
    ],
    // cloud-init joins runcmd into one `#!/bin/sh` script without `set -e` (util.shellify), so
    // the key file is still deleted when `tailscale up` fails or reaches its --timeout.
    runcmd: [
      ...(forwards ? [["sysctl", "-p", TAILSCALE_SYSCTL_PATH]] : []),
      ["systemctl", "enable", "--now", "tailscaled"],
      up,
      ["rm", "-f", TAILSCALE_AUTH_KEY_PATH],
    ],
  };
}

function checkOptions(options: TailscaleOptions): CloudConfigIssue[] {
  const issues: CloudConfigIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const key = isSecret(options.authKey) ? options.authKey.reveal() : options.authKey;
  // The key itself is never echoed.
  if (typeof key !== "string" || key.trim() === "" || /\s/.test(key)) {
    add("authKey", "must be a non-empty Tailscale auth key without whitespace (tskey-auth-...)");
  }
  if (typeof options.hostname !== "string" || !LABEL.test(options.hostname)) {
    add(
      "hostname",
      `must be one RFC 1123 label: 1-63 of a-z, 0-9 and "-", not starting or ending with "-" (got ${JSON.stringify(options.hostname)})`,
    );
  }
  options.tags?.forEach((tag, index) => {
    if (typeof tag !== "string" || !TAG.test(tag)) {
      add(
        `tags[${index}]`,
        `must look like "tag:name" (a letter, then letters, digits or "-") (got ${JSON.stringify(tag)})`,
      );
    }
  });
  options.advertiseRoutes?.forEach((route, index) => {
    const problem = checkCidr(route);
    if (problem !== undefined)
      add(`advertiseRoutes[${index}]`, `${problem} (got ${JSON.stringify(route)})`);
  });
  options.extraArgs?.forEach((argument, index) => {
    if (typeof argument !== "string" || !FLAG.test(argument)) {
      add(`extraArgs[${index}]`, 'must be a flag starting with "--", e.g. "--accept-routes"');
    } else if (AUTH_KEY_FLAG.test(argument)) {
      add(
        `extraArgs[${index}]`,
        "must not pass an auth key: use the authKey option, which keeps it off the command line",
      );
    } else if (TIMEOUT_FLAG.test(argument)) {
      add(`extraArgs[${index}]`, "must not pass --timeout: use the timeoutSeconds option");
    }
  });
  for (const flag of ["ssh", "acceptDns", "exitNode"] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== "boolean")
      add(flag, "must be true or false");
  }
  const timeout = options.timeoutSeconds;
  if (timeout !== undefined && (!Number.isSafeInteger(timeout) || timeout < 1)) {
    add("timeoutSeconds", `must be a whole number of seconds >= 1 (got ${String(timeout)})`);
  }
  if (options.distribution !== undefined && !["ubuntu", "debian"].includes(options.distribution)) {
    add("distribution", 'must be "ubuntu" or "debian"');
  }
  return issues;
}

/** Why `route` is not a canonical IPv4 or IPv6 CIDR prefix, or undefined when it is one. */
function checkCidr(route: unknown): string | undefined {
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
