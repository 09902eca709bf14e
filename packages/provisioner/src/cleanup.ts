import type { HetznerClient } from "@tailvm/hetzner-client";
import type { TailscaleClient } from "@tailvm/tailscale-client";
import type { Clock } from "./clock.js";
import type { Reporter } from "./reporter.js";
import type { CleanupReport, ResourceKind } from "./types.js";

/** What cleanup needs: the clients, a clock for backoff, and a signal of its own. */
export interface CleanupTools {
  hetzner: HetznerClient;
  tailscale: TailscaleClient;
  clock: Clock;
  signal: AbortSignal;
  reporter?: Reporter | undefined;
}

const ATTEMPTS = 4;

function isRetryable(error: unknown): boolean {
  return (error as { isRetryable?: unknown } | null)?.isRetryable === true;
}

/** Runs `operation`, again after a retryable failure (the clients already wait out 429s). */
export async function withRetries<T>(
  tools: Pick<CleanupTools, "clock" | "signal">,
  operation: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= ATTEMPTS || tools.signal.aborted || !isRetryable(error)) throw error;
      await tools.clock.sleep(1000 * 2 ** (attempt - 1), tools.signal);
    }
  }
}

function reasonOf(error: unknown, tools: CleanupTools): string {
  const text = error instanceof Error ? error.message : String(error);
  return tools.reporter ? tools.reporter.redactor.redact(text) : text;
}

/** Deletes resources, recording each outcome in one report. Deleting what is gone is success. */
export function createCleanup(tools: CleanupTools) {
  const report: CleanupReport = { removed: [], failed: [] };
  const signalOption = { signal: tools.signal };

  const remove = async (
    resource: ResourceKind,
    id: string,
    operation: () => Promise<boolean>,
  ): Promise<boolean> => {
    try {
      const removed = await withRetries(tools, operation);
      if (removed) {
        report.removed.push({ resource, id });
        tools.reporter?.emit({ type: "resource-deleted", resource, id });
      }
      return true;
    } catch (error) {
      report.failed.push({ resource, id, reason: reasonOf(error, tools) });
      tools.reporter?.emit({
        type: "warning",
        message: `could not delete ${resource} ${id}: ${reasonOf(error, tools)}`,
      });
      return false;
    }
  };

  return {
    report,
    deleteServer: (id: number) =>
      remove(
        "server",
        String(id),
        async () => (await tools.hetzner.deleteServer(id, signalOption)).deleted,
      ),
    deleteAuthKey: (id: string) =>
      remove(
        "auth-key",
        id,
        async () => (await tools.tailscale.deleteAuthKey(id, signalOption)).deleted,
      ),
    deleteDevice: (nodeId: string) =>
      remove(
        "device",
        nodeId,
        async () => (await tools.tailscale.deleteDevice(nodeId, signalOption)).deleted,
      ),
    /** Records a failure that happened before a delete could be tried (e.g. a lookup failed). */
    fail(resource: ResourceKind, id: string, error: unknown) {
      report.failed.push({ resource, id, reason: reasonOf(error, tools) });
    },
  };
}
