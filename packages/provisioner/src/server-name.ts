const HOSTNAME_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Whether `name` is one lower-case RFC 1123 label (what Hetzner and Tailscale both accept). */
export function isValidServerName(name: string): boolean {
  return HOSTNAME_LABEL.test(name);
}

/**
 * The default server name and Tailscale hostname: `agent-<first 8 characters of the agent id,
 * lower-cased, other characters as '-'>-<base36 time>`.
 *
 * @example
 * ```ts
 * defaultServerName("Build_Agent_42", 1764400000000); // "agent-build-ag-mijy7d34"
 * ```
 */
export function defaultServerName(agentId: string, now: number): string {
  const part = agentId
    .slice(0, 8)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const time = Math.floor(now).toString(36);
  return part ? `agent-${part}-${time}` : `agent-${time}`;
}
