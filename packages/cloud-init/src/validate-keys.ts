import { isSecret } from "./secret.js";

const PERMISSIONS = /^0?[0-7]{3}$|^[0-7]{4}$/;
const OWNER = /^[a-z_][a-z0-9_-]*\$?(:[a-z_][a-z0-9_-]*\$?)?$/;
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
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

/** Records one issue at a field path. */
export type AddIssue = (path: string, message: string) => void;

export function checkUsers(users: unknown, add: AddIssue): void {
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

/**
 * Checks each entry of an optional list with `check`; a value that is not a non-empty list is one
 * issue at `path`, `message`.
 */
function checkEntries(
  list: unknown,
  path: string,
  message: string,
  add: AddIssue,
  check: (entry: unknown, index: number) => void,
): void {
  if (list === undefined) return;
  if (!Array.isArray(list) || list.length === 0) {
    add(path, message);
    return;
  }
  list.forEach(check);
}

export function checkKeys(keys: unknown, path: string, add: AddIssue): void {
  checkEntries(keys, path, "must be a non-empty list of SSH public keys", add, (key, index) => {
    if (typeof key !== "string" || key.trim() === "" || /[\r\n]/.test(key)) {
      add(
        `${path}[${index}]`,
        'must be one SSH public key on a single line, e.g. "ssh-ed25519 AAAA... me@host"',
      );
    }
  });
}

export function checkPackages(packages: unknown, add: AddIssue): void {
  checkEntries(packages, "packages", "must be a non-empty list", add, (entry, index) => {
    const name = Array.isArray(entry) && entry.length === 2 ? entry[0] : entry;
    if (!matches(name, PACKAGE_NAME)) {
      add(
        `packages[${index}]`,
        `must be a Debian package name or a [name, version] pair (got ${show(entry)})`,
      );
    }
  });
}

export function checkWriteFiles(files: unknown, add: AddIssue): void {
  checkEntries(files, "write_files", "must be a non-empty list of files", add, (file, index) => {
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

export function checkCommands(commands: unknown, key: string, add: AddIssue): void {
  checkEntries(commands, key, "must be a non-empty list of commands", add, (command, index) => {
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

export function checkApt(apt: unknown, add: AddIssue): void {
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

export function checkSwap(swap: unknown, add: AddIssue): void {
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

export function checkPhoneHome(phoneHome: unknown, add: AddIssue): void {
  if (phoneHome === undefined) return;
  const url = (phoneHome as { url?: unknown } | null)?.url;
  const text = isSecret(url) ? url.reveal() : url;
  let valid = false;
  if (typeof text === "string" && URL.canParse(text))
    valid = ["http:", "https:"].includes(new URL(text).protocol);
  // The URL may carry a token, so it is never echoed.
  if (!valid) add("phone_home.url", "must be an absolute http:// or https:// URL");
}

export function matches(value: unknown, pattern: RegExp): boolean {
  return typeof value === "string" && pattern.test(value);
}

function isStringList(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/** A short, safe rendering of a bad (never secret) value for an error message. */
export function show(value: unknown): string {
  if (isSecret(value)) return "a secret";
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
