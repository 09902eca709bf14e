import { type CloudConfigIssue, CloudConfigValidationError } from "../errors.js";
import { isSecret, type Secret, secret } from "../secret.js";
import type { CloudConfig } from "../types.js";
import { checkCidr } from "./cidr.js";
import { KEYRING_SCRIPT } from "./tailscale-keyring-script.js";

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
 * Fingerprint of the key that signs Tailscale's apt repository (pkgs.tailscale.com): "Tailscale Inc.
 * (Package repository signing key) <info@tailscale.com>", RSA 4096. `tailscale()` installs the
 * repository keyring only when every key in it has this fingerprint.
 *
 * Where it comes from: Tailscale's install pages and `scripts/installer.sh` fetch
 * https://pkgs.tailscale.com/stable/<distribution>/<release>.noarmor.gpg but do not print a
 * fingerprint. dnf shows this one when it imports the key from https://pkgs.tailscale.com/stable/rhel/9/repo.gpg
 * (quoted in github.com/tailscale/tailscale issue 13284), its last 16 digits are the `NO_PUBKEY
 * 458CA832957F5868` apt prints for that repository, and public configs pin the same value.
 *
 * @example
 * ```ts
 * tailscale({ authKey, hostname: "h", keyFingerprint: TAILSCALE_APT_KEY_FINGERPRINT }); // the default
 * ```
 */
export const TAILSCALE_APT_KEY_FINGERPRINT = "2596A99EAAB33821893C0A79458CA832957F5868";

/**
 * Tailscale's stable apt repository; `tailscale()` appends the distribution (`/debian`, `/ubuntu`).
 *
 * @example
 * ```ts
 * tailscale({ authKey, hostname: "h", repository: "https://pkgs.tailscale.com/unstable" });
 * ```
 */
export const TAILSCALE_APT_REPOSITORY = "https://pkgs.tailscale.com/stable";

/**
 * Where `tailscale()` installs the repository keyring, as Tailscale's own instructions do; the
 * apt source names it in `signed-by=`.
 *
 * @example
 * ```ts
 * const line = `deb [signed-by=${TAILSCALE_KEYRING_PATH}] https://pkgs.tailscale.com/stable/debian bookworm main`;
 * ```
 */
export const TAILSCALE_KEYRING_PATH = "/usr/share/keyrings/tailscale-archive-keyring.gpg";

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
  /**
   * The apt repository without the distribution, an absolute http(s) URL; default
   * {@link TAILSCALE_APT_REPOSITORY}. It must serve Tailscale's layout:
   * `<repository>/<distribution>/<codename>.noarmor.gpg` and a signed `dists/<codename>`.
   */
  repository?: string;
  /**
   * The 40-digit fingerprint every key in the fetched keyring must have (spaces allowed, any
   * case); default {@link TAILSCALE_APT_KEY_FINGERPRINT}. Change it only together with `repository`.
   */
  keyFingerprint?: string;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TAG = /^tag:[A-Za-z][A-Za-z0-9-]*$/;
const FLAG = /^--[a-z][a-z0-9-]*(=.*)?$/s;
const AUTH_KEY_FLAG = /^--auth-?key(=|$)/;
const TIMEOUT_FLAG = /^--timeout(=|$)/;
const DEFAULT_TIMEOUT_SECONDS = 300;
const FINGERPRINT = /^[0-9A-F]{40}$/;
const KEYRING_ATTEMPTS = 6;
const KEYRING_RETRY_DELAY_SECONDS = 2;
const KEYRING_DELIMITER = "TAILVM_KEYRING";
const FORWARDING_SYSCTL = "net.ipv4.ip_forward = 1\nnet.ipv6.conf.all.forwarding = 1\n";

