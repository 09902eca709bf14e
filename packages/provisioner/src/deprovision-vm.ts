import type { Server } from "@tailvm/hetzner-client";
import { anySignal, errorMessage } from "@tailvm/internal";
import { createCleanup } from "./cleanup.js";
import { startNamedDeadline } from "./deadline-exceeded-error.js";
import { ProvisionerError, ProvisionInputError } from "./errors.js";
import { LABEL_KEYS, labelSelector, MANAGED_BY_VALUE } from "./labels.js";
import type { Scope } from "./scope.js";
import { isValidServerName } from "./server-name.js";
import type { CleanupReport } from "./types.js";

/**
 * Which VM to delete: by server id, by name, or by job id.
 *
 * With `{ serverId }`, the tailnet device is found by the live server's name; pass the server's
 * `name` too (`{ serverId, name }`, as a `ProvisionResult` holds them) so that the device is still
 * found when the server is already gone, e.g. after a rollback that was cut short.
 *
 * @example
 * ```ts
 * const target: DeprovisionTarget = { serverId: result.serverId, name: result.serverName };
 * ```
 */
export type DeprovisionTarget =
  | { serverId: number; name?: string }
  | { name: string }
  | { jobId: string };

/**
 * Deprovisioning could not delete everything; `cleanup.failed` lists what is left.
 *
 * @example
 * ```ts
 * try {
 *   await deprovisionVM({ jobId: "job-1001" }, context);
 * } catch (error) {
 *   if (error instanceof DeprovisionError) console.error(error.cleanup.failed);
 * }
 * ```
 */
export class DeprovisionError extends ProvisionerError {
  override name = "DeprovisionError";
  readonly cleanup: CleanupReport;
  readonly code: string;

  constructor(
    message: string,
    options: { cleanup: CleanupReport; code: string; cause?: unknown; isRetryable?: boolean },
  ) {
    super(message, { cause: options.cause, isRetryable: options.isRetryable ?? true });
    this.cleanup = options.cleanup;
    this.code = options.code;
  }
}

type CheckedTarget =
  | { serverId: number; name: string | undefined }
  | { name: string }
  | { jobId: string };

function validateTarget(target: unknown): CheckedTarget {
  const value = target as Record<string, unknown> | null;
  const keys = (value && typeof value === "object" ? Object.keys(value) : []).filter(
    (key) => value?.[key] !== undefined,
  );
  const withName = keys.length === 2 && keys.includes("serverId") && keys.includes("name");
  const field = withName ? "serverId" : keys.length === 1 ? keys[0] : undefined;
  const fail = (name: string, message: string): never => {
    throw new ProvisionInputError([{ field: name, message }]);
  };
  const checkName = (name: unknown): string => {
    if (typeof name !== "string" || !isValidServerName(name)) {
      return fail("target.name", "must be a server name: one lower-case hostname label");
    }
    return name;
  };
  if (!value || field === undefined) {
    return fail(
      "target",
      "must be exactly one of { serverId } (optionally with its name), { name } or { jobId }",
    );
  }
  if (field === "serverId") {
    const id = value.serverId;
    if (typeof id !== "number" || !Number.isSafeInteger(id) || id <= 0) {
      return fail("target.serverId", "must be a positive integer server id");
    }
    return { serverId: id, name: withName ? checkName(value.name) : undefined };
  }
  if (field === "name") return { name: checkName(value.name) };
  if (field === "jobId") {
    if (typeof value.jobId !== "string" || value.jobId === "") {
      return fail("target.jobId", "must be the job id the VM was provisioned with");
    }
    return { jobId: value.jobId };
  }
  return fail(`target.${field}`, "is not a target; use serverId, name or jobId");
}

/**
 * Options of `deprovisionVM`.
 *
 * @example
 * ```ts
 * const options: DeprovisionOptions = { timeoutMs: 60_000, signal: AbortSignal.timeout(90_000) };
 * ```
 */
export interface DeprovisionOptions {
  signal?: AbortSignal;
  /** Default 120 000 ms. */
  timeoutMs?: number;
}

