import { isHetznerApiError } from "@tailvm/hetzner-client";
import { errorMessage, isAbortOf, raceSignal } from "@tailvm/internal";
import { createCleanup } from "../cleanup.js";
import { startNamedDeadline } from "../deadline-exceeded-error.js";
import type { Run } from "../run.js";
import type { CleanupReport } from "../types.js";
import { keyMintMayHaveApplied } from "./auth-key.js";
import { labelsMatch, mayHaveBeenApplied } from "./create-server.js";

/** What rollback does with the outcome of a create the run stopped waiting for. */
interface PendingCreateHandlers<T> {
  created(value: T): void;
  /** The create had not answered when `signal` aborted. */
  gaveUp(): void;
  failed(error: unknown): void;
}

/** Waits, until `signal` aborts, for a create the run stopped waiting for, and hands on its outcome. */
async function settlePendingCreate<T>(
  pending: Promise<T> | undefined,
  signal: AbortSignal,
  handlers: PendingCreateHandlers<T>,
): Promise<void> {
  if (!pending) return;
  let value: T;
  try {
    value = await raceSignal(pending, signal);
  } catch (error) {
    if (isAbortOf(error, signal)) handlers.gaveUp();
    else handlers.failed(error);
    return;
  }
  handlers.created(value);
}

/** Records a resource whose create answered during rollback; a throwing `onSecret` must not stop the deletes. */
function recordLate(run: Run, record: () => void): void {
  try {
    record();
  } catch (error) {
    run.reporter.emit({
      type: "warning",
      phase: "rollback",
      message: `onSecret failed during rollback: ${errorMessage(error)}`,
    });
  }
}

/**
 * Deletes what the run created, within `rollbackTimeoutMs` whatever the caller's signal says: the
 * key first (so nothing new can join), then the server (awaiting a create still in flight, or
 * looking up one whose answer was lost), then the devices that joined.
 */
export async function rollback(run: Run): Promise<CleanupReport> {
  const { options, hetzner, tailscale, reporter } = run;
  const deadline = startNamedDeadline(run.clock, "rollback", run.rollbackTimeoutMs);
  const signal = deadline.signal;
  const cleanup = createCleanup({ hetzner, tailscale, reporter, signal });
  try {
    await settlePendingCreate(run.takePendingKey(), signal, {
      created: (key) => recordLate(run, () => run.authKeyCreated(key)),
      gaveUp: () =>
        cleanup.fail(
          "auth-key",
          options.name,
          new Error(
            "the key request had not answered when the rollback deadline passed; a key it made expires on its own, or revoke it in the Tailscale admin console",
          ),
        ),
      failed: (error) => run.authKeyRequestFailed(keyMintMayHaveApplied(error)),
    });
    if (run.resources.keyId === undefined && run.resources.keyMintMaybeApplied) {
      cleanup.fail(
        "auth-key",
        options.name,
        new Error(
          "the key request failed after Tailscale may have applied it; a key it made expires on its own, or revoke it in the Tailscale admin console",
        ),
      );
    }
    const keyId = run.resources.keyId;
    if (keyId !== undefined) await cleanup.deleteAuthKey(keyId);

    await settlePendingCreate(run.takePendingServer(), signal, {
      created: (created) => recordLate(run, () => run.serverCreated(created)),
      gaveUp: () => {
        run.serverCreateFailed(false);
        cleanup.fail(
          "server",
          options.name,
          new Error(
            "the create request had not answered when the rollback deadline passed; delete the server by hand, or run reap() after its expires-at",
          ),
        );
      },
      failed: (error) =>
        run.serverCreateFailed(!isHetznerApiError(error) || mayHaveBeenApplied(error)),
    });
    let serverId = run.resources.serverId;
    if (serverId === undefined && run.resources.createMaybeApplied) {
      // The answer was lost (network error, 5xx): look the server up by its name and labels.
      try {
        const found = await hetzner.listServers({ name: options.name, signal });
        serverId = found.find((server) => labelsMatch(server, options))?.id;
      } catch (error) {
        cleanup.fail("server", options.name, error);
      }
    }
    if (serverId !== undefined) await cleanup.deleteServer(serverId);

    if (keyId !== undefined || serverId !== undefined) {
      const nodeIds = new Set<string>();
      if (run.resources.deviceId !== undefined) nodeIds.add(run.resources.deviceId);
      try {
        const devices = await tailscale.findDevices({
          hostname: options.name,
          tags: options.tags,
          createdAfter: run.startedAt,
          signal,
        });
        for (const device of devices) if (device.nodeId) nodeIds.add(device.nodeId);
      } catch (error) {
        if (nodeIds.size === 0) cleanup.fail("device", options.name, error);
      }
      for (const nodeId of nodeIds) await cleanup.deleteDevice(nodeId);
    }
  } finally {
    deadline.dispose();
    // A create still unanswered now is given up on; rollback has reported it.
    run.giveUpOnCreates();
  }
  return cleanup.report;
}