/**
 * A fragment that joins the machine to a tailnet on first boot. In cloud-init's order:
 * - `bootcmd` fetches the repository keyring over HTTPS from
 *   `<repository>/<distribution>/<codename>.noarmor.gpg` (retrying network failures and 5xx up to
 *   6 times, about a minute in all) and installs it at {@link TAILSCALE_KEYRING_PATH} only when its
 *   key has the pinned fingerprint ({@link TAILSCALE_APT_KEY_FINGERPRINT}); otherwise it logs
 *   `tailvm: tailscale keyring: ERROR: FINGERPRINT MISMATCH ...` and exits non-zero, so cloud-init
 *   ends with `status: error`. No keyserver, `gpg` or `curl` is involved: it runs on the Python
 *   that cloud-init itself runs on.
 * - `write_files` writes the auth key to {@link TAILSCALE_AUTH_KEY_PATH} (0600, root:root);
 * - `apt` adds the source `deb [signed-by=<keyring>] <repository>/<distribution> $RELEASE main`,
 *   and `packages` installs `tailscale`;
 * - `runcmd` enables `tailscaled`, runs `tailscale up --auth-key=file:... --timeout=300s` so the key
 *   never appears on a command line or in cloud-init's logged commands, then deletes the key file.
 *   With `advertiseRoutes` or `exitNode` it first turns on IPv4 and IPv6 forwarding
 *   ({@link TAILSCALE_SYSCTL_PATH}).
 *
 * The key stays readable on the machine: user data is served to any local process by Hetzner's
 * metadata service (http://169.254.169.254/hetzner/v1/userdata) for the server's whole life, and
 * cloud-init keeps a copy in `/var/lib/cloud/instance/user-data.txt`. Deleting the key file only
 * narrows the exposure. Use a single-use, short-lived key and revoke it once the device has joined
 * (`@tailvm/provisioner` does all three), so that what is left on the machine is worthless.
 *
 * `distribution` must match the image (`"debian"` for debian-* images): each repository only
 * carries its own family's releases, so the other one answers 404 for the keyring and Tailscale
 * never installs.
 *
 * @example
 * ```ts
 * import { render, tailscale } from "@tailvm/cloud-init";
 * const fragment = tailscale({
 *   authKey: process.env.TS_AUTH_KEY!,
 *   hostname: "ci-runner-1",
 *   tags: ["tag:ci"],
 *   ssh: true,
 *   distribution: "debian",
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
  const repository = `${(options.repository ?? TAILSCALE_APT_REPOSITORY).replace(/\/+$/, "")}/${distribution}`;
  const fingerprint = normaliseFingerprint(options.keyFingerprint ?? TAILSCALE_APT_KEY_FINGERPRINT);
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
    // bootcmd is the one module that runs commands before the config stage's apt sources and the
    // final stage's packages, and it runs on every boot: a keyring already in place is kept offline.
    bootcmd: [
      keyringCommand([
        `--repository=${repository}`,
        `--fingerprint=${fingerprint}`,
        `--keyring=${TAILSCALE_KEYRING_PATH}`,
        `--attempts=${KEYRING_ATTEMPTS}`,
        `--retry-delay=${KEYRING_RETRY_DELAY_SECONDS}`,
      ]),
    ],
    apt: {
      sources: {
        // cloud-init substitutes the image's codename for $RELEASE.
        tailscale: {
          source: `deb [signed-by=${TAILSCALE_KEYRING_PATH}] ${repository} $RELEASE main`,
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
  if (options.repository !== undefined && !isRepositoryUrl(options.repository)) {
    add(
      "repository",
      `must be an absolute http:// or https:// URL without spaces, query or fragment, such as "${TAILSCALE_APT_REPOSITORY}" (got ${JSON.stringify(options.repository)})`,
    );
  }
  if (
    options.keyFingerprint !== undefined &&
    (typeof options.keyFingerprint !== "string" ||
      !FINGERPRINT.test(normaliseFingerprint(options.keyFingerprint)))
  ) {
    add(
      "keyFingerprint",
      `must be a 40-digit hexadecimal OpenPGP v4 fingerprint (got ${JSON.stringify(options.keyFingerprint)})`,
    );
  }
  if ("keyserver" in options) {
    add(
      "keyserver",
      "is no longer used: the keyring is fetched from the repository and checked against keyFingerprint; remove it",
    );
  }
  return issues;
}

/**
 * `python3 - ARGS` with the keyring program as a here-document (a readable block in the YAML).
 * cloud-init runs all of `bootcmd` as one `sh` script whose status is its last command's, so a
 * failure here would vanish behind later entries (another fragment's): it sets an EXIT trap
 * instead, which lets them run and still ends the script, and the module, with this status.
 */
function keyringCommand(args: string[]): string {
  const quoted = args.map((argument) => `'${argument.replaceAll("'", `'"'"'`)}'`);
  const keepStatus = "{ tailvm_keyring=$?; trap 'exit $tailvm_keyring' EXIT; }";
  return `python3 - ${quoted.join(" ")} <<'${KEYRING_DELIMITER}' || ${keepStatus}\n${KEYRING_SCRIPT}${KEYRING_DELIMITER}\n`;
}

function normaliseFingerprint(fingerprint: string): string {
  return fingerprint.replaceAll(" ", "").toUpperCase();
}

function isRepositoryUrl(value: unknown): boolean {
  if (typeof value !== "string" || /[\s\]]/.test(value) || !URL.canParse(value)) return false;
  const url = new URL(value);
  return ["http:", "https:"].includes(url.protocol) && url.search === "" && url.hash === "";
}
