/**
 * Label keys tailvm writes on every server it creates. Values are label-safe by construction.
 *
 * @example
 * ```ts
 * await hetzner.listServers({ labelSelector: `${LABEL_KEYS.jobId}=job-1001` });
 * ```
 */
export const LABEL_KEYS = Object.freeze({
  /** Always `tailvm`: marks servers that {@link reap} and deprovision may touch. */
  managedBy: "managed-by",
  agentId: "tailvm/agent-id",
  jobId: "tailvm/job-id",
  /** Epoch seconds after which {@link reap} deletes the server. */
  expiresAt: "tailvm/expires-at",
} as const);

/**
 * The value of the `managed-by` label.
 *
 * @example
 * ```ts
 * const selector = `managed-by=${MANAGED_BY_VALUE}`; // "managed-by=tailvm"
 * ```
 */
export const MANAGED_BY_VALUE = "tailvm";

const LABEL_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Why `key` is not a valid Hetzner label key, or `undefined` when it is. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (!LABEL_NAME.test(name)) {
    return "the name part must be 1-63 characters, start and end with a letter or digit, with only letters, digits, '-', '_' and '.' between";
  }
  if (prefix !== undefined) {
    if (prefix.length > 253 || !prefix.split(".").every((part) => DNS_LABEL.test(part))) {
      return "the prefix before '/' must be a DNS subdomain (lower-case labels separated by '.'), at most 253 characters";
    }
    if (prefix === "hetzner.cloud" || prefix.endsWith(".hetzner.cloud")) {
      return "the 'hetzner.cloud/' prefix is reserved by Hetzner";
    }
  }
  return undefined;
}

/** Why `value` is not a valid Hetzner label value, or `undefined` when it is. */
export function labelValueProblem(value: string): string | undefined {
  if (value === "" || LABEL_NAME.test(value)) return undefined;
  return "must be empty or 1-63 characters that start and end with a letter or digit, with only letters, digits, '-', '_' and '.' between";
}

/** Whether `key` is one tailvm writes itself, so callers may not set it. */
export function isReservedLabelKey(key: string): boolean {
  return key === LABEL_KEYS.managedBy || key.startsWith("tailvm/");
}

/** A label selector that matches `labels` exactly (every key equal). */
export function labelSelector(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
}
