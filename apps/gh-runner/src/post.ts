import * as core from "@actions/core";
import { errorMessage } from "@tailvm/internal";
import { type CleanupReport, DeprovisionError, deprovisionVM } from "@tailvm/provisioner";
import { cleanupContext } from "./cleanup-runs.js";
import { GhRunnerInputError } from "./errors.js";
import { STATE } from "./provision-events.js";
import { readSettings, type SettingSources, secretValues } from "./read-settings.js";
import type { Reporter } from "./reporter.js";
import { type Connection, parseConnectionSettings } from "./run-config.js";

/**
 * How long the post step spends deleting leftovers before it gives up and says so.
 *
 * @example
 * ```ts
 * await runPost({ reporter, cleanupTimeoutMs: CLEANUP_TIMEOUT_MS });
 * ```
 */
export const CLEANUP_TIMEOUT_MS = 120_000;

/** Options of {@link runPost}. */
export interface PostOptions {
  reporter: Reporter;
  /** Reads what the main step saved. Default `core.getState`. */
  getState?: (name: string) => string;
  /** Default: the action's inputs, then the environment. */
  sources?: SettingSources;
  /** Default {@link CLEANUP_TIMEOUT_MS}. */
  cleanupTimeoutMs?: number;
}

/** What the post step did. */
export type PostOutcome =
  | { status: "kept" | "nothing-to-do" }
  | { status: "cleaned"; cleanup: CleanupReport }
  | { status: "failed"; message: string };

/**
 * The action's `post:` step. When the main step did not finish (cancelled, killed, timed out before
 * it could roll back, or its rollback left something behind), deletes the server and its tailnet
 * device; after a rollback, it makes sure nothing with the run's server name is left. A VM the main
 * step provisioned successfully is kept: it is the agent's VM.
 *
 * @example
 * ```ts
 * await runPost({ reporter: createActionsReporter() }); // dist/post.js
 * ```
 */
export async function runPost(options: PostOptions): Promise<PostOutcome> {
  const { reporter } = options;
  const getState = options.getState ?? ((name: string) => core.getState(name));
  const raw = readSettings(
    "provision",
    options.sources ?? { given: (name: string) => core.getInput(name) },
  );
  for (const secret of secretValues("provision", raw)) reporter.mask(secret);

  const outcome = getState(STATE.outcome);
  const serverId = getState(STATE.serverId);
  const serverName = getState(STATE.serverName);
  const label = serverId ? `server ${serverId}${serverName ? ` (${serverName})` : ""}` : serverName;

  if (outcome === "success") {
    reporter.info(`Keeping ${label}: it was provisioned successfully and is the agent's VM.`);
    return { status: "kept" };
  }
  if (outcome === "invalid-inputs") {
    reporter.info("Nothing to clean up: the main step sent no request.");
    return { status: "nothing-to-do" };
  }
  if (outcome === "not-provisioning") {
    reporter.info("Nothing to clean up: the main step did not provision.");
    return { status: "nothing-to-do" };
  }
  if (!serverId && !serverName) {
    reporter.info("Nothing to clean up: the main step stopped before it chose a server name.");
    return { status: "nothing-to-do" };
  }

  let connection: Connection;
  try {
    connection = parseConnectionSettings(raw);
  } catch (error) {
    if (!(error instanceof GhRunnerInputError)) throw error;
    const message = `Cannot delete ${label}, which the main step left behind: ${error.message}`;
    reporter.fail(message);
    return { status: "failed", message };
  }

  // After a rollback, look the server up by name: a create that was in flight when the run was
  // stopped may have left a server whose id the run never learned.
  const rolledBack = outcome === "rolled-back" && serverName !== "";
  reporter.info(
    rolledBack
      ? `The main step rolled back; making sure nothing named ${serverName} is left behind.`
      : `The main step did not finish: deleting ${label} and its tailnet device.`,
  );
  // With the name as well, the tailnet device is still found when the server is already gone
  // (a rollback that deleted the server and was killed before it reached the device).
  const target =
    serverId && !rolledBack
      ? { serverId: Number(serverId), ...(serverName ? { name: serverName } : {}) }
      : { name: serverName };
  const timeoutMs = options.cleanupTimeoutMs ?? CLEANUP_TIMEOUT_MS;
  try {
    const cleanup = await deprovisionVM(target, cleanupContext(connection, reporter), {
      timeoutMs,
    });
    const removed = cleanup.removed.map((item) => `${item.resource} ${item.id}`);
    reporter.info(
      removed.length > 0
        ? `Removed ${removed.join(", ")}.`
        : `Nothing was left behind: ${label} no longer exists.`,
    );
    return { status: "cleaned", cleanup };
  } catch (error) {
    const left =
      error instanceof DeprovisionError && error.cleanup.failed.length > 0
        ? ` Left behind: ${error.cleanup.failed.map((item) => `${item.resource} ${item.id} (${item.reason})`).join(", ")}.`
        : "";
    const message =
      `Could not delete ${label}: ${errorMessage(error)}.${left} ` +
      "Delete it in the Hetzner Console / Tailscale admin console, or let reap() remove it.";
    reporter.fail(message);
    return { status: "failed", message };
  }
}
