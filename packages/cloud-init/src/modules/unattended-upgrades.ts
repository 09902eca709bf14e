import type { CloudConfig } from "../types.js";

/**
 * The apt configuration written by {@link unattendedUpgrades}.
 *
 * @example
 * ```ts
 * unattendedUpgrades().write_files?.[0]?.path === UNATTENDED_UPGRADES_CONFIG_PATH; // true
 * ```
 */
export const UNATTENDED_UPGRADES_CONFIG_PATH = "/etc/apt/apt.conf.d/20auto-upgrades";

/**
 * A fragment that installs `unattended-upgrades` and turns on the daily package list refresh and
 * upgrade run (the distribution's default origins: security updates on Ubuntu and Debian).
 *
 * @example
 * ```ts
 * import { mergeCloudConfig, unattendedUpgrades } from "@tailvm/cloud-init";
 * const config = mergeCloudConfig({ hostname: "runner-1" }, unattendedUpgrades());
 * ```
 */
export function unattendedUpgrades(): CloudConfig {
  return {
    packages: ["unattended-upgrades"],
    write_files: [
      {
        path: UNATTENDED_UPGRADES_CONFIG_PATH,
        content:
          'APT::Periodic::Update-Package-Lists "1";\nAPT::Periodic::Unattended-Upgrade "1";\n',
        owner: "root:root",
        permissions: "0644",
      },
    ],
  };
}
