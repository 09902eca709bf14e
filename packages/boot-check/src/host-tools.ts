import { accessSync, constants, readFileSync } from "node:fs";
import { findExecutable } from "@tailvm/internal";

/** The host programs a boot check runs, with the Debian package that has each. */
export const HOST_TOOLS = {
  qemu: { program: "qemu-system-x86_64", package: "qemu-system-x86" },
  mmdebstrap: { program: "mmdebstrap", package: "mmdebstrap" },
  mkfsExt4: { program: "mkfs.ext4", package: "e2fsprogs" },
  debugfs: { program: "debugfs", package: "e2fsprogs" },
  e2fsck: { program: "e2fsck", package: "e2fsprogs" },
  mkfsVfat: { program: "mkfs.vfat", package: "dosfstools" },
  mcopy: { program: "mcopy", package: "mtools" },
  gpg: { program: "gpg", package: "gnupg" },
  gpgconf: { program: "gpgconf", package: "gnupg" },
  dpkgDeb: { program: "dpkg-deb", package: "dpkg" },
  cp: { program: "cp", package: "coreutils" },
} as const;

export type HostToolName = keyof typeof HOST_TOOLS;
export type HostTools = Record<HostToolName, string>;

/** Searched after PATH, which for a user often lacks them (mkfs.ext4, debugfs and e2fsck are there). */
const SBIN_DIRECTORIES = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

/** The tools found, and one line per missing one naming the package to install. */
export function findHostTools(
  needed: readonly HostToolName[] = Object.keys(HOST_TOOLS) as HostToolName[],
  path = process.env.PATH ?? "",
): { tools: Partial<HostTools>; missing: string[] } {
  const tools: Partial<HostTools> = {};
  const missing: string[] = [];
  for (const name of needed) {
    const { program, package: debianPackage } = HOST_TOOLS[name];
    const found = findExecutable(program, { path, alsoIn: SBIN_DIRECTORIES });
    if (found === undefined) missing.push(`${program} (apt-get install ${debianPackage})`);
    else tools[name] = found;
  }
  return { tools, missing };
}

/**
 * `kvm` when /dev/kvm is usable for a stock kernel, else `tcg`. A paravirtual KVM (the `kvm_pvm`
 * module, which shows no vmx/svm CPU flag) cannot run a stock Debian kernel, so it means `tcg`.
 */
export function detectAccelerator(
  read: (path: string) => string = (path) => readFileSync(path, "utf8"),
  canUse: (path: string) => boolean = (path) => {
    try {
      accessSync(path, constants.R_OK | constants.W_OK);
      return true;
    } catch {
      return false;
    }
  },
): "kvm" | "tcg" {
  const attempt = (path: string) => {
    try {
      return read(path);
    } catch {
      return "";
    }
  };
  if (!canUse("/dev/kvm")) return "tcg";
  if (/^kvm_pvm\b/m.test(attempt("/proc/modules"))) return "tcg";
  return /^flags\s*:.*\b(vmx|svm)\b/m.test(attempt("/proc/cpuinfo")) ? "kvm" : "tcg";
}

/**
 * The Debian mirror this machine uses: the first `URIs:` of /etc/apt/sources.list.d/debian.sources,
 * else the first `deb` line of /etc/apt/sources.list, else deb.debian.org.
 */
export function detectMirror(
  read: (path: string) => string = (path) => readFileSync(path, "utf8"),
): string {
  const attempt = (path: string) => {
    try {
      return read(path);
    } catch {
      return "";
    }
  };
  const deb822 = /^URIs:\s*(\S+)/m.exec(attempt("/etc/apt/sources.list.d/debian.sources"))?.[1];
  if (deb822 !== undefined) return deb822;
  const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/m.exec(attempt("/etc/apt/sources.list"))?.[1];
  return oneLine ?? "http://deb.debian.org/debian";
}
