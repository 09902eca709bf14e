import { type CloudConfigIssue, CloudConfigValidationError } from "./errors.js";
import { type RenderOptions, render } from "./render.js";
import { isSecret } from "./secret.js";
import type { CloudConfig } from "./types.js";
import {
  type AddIssue,
  checkApt,
  checkCommands,
  checkKeys,
  checkPackages,
  checkPhoneHome,
  checkSwap,
  checkUsers,
  checkWriteFiles,
  matches,
  show,
} from "./validate-keys.js";

/**
 * Hetzner Cloud's limit on a server's `user_data`.
 *
 * @example
 * ```ts
 * Buffer.byteLength(render(config)) <= USER_DATA_LIMIT_BYTES; // what validate() checks
 * ```
 */
export const USER_DATA_LIMIT_BYTES = 32 * 1024;

/**
 * Options for {@link validate}.
 *
 * @example
 * ```ts
 * validate(config, { format: "mime", scripts, limitBytes: 16 * 1024 });
 * ```
 */
export interface ValidateOptions extends RenderOptions {
  /** The size limit for the rendered user data in bytes; default {@link USER_DATA_LIMIT_BYTES}. */
  limitBytes?: number;
}

const HOSTNAME_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const FQDN_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const TIMEZONE = /^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/;
const POWER_MODES = ["poweroff", "reboot", "halt"];

/**
 * Checks a config before it is sent: hostname (one RFC 1123 label), fqdn, timezone, user names,
 * SSH keys, package names, `write_files` paths (absolute), permissions (octal strings such as
 * `"0644"`), owners and encodings, commands, swap size, `phone_home` URL, `power_state` mode, that
 * every string is well-formed Unicode, and that the rendered user data fits Hetzner's 32 KiB limit.
 * Throws one {@link CloudConfigValidationError} listing every problem by field path. Messages never
 * include a secret's value.
 *
 * @example
 * ```ts
 * import { validate } from "@tailvm/cloud-init";
 * validate({ hostname: "runner-1", write_files: [{ path: "etc/x", permissions: "644" }] });
 * // throws: write_files[0].path: must be an absolute path ...
 * ```
 */
export function validate(config: CloudConfig, options: ValidateOptions = {}): void {
  const issues: CloudConfigIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const value = config as Record<string, unknown>;

  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CloudConfigValidationError([
      { path: "(root)", message: "must be an object of cloud-config keys" },
    ]);
  }
  checkUnicode(value, "", add);

  if (value.hostname !== undefined && !matches(value.hostname, HOSTNAME_LABEL)) {
    add(
      "hostname",
      `must be one RFC 1123 label: 1-63 of a-z, 0-9 and "-", not starting or ending with "-" (got ${show(value.hostname)})`,
    );
  }
  if (value.fqdn !== undefined) {
    const labels = typeof value.fqdn === "string" ? value.fqdn.split(".") : [];
    if (
      typeof value.fqdn !== "string" ||
      value.fqdn.length > 253 ||
      !labels.every((label) => FQDN_LABEL.test(label))
    ) {
      add(
        "fqdn",
        `must be dot-separated RFC 1123 labels, at most 253 characters (got ${show(value.fqdn)})`,
      );
    }
  }
  if (value.timezone !== undefined && !matches(value.timezone, TIMEZONE)) {
    add(
      "timezone",
      `must be a tz database name such as "Europe/Berlin" or "UTC" (got ${show(value.timezone)})`,
    );
  }
  checkUsers(value.users, add);
  checkKeys(value.ssh_authorized_keys, "ssh_authorized_keys", add);
  checkPackages(value.packages, add);
  checkWriteFiles(value.write_files, add);
  checkCommands(value.bootcmd, "bootcmd", add);
  checkCommands(value.runcmd, "runcmd", add);
  checkApt(value.apt, add);
  checkSwap(value.swap, add);
  checkPhoneHome(value.phone_home, add);
  if (value.power_state !== undefined) {
    const mode = (value.power_state as { mode?: unknown } | null)?.mode;
    if (!POWER_MODES.includes(mode as string)) {
      add("power_state.mode", `must be one of ${POWER_MODES.join(", ")} (got ${show(mode)})`);
    }
  }
  for (const key of [
    "package_update",
    "package_upgrade",
    "package_reboot_if_required",
    "ssh_pwauth",
    "disable_root",
  ]) {
    if (value[key] !== undefined && typeof value[key] !== "boolean")
      add(key, `must be true or false (got ${show(value[key])})`);
  }

  if (issues.length === 0) {
    const size = Buffer.byteLength(render(config, options), "utf8");
    const limit = options.limitBytes ?? USER_DATA_LIMIT_BYTES;
    if (size > limit) {
      add(
        "(user_data)",
        `the rendered user data is ${size} bytes, over the limit of ${limit} bytes (${formatKiB(limit)}, Hetzner's user_data limit); move large files out of write_files (download them in runcmd instead)`,
      );
    }
  }
  if (issues.length > 0) throw new CloudConfigValidationError(issues);
}

function checkUnicode(value: unknown, path: string, add: AddIssue): void {
  if (typeof value === "string") {
    if (!isWellFormed(value))
      add(path || "(root)", "contains a lone UTF-16 surrogate; user data must be valid UTF-8");
  } else if (isSecret(value)) {
    if (!isWellFormed(value.reveal()))
      add(path, "contains a lone UTF-16 surrogate; user data must be valid UTF-8");
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) checkUnicode(item, `${path}[${index}]`, add);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (!isWellFormed(key)) add(path || "(root)", "has a key with a lone UTF-16 surrogate");
      checkUnicode(item, path === "" ? key : `${path}.${key}`, add);
    }
  }
}

function formatKiB(bytes: number): string {
  return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
}

function isWellFormed(text: string): boolean {
  return !/[\ud800-\udfff]/u.test(text);
}
