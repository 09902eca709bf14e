import { isSecret } from "./secret.js";
import type { CloudConfig } from "./types.js";

/** Settings that describe one thing as a whole: a later fragment replaces an earlier one entirely. */
const REPLACED_WHOLE = new Set(["swap", "power_state", "phone_home"]);

/** Lists whose repeated plain strings mean nothing more: the repeat is dropped. */
const DEDUPLICATED_LISTS = new Set(["packages", "ssh_authorized_keys", "users"]);

/**
 * Merges config fragments left to right, the way cloud-init means them:
 * - lists append (`runcmd`, `bootcmd`, `write_files`, `packages`, `users`, ...); in `packages`,
 *   `ssh_authorized_keys` and `users` a repeated string (such as the `"default"` user) is kept once;
 * - objects merge deeply (`apt`, and `apt.sources` by source name: a later fragment's fields for the
 *   same name override the earlier ones; `ntp`);
 * - `swap`, `power_state` and `phone_home` are replaced whole by a later fragment;
 * - scalars: the later value wins; `undefined` never overrides.
 *
 * Inputs are not modified.
 *
 * @example
 * ```ts
 * import { mergeCloudConfig, sshHardening, tailscale } from "@tailvm/cloud-init";
 * const config = mergeCloudConfig(
 *   { hostname: "runner-1", packages: ["git"] },
 *   tailscale({ authKey, hostname: "runner-1" }),
 *   sshHardening(),
 * );
 * config.packages; // ["git", "tailscale"]
 * ```
 */
export function mergeCloudConfig(...configs: CloudConfig[]): CloudConfig {
  let result: Record<string, unknown> = {};
  for (const config of configs) {
    for (const [key, value] of Object.entries(config)) {
      if (value === undefined) continue;
      result =
        REPLACED_WHOLE.has(key) || !Object.hasOwn(result, key)
          ? { ...result, [key]: copy(value) }
          : { ...result, [key]: mergeValues(result[key], value, DEDUPLICATED_LISTS.has(key)) };
    }
  }
  return result as CloudConfig;
}

function mergeValues(earlier: unknown, later: unknown, deduplicate: boolean): unknown {
  if (Array.isArray(earlier) && Array.isArray(later)) {
    const merged = [...earlier, ...later.map(copy)];
    if (!deduplicate) return merged;
    return merged.filter(
      (item, index) => typeof item !== "string" || merged.indexOf(item) === index,
    );
  }
  if (isPlainObject(earlier) && isPlainObject(later)) {
    // No prototype, so that a key named `__proto__` stays an ordinary key.
    const merged: Record<string, unknown> = Object.assign(Object.create(null), earlier);
    for (const [key, value] of Object.entries(later)) {
      if (value === undefined) continue;
      merged[key] = Object.hasOwn(merged, key)
        ? mergeValues(merged[key], value, false)
        : copy(value);
    }
    return merged;
  }
  return copy(later);
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copy(item)]));
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value) || isSecret(value))
    return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
