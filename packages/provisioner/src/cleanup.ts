import type { HetznerClient } from "@tailvm/hetzner-client";
import { errorMessage } from "@tailvm/internal";
import type { TailscaleClient } from "@tailvm/tailscale-client";
import { deleteAuthKey, deleteDevice, deleteFirewall, deleteServer } from "./client-deletes.js";
import type { Reporter } from "./reporter.js";
import type { CleanupReport, ResourceKind } from "./types.js";

/**
 * Deletes resources, recording each outcome in one report. Deleting what is gone is success. Each
 * delete is one client call: the clients already retry rate limits, 5xx answers and network errors.
 */
export function createCleanup(tools: {
  hetzner: HetznerClient;
  tailscale: TailscaleClient;
  reporter: Reporter;
  signal: AbortSignal;
}) {
  const { hetzner, tailscale, reporter, signal } = tools;
  const report: CleanupReport = { removed: [], failed: [] };
  const reasonOf = (error: unknown) => reporter.redactor.redact(errorMessage(error));

  const remove = async (
    resource: ResourceKind,
    id: string,
    operation: () => Promise<boolean>,
  ): Promise<boolean> => {
    try {
      if (await operation()) {
        report.removed.push({ resource, id });
        reporter.emit({ type: "resource-deleted", resource, id });
      }
      return true;
    } catch (error) {
      const reason = reasonOf(error);
      report.failed.push({ resource, id, reason });
      reporter.emit({ type: "warning", message: `could not delete ${resource} ${id}: ${reason}` });
      return false;
    }
  };

  return {
    report,
    signal,
    deleteServer: (id: number) =>
      remove("server", String(id), () => deleteServer(hetzner, id, signal)),
    deleteFirewall: (id: number) =>
      remove("firewall", String(id), () => deleteFirewall(hetzner, id, signal)),
    deleteAuthKey: (id: string) =>
      remove("auth-key", id, () => deleteAuthKey(tailscale, id, signal)),
    deleteDevice: (nodeId: string) =>
      remove("device", nodeId, () => deleteDevice(tailscale, nodeId, signal)),
    /** Records a failure that happened before a delete could be tried (e.g. a lookup failed). */
    fail(resource: ResourceKind, id: string, error: unknown) {
      report.failed.push({ resource, id, reason: reasonOf(error) });
    },
  };
}

/** What {@link createCleanup} returns. */
export type Cleanup = ReturnType<typeof createCleanup>;
