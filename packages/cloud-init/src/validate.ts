import { type CloudConfigIssue, CloudConfigValidationError } from "./errors.js";
import { type RenderOptions, render } from "./render.js";
import { isSecret } from "./secret.js";
import type { CloudConfig } from "./types.js";

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
const PERMISSIONS = /^0?[0-7]{3}$|^[0-7]{4}$/;
const OWNER = /^[a-z_][a-z0-9_-]*\$?(:[a-z_][a-z0-9_-]*\$?)?$/;
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
const TIMEZONE = /^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/;
const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]*(:[a-z0-9-]+)?$/;
const SWAP_SIZE = /^([0-9]+)?\.?[0-9]+[BKMGT]$/;
const ENCODINGS = [
  "text/plain",
  "b64",
  "base64",
  "gz",
  "gzip",
  "gz+b64",
  "gz+base64",
  "gzip+b64",
  "gzip+base64",
];
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

type AddIssue = (path: string, message: string) => void;

function checkUsers(users: unknown, add: AddIssue): void {
  if (users === undefined) return;
  if (!Array.isArray(users)) {
    add("users", 'must be a list of users (or "default")');
    return;
  }
  users.forEach((user: unknown, index) => {
    const path = `users[${index}]`;
    if (user === "default") return;
    if (typeof user !== "object" || user === null || Array.isArray(user)) {
      add(path, 'must be "default" or an object with a name');
      return;
    }
    const { name, ssh_authorized_keys: keys, groups } = user as Record<string, unknown>;
    if (!matches(name, USER_NAME)) {
      add(
        `${path}.name`,
        `must be a Linux user name: 1-32 of a-z, 0-9, "_" and "-", starting with a letter or "_" (got ${show(name)})`,
      );
    }
    checkKeys(keys, `${path}.ssh_authorized_keys`, add);
    for (const flag of ["lock_passwd", "no_create_home", "system"]) {
      const setting = (user as Record<string, unknown>)[flag];
      if (setting !== undefined && typeof setting !== "boolean")
        add(`${path}.${flag}`, "must be true or false");
    }
    if (groups !== undefined && typeof groups !== "string" && !isStringList(groups)) {
      add(`${path}.groups`, "must be a list of group names or a comma-separated string");
    }
  });
}

function checkKeys(keys: unknown, path: string, add: AddIssue): void {
  if (keys === undefined) return;
  if (!Array.isArray(keys) || keys.length === 0) {
    add(path, "must be a non-empty list of SSH public keys");
    return;
  }
  keys.forEach((key: unknown, index) => {
    if (typeof key !== "string" || key.trim() === "" || /[\r\n]/.test(key)) {
      add(
        `${path}[${index}]`,
        'must be one SSH public key on a single line, e.g. "ssh-ed25519 AAAA... me@host"',
      );
    }
  });
}

function checkPackages(packages: unknown, add: AddIssue): void {
  if (packages === undefined) return;
  if (!Array.isArray(packages) || packages.length === 0) {
    add("packages", "must be a non-empty list");
    return;
  }
  packages.forEach((entry: unknown, index) => {
    const name = Array.isArray(entry) && entry.length === 2 ? entry[0] : entry;
    if (!matches(name, PACKAGE_NAME)) {
      add(
        `packages[${index}]`,
        `must be a Debian package name or a [name, version] pair (got ${show(entry)})`,
      );
    }
  });
}

function checkWriteFiles(files: unknown, add: AddIssue): void {
  if (files === undefined) return;
  if (!Array.isArray(files) || files.length === 0) {
    add("write_files", "must be a non-empty list of files");
    return;
  }
  files.forEach((file: unknown, index) => {
    const path = `write_files[${index}]`;
    if (typeof file !== "object" || file === null || Array.isArray(file)) {
      add(path, "must be an object with a path");
      return;
    }
    const entry = file as Record<string, unknown>;
    if (
      typeof entry.path !== "string" ||
      !entry.path.startsWith("/") ||
      entry.path.endsWith("/") ||
      entry.path.includes("\0")
    ) {
      add(
        `${path}.path`,
        `must be an absolute file path such as "/etc/app.conf" (got ${show(entry.path)})`,
      );
    }
    if (
      entry.content !== undefined &&
      typeof entry.content !== "string" &&
      !isSecret(entry.content)
    ) {
      add(`${path}.content`, "must be a string or secret(...)");
    }
    if (entry.permissions !== undefined && !matches(entry.permissions, PERMISSIONS)) {
      add(
        `${path}.permissions`,
        `must be an octal string such as "0644" or "0600" (got ${show(entry.permissions)})`,
      );
    }
    if (entry.owner !== undefined && !matches(entry.owner, OWNER)) {
      add(
        `${path}.owner`,
        `must be "user" or "user:group", e.g. "root:root" (got ${show(entry.owner)})`,
      );
    }
    if (entry.encoding !== undefined && !ENCODINGS.includes(entry.encoding as string)) {
      add(
        `${path}.encoding`,
        `must be one of ${ENCODINGS.join(", ")} (got ${show(entry.encoding)})`,
      );
    }
    for (const flag of ["append", "defer"]) {
      if (entry[flag] !== undefined && typeof entry[flag] !== "boolean")
        add(`${path}.${flag}`, "must be true or false");
    }
  });
}

