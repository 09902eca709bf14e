import { anySignal } from "@tailvm/internal";
import { createCleanup } from "./cleanup.js";
import { startNamedDeadline } from "./deadline-exceeded-error.js";
import { ProvisionInputError } from "./errors.js";
import { LABEL_KEYS, MANAGED_BY_VALUE } from "./labels.js";
import { FIREWALL_LABEL } from "./managed-firewall.js";
import type { Scope } from "./scope.js";
import type { CleanupReport } from "./types.js";

/**
 * Options of {@link reap}.
 *
 * @example
 * ```ts
 * const options: ReapOptions = { dryRun: true, tags: ["tag:ci"] };
 * ```
 */
export interface ReapOptions {
  /** What "now" is when comparing `tailvm/expires-at`. Default the provisioner's clock. */
  now?: Date | number;
  /** Report what would be deleted, and delete nothing. */
  dryRun?: boolean;
  /**
   * The tags your runs give devices. Offline devices carrying one of them, whose host name matches
   * no server in the project, are deleted. Without tags only the devices of expired servers are.
   */
  tags?: string[];
  signal?: AbortSignal;
  /** Default 300 000 ms. */
  timeoutMs?: number;
}

/**
 * What {@link reap} found, and (unless a dry run) deleted.
 *
 * @example
 * ```ts
 * const report: ReapReport = await reap({ tags: ["tag:ci"] }, context);
 * console.log(`${report.expiredServers.length} expired servers`);
 * ```
 */
export interface ReapReport {
  dryRun: boolean;
  /** Epoch ms used as now. */
  now: number;
  /** Managed servers whose `tailvm/expires-at` has passed. */
  expiredServers: { id: number; name: string; expiresAt: number }[];
  /** Devices of those servers, and orphaned tagged devices. */
  devices: { nodeId: string; hostname: string; reason: "server-expired" | "server-gone" }[];
  /**
   * tailvm's shared firewalls (`tailvm-tailnet-only`, `tailvm-public-ssh`) that no server uses
   * once the expired servers are gone. One still applied to a server is always kept.
   */
  firewalls: { id: number; name: string }[];
  /** Empty on a dry run. */
  cleanup: CleanupReport;
}

/** `reap` within a scope; see the public function for what it does. */
export async function reapInScope(scope: Scope, options: ReapOptions): Promise<ReapReport> {
  const tags = options?.tags ?? [];
  if (
    !Array.isArray(tags) ||
    tags.some((tag) => typeof tag !== "string" || !tag.startsWith("tag:"))
  ) {
    throw new ProvisionInputError([
      { field: "tags", message: 'must be an array of ACL tags such as "tag:ci"' },
    ]);
  }
  const { clock, hetzner, tailscale } = scope;
  const operation = scope.open();
  const { reporter } = operation;
  const now =
    options?.now === undefined
      ? clock.now()
      : options.now instanceof Date
        ? options.now.getTime()
        : options.now;
  const dryRun = options?.dryRun === true;
  const deadline = startNamedDeadline(clock, "total", options?.timeoutMs ?? 300_000);
  const signal = anySignal(options?.signal, deadline.signal);
  const cleanup = createCleanup({ hetzner, tailscale, reporter, signal });
  const report: ReapReport = {
    dryRun,
    now,
    expiredServers: [],
    devices: [],
    firewalls: [],
    cleanup: cleanup.report,
  };

  try {
    const servers = await hetzner.listServers({ signal });
    for (const server of servers) {
      if (server.labels[LABEL_KEYS.managedBy] !== MANAGED_BY_VALUE) continue;
      const expiresAt = Number(server.labels[LABEL_KEYS.expiresAt]);
      if (Number.isFinite(expiresAt) && expiresAt > 0 && expiresAt * 1000 <= now) {
        report.expiredServers.push({ id: server.id, name: server.name, expiresAt });
      }
    }
    const expiredNames = new Set(report.expiredServers.map((server) => server.name.toLowerCase()));
    const liveNames = new Set(
      servers.map((server) => server.name.toLowerCase()).filter((name) => !expiredNames.has(name)),
    );

    const devices = await tailscale.listDevices({ signal });
    for (const device of devices) {
      const hostname = (device.hostname ?? "").toLowerCase();
      if (!device.nodeId || hostname === "") continue;
      if (expiredNames.has(hostname)) {
        report.devices.push({ nodeId: device.nodeId, hostname, reason: "server-expired" });
        continue;
      }
      const carriesTag = (device.tags ?? []).some((tag) => tags.includes(tag));
      if (carriesTag && device.connectedToControl !== true && !liveNames.has(hostname)) {
        report.devices.push({ nodeId: device.nodeId, hostname, reason: "server-gone" });
      }
    }

    if (!dryRun) {
      for (const server of report.expiredServers) await cleanup.deleteServer(server.id);
      for (const device of report.devices) await cleanup.deleteDevice(device.nodeId);
    }
    const expiredIds = new Set(report.expiredServers.map((server) => server.id));
    const firewalls = await hetzner.listFirewalls({
      labelSelector: `${LABEL_KEYS.managedBy}=${MANAGED_BY_VALUE},${FIREWALL_LABEL}`,
      signal,
    });
    for (const firewall of firewalls) {
      const users = firewall.applied_to.filter(
        (resource) => resource.type !== "server" || !expiredIds.has(resource.server?.id ?? 0),
      );
      if (users.length === 0) report.firewalls.push({ id: firewall.id, name: firewall.name });
    }
    if (!dryRun) {
      for (const firewall of report.firewalls) {
        // Another run may have applied it since: then Hetzner keeps it (resource_in_use).
        if (await cleanup.deleteFirewall(firewall.id)) scope.firewalls.forget(firewall.id);
      }
    }
    for (const server of report.expiredServers) {
      reporter.emit({
        type: "warning",
        message: `${dryRun ? "would delete" : "reaped"} server ${server.name} (${server.id}): expired at ${new Date(server.expiresAt * 1000).toISOString()}`,
      });
    }
  } finally {
    deadline.dispose();
    operation.close();
  }
  return report;
}
