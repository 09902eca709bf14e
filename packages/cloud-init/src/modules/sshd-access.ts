import { CloudConfigValidationError } from "../errors.js";
import type { CloudConfig } from "../types.js";
import { SSHD_TAILNET_SCRIPT } from "./sshd-tailnet-script.js";

/**
 * Where sshd may be reached once the machine has joined the tailnet, for {@link sshdAccess}:
 * `"tailnet"` listens only on the device's tailnet addresses, `"off"` stops and disables sshd.
 *
 * @example
 * ```ts
 * const access: SshdAccess = process.env.TAILSCALE_SSH === "true" ? "off" : "tailnet";
 * ```
 */
export type SshdAccess = "tailnet" | "off";

/**
 * The program `sshdAccess("tailnet")` installs and runs after `tailscale up`; run it again by
 * hand if the device's tailnet addresses ever change.
 *
 * @example
 * ```ts
 * sshdAccess("tailnet").runcmd; // [[SSHD_TAILNET_PROGRAM_PATH]]
 * ```
 */
export const SSHD_TAILNET_PROGRAM_PATH = "/usr/local/sbin/tailvm-sshd-tailnet";

/**
 * The sysctl file `sshdAccess("tailnet")` writes: `net.ipv4.ip_nonlocal_bind` and
 * `net.ipv6.ip_nonlocal_bind`, so sshd can bind the tailnet addresses before `tailscale0` has them.
 *
 * @example
 * ```ts
 * const reload = ["sysctl", "-p", SSHD_NONLOCAL_BIND_SYSCTL_PATH];
 * ```
 */
export const SSHD_NONLOCAL_BIND_SYSCTL_PATH = "/etc/sysctl.d/60-tailvm-nonlocal-bind.conf";

/**
 * The sshd drop-in the tailnet program writes with one `ListenAddress` per tailnet address; sshd
 * reads its drop-ins before the main file, and `ListenAddress` lines add up, so these are all.
 *
 * @example
 * ```ts
 * const check = ["grep", "ListenAddress", SSHD_TAILNET_CONFIG_PATH];
 * ```
 */
export const SSHD_TAILNET_CONFIG_PATH = "/etc/ssh/sshd_config.d/05-tailvm-tailnet.conf";

const NONLOCAL_BIND_SYSCTL = "net.ipv4.ip_nonlocal_bind = 1\nnet.ipv6.ip_nonlocal_bind = 1\n";

/**
 * A fragment that narrows where sshd answers once the machine has joined the tailnet. Merge it
 * after {@link tailscale}: its `runcmd` must run after `tailscale up`. It is defence in depth, not
 * the barrier: a Cloud Firewall without an inbound rule keeps port 22 closed either way.
 *
 * - `"tailnet"` writes {@link SSHD_NONLOCAL_BIND_SYSCTL_PATH} and installs
 *   {@link SSHD_TAILNET_PROGRAM_PATH}, which `runcmd` runs: it writes the device's tailnet IPv4
 *   and IPv6 addresses as sshd's only `ListenAddress` lines ({@link SSHD_TAILNET_CONFIG_PATH}),
 *   and as the only `ListenStream` lines of `ssh.socket` where sshd is socket-activated
 *   (Ubuntu 22.10 and later), then restarts sshd. With non-local binds allowed, sshd and
 *   `ssh.socket` start on every later boot without waiting for `tailscale0`, and answer as soon as
 *   it is up; no unit waits on tailscaled. Without a tailnet address (the join failed) sshd
 *   listens on loopback only and cloud-init ends with `status: error`.
 * - `"off"` stops and disables `ssh.socket` and `ssh.service` after the join, for machines
 *   reached by Tailscale SSH (`tailscale({ ssh: true })`) only.
 *
 * @example
 * ```ts
 * import { mergeCloudConfig, sshdAccess, tailscale } from "@tailvm/cloud-init";
 * const config = mergeCloudConfig(
 *   tailscale({ authKey: process.env.TS_AUTH_KEY!, hostname: "ci-runner-1", ssh: true }),
 *   sshdAccess("off"),
 * );
 * ```
 */
export function sshdAccess(access: SshdAccess): CloudConfig {
  if (access === "off") {
    return {
      // The socket first, so that no connection starts the service again in between.
      runcmd: [
        ["systemctl", "disable", "--now", "ssh.socket"],
        ["systemctl", "disable", "--now", "ssh.service"],
      ],
    };
  }
  if (access !== "tailnet") {
    throw new CloudConfigValidationError(
      [{ path: "access", message: `must be "tailnet" or "off" (got ${JSON.stringify(access)})` }],
      { subject: "sshdAccess() options" },
    );
  }
  return {
    write_files: [
      {
        path: SSHD_NONLOCAL_BIND_SYSCTL_PATH,
        content: NONLOCAL_BIND_SYSCTL,
        owner: "root:root",
        permissions: "0644",
        defer: false,
      },
      {
        path: SSHD_TAILNET_PROGRAM_PATH,
        content: SSHD_TAILNET_SCRIPT,
        owner: "root:root",
        permissions: "0755",
        defer: false,
      },
    ],
    runcmd: [[SSHD_TAILNET_PROGRAM_PATH]],
  };
}