function checkCommands(commands: unknown, key: string, add: AddIssue): void {
  if (commands === undefined) return;
  if (!Array.isArray(commands) || commands.length === 0) {
    add(key, "must be a non-empty list of commands");
    return;
  }
  commands.forEach((command: unknown, index) => {
    const path = `${key}[${index}]`;
    if (typeof command === "string" || isSecret(command)) {
      if (typeof command === "string" && command.trim() === "") add(path, "must not be empty");
      return;
    }
    if (!Array.isArray(command) || command.length === 0) {
      add(path, "must be a shell command string or a non-empty argv list of strings");
      return;
    }
    command.forEach((argument: unknown, position) => {
      if (typeof argument !== "string" && !isSecret(argument))
        add(`${path}[${position}]`, "must be a string");
    });
  });
}

function checkApt(apt: unknown, add: AddIssue): void {
  if (apt === undefined) return;
  if (typeof apt !== "object" || apt === null || Array.isArray(apt)) {
    add("apt", "must be an object");
    return;
  }
  const sources = (apt as { sources?: unknown }).sources;
  if (sources === undefined) return;
  if (typeof sources !== "object" || sources === null || Array.isArray(sources)) {
    add("apt.sources", "must be an object keyed by source name");
    return;
  }
  for (const [name, source] of Object.entries(sources)) {
    const path = `apt.sources.${name}`;
    if (typeof source !== "object" || source === null || Object.keys(source).length === 0) {
      add(path, "must be an object with at least one of source, keyid, key, keyserver, filename");
      continue;
    }
    const line = (source as { source?: unknown }).source;
    if (line !== undefined && (typeof line !== "string" || /[\r\n]/.test(line))) {
      add(`${path}.source`, "must be one sources.list line");
    }
  }
}

function checkSwap(swap: unknown, add: AddIssue): void {
  if (swap === undefined) return;
  if (typeof swap !== "object" || swap === null) {
    add("swap", "must be an object");
    return;
  }
  const { size, filename } = swap as Record<string, unknown>;
  const validSize =
    size === undefined ||
    size === "auto" ||
    (typeof size === "number" && Number.isInteger(size) && size > 0) ||
    matches(size, SWAP_SIZE);
  if (!validSize)
    add("swap.size", `must be bytes, "auto" or a size such as "512M" or "2G" (got ${show(size)})`);
  if (filename !== undefined && (typeof filename !== "string" || !filename.startsWith("/"))) {
    add("swap.filename", `must be an absolute path such as "/swapfile" (got ${show(filename)})`);
  }
}

function checkPhoneHome(phoneHome: unknown, add: AddIssue): void {
  if (phoneHome === undefined) return;
  const url = (phoneHome as { url?: unknown } | null)?.url;
  const text = isSecret(url) ? url.reveal() : url;
  let valid = false;
  if (typeof text === "string" && URL.canParse(text))
    valid = ["http:", "https:"].includes(new URL(text).protocol);
  // The URL may carry a token, so it is never echoed.
  if (!valid) add("phone_home.url", "must be an absolute http:// or https:// URL");
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

function matches(value: unknown, pattern: RegExp): boolean {
  return typeof value === "string" && pattern.test(value);
}

function isStringList(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/** A short, safe rendering of a bad (never secret) value for an error message. */
function show(value: unknown): string {
  if (isSecret(value)) return "a secret";
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function formatKiB(bytes: number): string {
  return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
}

function isWellFormed(text: string): boolean {
  return !/[\ud800-\udfff]/u.test(text);
}
