import {
  type CleanupReport,
  type Clock,
  DeprovisionError,
  deprovisionVM,
  reap,
  silentLogger,
  type WebhookMetadata,
} from "@tailvm/provisioner";
import { createCallbackOutput } from "./callback-output.js";
import type { OutputWriter } from "./output-writer.js";
import type { Reporter } from "./reporter.js";
import type { Connection, RunConfig } from "./run-config.js";
import type { RunOutcome } from "./run-types.js";
import { cleanupSummary } from "./summary.js";

/** What a deprovision or reap run needs besides its config. */
export interface CleanupRunOptions {
  reporter: Reporter;
  outputs: OutputWriter;
  clock: Clock;
  signal: AbortSignal;
  metadata: WebhookMetadata;
}

/**
 * The provisioner context of a cleanup: its deletions as log lines.
 *
 * @example
 * ```ts
 * await deprovisionVM(target, cleanupContext(connection, reporter, clock));
 * ```
 */
export function cleanupContext(connection: Connection, reporter: Reporter, clock?: Clock) {
  return {
    hetzner: connection.hetzner,
    tailscale: connection.tailscale,
    logger: silentLogger,
    ...(clock ? { clock } : {}),
    onEvent: (event: { type: string; resource?: string; id?: string; message?: string }) => {
      if (event.type === "resource-deleted") reporter.info(`deleted ${event.resource} ${event.id}`);
      else if (event.type === "warning" && event.message) reporter.warning(event.message);
    },
  };
}

function describeTarget(target: Extract<RunConfig, { mode: "deprovision" }>["target"]): string {
  if ("jobId" in target) return `the VM of job ${target.jobId}`;
  if ("serverId" in target) {
    return `server ${target.serverId}${target.name ? ` (${target.name})` : ""}`;
  }
  return `the VM named ${target.name}`;
}

function writeRemoved(outputs: OutputWriter, cleanup: CleanupReport): void {
  outputs.write("removed", JSON.stringify(cleanup.removed));
}

/**
 * Deletes the VM the target names (server, tailnet device), succeeding when it is already gone,
 * then sends the `vm.deprovisioned` callback when one is configured. Input problems the provisioner
 * finds are thrown as its `ProvisionInputError`, before any request.
 *
 * @example
 * ```ts
 * const outcome = await runDeprovision(config, { reporter, outputs, clock, signal, metadata });
 * ```
 */
export async function runDeprovision(
  config: Extract<RunConfig, { mode: "deprovision" }>,
  options: CleanupRunOptions,
): Promise<RunOutcome> {
  const { reporter, outputs, clock, signal } = options;
  const what = describeTarget(config.target);
  reporter.info(`Deprovisioning ${what}.`);
  let cleanup: CleanupReport;
  try {
    cleanup = await deprovisionVM(
      config.target,
      cleanupContext(config.connection, reporter, clock),
      {
        signal,
        timeoutMs: config.timeoutMs,
      },
    );
  } catch (error) {
    if (!(error instanceof DeprovisionError)) throw error;
    writeRemoved(outputs, error.cleanup);
    const message = `Could not deprovision ${what}: ${error.message} Run again, or delete it in the Hetzner Console / Tailscale admin console.`;
    reporter.fail(message);
    await reporter.writeSummary(cleanupSummary("deprovision failed", error.cleanup, message));
    return { status: "failure", cleanup: error.cleanup, outputs: outputs.values, abandoned: false };
  }
  writeRemoved(outputs, cleanup);
  const removed = cleanup.removed.map((item) => `${item.resource} ${item.id}`);
  reporter.info(
    removed.length > 0
      ? `Removed ${removed.join(", ")}.`
      : `Nothing to remove: ${what} is already gone.`,
  );
  if (config.callback) {
    const target = config.target;
    try {
      await createCallbackOutput({
        ...config.callback,
        metadata: options.metadata,
        clock,
        signal,
      }).deprovisioned({
        jobId: "jobId" in target ? target.jobId : null,
        serverId: "serverId" in target ? target.serverId : null,
        serverName: "name" in target ? (target.name ?? null) : null,
        cleanup,
      });
    } catch (error) {
      const message = `${what} is deprovisioned, but the callback failed: ${(error as Error).message}`;
      reporter.fail(message);
      await reporter.writeSummary(cleanupSummary("VM deprovisioned", cleanup, message));
      return { status: "failure", cleanup, outputs: outputs.values, abandoned: false };
    }
  }
  await reporter.writeSummary(cleanupSummary("VM deprovisioned", cleanup));
  return { status: "success", cleanup, outputs: outputs.values, abandoned: false };
}

/**
 * Deletes expired tailvm servers, their devices and orphaned tagged devices (or only lists them
 * with `dryRun`).
 *
 * @example
 * ```ts
 * const outcome = await runReap(config, { reporter, outputs, clock, signal, metadata: {} });
 * ```
 */
export async function runReap(
  config: Extract<RunConfig, { mode: "reap" }>,
  options: CleanupRunOptions,
): Promise<RunOutcome> {
  const { reporter, outputs, clock, signal } = options;
  reporter.info(
    `Reaping expired tailvm servers${config.tags.length > 0 ? ` and offline devices tagged ${config.tags.join(", ")}` : ""}${config.dryRun ? " (dry run: nothing is deleted)" : ""}.`,
  );
  const report = await reap(
    { tags: config.tags, dryRun: config.dryRun, signal, timeoutMs: config.timeoutMs },
    cleanupContext(config.connection, reporter, clock),
  );
  writeRemoved(outputs, report.cleanup);
  const found = `${report.expiredServers.length} expired server(s), ${report.devices.length} device(s)`;
  const title = config.dryRun ? "reap dry run" : "reaped";
  if (report.cleanup.failed.length > 0) {
    const message = `Reap found ${found} but could not remove ${report.cleanup.failed.map((item) => `${item.resource} ${item.id} (${item.reason})`).join(", ")}; run it again.`;
    reporter.fail(message);
    await reporter.writeSummary(cleanupSummary(title, report.cleanup, message));
    return {
      status: "failure",
      reap: report,
      cleanup: report.cleanup,
      outputs: outputs.values,
      abandoned: false,
    };
  }
  reporter.info(config.dryRun ? `Would remove ${found}.` : `Found and removed ${found}.`);
  await reporter.writeSummary(cleanupSummary(title, report.cleanup));
  return {
    status: "success",
    reap: report,
    cleanup: report.cleanup,
    outputs: outputs.values,
    abandoned: false,
  };
}
