import type { CloudConfig } from "../types.js";

/**
 * The sshd drop-in written by {@link sshHardening}; sshd uses the first value it reads, so a low number wins.
 *
 * @example
 * ```ts
 * sshHardening().write_files?.[0]?.path === SSH_HARDENING_CONFIG_PATH; // true
 * ```
 */
export const SSH_HARDENING_CONFIG_PATH = "/etc/ssh/sshd_config.d/10-tailvm-hardening.conf";

/**
 * A fragment that turns off SSH password logins: `ssh_pwauth: false` plus an sshd drop-in with
 * `PasswordAuthentication no`, `KbdInteractiveAuthentication no` and
 * `PermitRootLogin prohibit-password` (root may still log in with a key, which Hetzner images rely
 * on), then reloads sshd.
 *
 * @example
 * ```ts
 * import { mergeCloudConfig, sshHardening } from "@tailvm/cloud-init";
 * const config = mergeCloudConfig({ hostname: "runner-1" }, sshHardening());
 * ```
 */
export function sshHardening(): CloudConfig {
  return {
    ssh_pwauth: false,
    write_files: [
      {
        path: SSH_HARDENING_CONFIG_PATH,
        content: [
          "# Written by @tailvm/cloud-init: keys only, no passwords.",
          "PasswordAuthentication no",
          "KbdInteractiveAuthentication no",
          "PermitRootLogin prohibit-password",
          "",
        ].join("\n"),
        owner: "root:root",
        permissions: "0644",
      },
    ],
    runcmd: [["systemctl", "try-reload-or-restart", "ssh.service"]],
  };
}