/** `deprovisionVM` within a scope; see the public function for what it does. */
export async function deprovisionInScope(
  scope: Scope,
  target: DeprovisionTarget,
  options: DeprovisionOptions = {},
): Promise<CleanupReport> {
  const checked = validateTarget(target);
  const { hetzner, tailscale } = scope;
  const operation = scope.open();
  const { reporter } = operation;
  const deadline = startNamedDeadline(scope.clock, "total", options.timeoutMs ?? 120_000);
  const signal = anySignal(options.signal, deadline.signal);
  const cleanup = createCleanup({ hetzner, tailscale, reporter, signal });
  if ("serverId" in checked) operation.claims.add("hetzner", "servers", checked.serverId);

  /** The server is gone: its devices carry its name, unless another server holds that name now. */
  const hostnamesOfGoneServer = async (name: string): Promise<string[]> => {
    const holders = await hetzner.listServers({ name, signal });
    if (holders.length === 0) return [name];
    reporter.emit({
      type: "warning",
      message: `server ${"serverId" in checked ? checked.serverId : name} is gone, but server ${holders.map((server) => server.id).join(", ")} now holds the name ${name}; its tailnet devices were kept`,
    });
    return [];
  };

  try {
    let servers: Server[];
    let hostnames: string[];
    if ("serverId" in checked) {
      const server = await hetzner.findServer(checked.serverId, { signal });
      servers = server ? [server] : [];
      hostnames = servers.map((item) => item.name);
      if (server && checked.name !== undefined && server.name !== checked.name) {
        throw new DeprovisionError(
          `Server ${checked.serverId} is named ${server.name}, not ${checked.name}; nothing was deleted. Pass the server's own name, or only its id.`,
          { cleanup: cleanup.report, code: "name_mismatch", isRetryable: false },
        );
      }
      if (!server && checked.name !== undefined) {
        hostnames = await hostnamesOfGoneServer(checked.name);
      }
    } else if ("name" in checked) {
      servers = await hetzner.listServers({ name: checked.name, signal });
      hostnames = [checked.name];
    } else {
      servers = await hetzner.listServers({
        labelSelector: labelSelector({
          [LABEL_KEYS.managedBy]: MANAGED_BY_VALUE,
          [LABEL_KEYS.jobId]: checked.jobId,
        }),
        signal,
      });
      hostnames = servers.map((item) => item.name);
    }

    const unmanaged = servers.filter(
      (server) => server.labels[LABEL_KEYS.managedBy] !== MANAGED_BY_VALUE,
    );
    if (unmanaged.length > 0) {
      throw new DeprovisionError(
        `Server ${unmanaged.map((server) => `${server.name} (${server.id})`).join(", ")} has no managed-by=tailvm label; tailvm only deletes servers it created. Delete it in the Hetzner Console if you mean to.`,
        { cleanup: cleanup.report, code: "not_managed", isRetryable: false },
      );
    }

    for (const server of servers) {
      operation.claims.add("hetzner", "servers", server.id);
      await cleanup.deleteServer(server.id);
    }
    for (const hostname of new Set(hostnames)) {
      try {
        const devices = await tailscale.findDevices({ hostname, signal });
        // tailvm's devices are always tagged; an untagged one with this name is someone's machine.
        for (const device of devices) {
          if (device.nodeId && (device.tags ?? []).length > 0) {
            operation.claims.add("tailscale", "device", device.nodeId);
            await cleanup.deleteDevice(device.nodeId);
          }
        }
      } catch (error) {
        cleanup.fail("device", hostname, error);
      }
    }
  } catch (error) {
    if (error instanceof DeprovisionError) throw error;
    const message = reporter.redactor.redact(errorMessage(error));
    throw new DeprovisionError(`Deprovisioning failed: ${message}`, {
      cleanup: cleanup.report,
      code: "lookup_failed",
      cause: reporter.redactor.redactCause(error),
    });
  } finally {
    deadline.dispose();
    operation.close();
  }
  if (cleanup.report.failed.length > 0) {
    throw new DeprovisionError(
      `Could not delete ${cleanup.report.failed.map((item) => `${item.resource} ${item.id} (${item.reason})`).join(", ")}; try again.`,
      { cleanup: cleanup.report, code: "delete_failed" },
    );
  }
  return cleanup.report;
}
