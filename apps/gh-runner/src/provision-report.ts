import { errorMessage, formatDuration, type Redactor } from "@tailvm/internal";
import { ProvisionError, ProvisionOutputError, type ProvisionResult } from "@tailvm/provisioner";
import type { LifecycleState } from "./lifecycle-state.js";
import type { OutputWriter } from "./output-writer.js";
import { STATE, writeResultOutputs } from "./provision-events.js";
import type { Reporter } from "./reporter.js";
import type { RunOutcome } from "./run-types.js";
import { failureSummary, type PhaseTiming, successSummary } from "./summary.js";

/** How `provisionVM` ended, or that the run stopped waiting for it. */
export type Settled =
  | { kind: "result"; result: ProvisionResult }
  | { kind: "error"; error: unknown }
  | { kind: "gave-up" };

/** What {@link reportSettled} reports from. */
export interface SettledRun {
  settled: Settled;
  /** The state the run was in when it settled. */
  last: LifecycleState;
  reporter: Reporter;
  outputs: OutputWriter;
  timings: PhaseTiming[];
  graceMs: number;
  /** The deadline or signal that started the grace period, if any did. */
  lateReason: string | undefined;
  callback: { error: unknown; cutShort: boolean };
  redactor: Redactor;
}

/**
 * Reports how a provisioning run ended: the last log line or the failure (naming the phase, the
 * cause and what was rolled back), the outputs and the job summary.
 *
 * @example
 * ```ts
 * return reportSettled({ settled, last, reporter, outputs, timings, graceMs, lateReason, callback, redactor });
 * ```
 */
export async function reportSettled(run: SettledRun): Promise<RunOutcome> {
  const { settled, last, reporter, outputs, timings, redactor, callback } = run;
  const late = (run.lateReason ?? "The run was stopped").replace(/\.$/, "");
  const fail = async (
    message: string,
    summary: string,
    extra: Partial<RunOutcome> = {},
  ): Promise<RunOutcome> => {
    reporter.fail(message);
    await reporter.writeSummary(summary);
    return { status: "failure", outputs: outputs.values, abandoned: false, ...extra };
  };

  if (settled.kind === "result") {
    const result = settled.result;
    writeResultOutputs(outputs, result);
    reporter.saveState(STATE.outcome, "success");
    reporter.info(
      `${result.serverName} is on the tailnet at ${result.tailscaleIp} ` +
        `(server ${result.serverId}, ${result.location}) after ${formatDuration(result.totalMs)}.`,
    );
    await reporter.writeSummary(successSummary(result, timings));
    return { status: "success", result, outputs: outputs.values, abandoned: false };
  }

  if (settled.kind === "gave-up") {
    const name = last.phase === "done" || last.phase === "validating" ? "" : last.name;
    const serverId = outputs.values.server_id ?? "";
    const message =
      `${late}, and the rollback did not finish within ${formatDuration(run.graceMs)}; ` +
      `gave up waiting for it. The post step deletes server ${serverId || name} if it still exists; ` +
      "`reap()` removes anything older than its ttl.";
    const summary = failureSummary({ phase: "rollback", message }, timings);
    return fail(message, summary, { abandoned: true });
  }

  const error = settled.error;
  if (error instanceof ProvisionOutputError) {
    // The VM exists and is the agent's: it is kept, but the step fails so nobody waits for a
    // callback that never came.
    writeResultOutputs(outputs, error.result);
    reporter.saveState(STATE.outcome, "success");
    const failures = callback.cutShort
      ? `the callback did not finish in time (${late})`
      : `the callback failed: ${redactor.redact(error.failures.map((failure) => failure.message).join("; "))}`;
    const vm = error.result;
    const message = `The VM ${vm.serverName} (server ${vm.serverId}, tailnet ${vm.tailscaleIp}) was provisioned and is kept, but ${failures}`;
    const summary = `${successSummary(vm, timings)}\n**The VM is kept, but ${failures.replace(/\r?\n/g, " ")}**\n`;
    return fail(message, summary, { result: vm });
  }

  if (error instanceof ProvisionError) {
    const { cleanup } = error;
    if (cleanup.failed.length === 0) reporter.saveState(STATE.outcome, "rolled-back");
    const removed = cleanup.removed.map((item) => `${item.resource} ${item.id}`);
    const rollback =
      cleanup.failed.length === 0
        ? `Rolled back: ${removed.length > 0 ? removed.join(", ") : "nothing had been created"}.`
        : `Rollback could not remove ${cleanup.failed.map((item) => `${item.resource} ${item.id} (${item.reason})`).join(", ")}; the post step tries again.`;
    let callbackText = "";
    if (callback.error !== undefined) {
      callbackText = callback.cutShort
        ? ` The failure callback did not finish in time (${late}).`
        : ` The failure callback could not be delivered: ${errorMessage(callback.error)}`;
    }
    const stopReason =
      last.phase === "rolling-back" || last.phase === "reporting" ? last.stopReason : undefined;
    const cause = stopReason ? ` (${stopReason})` : "";
    const message = redactor.redact(
      `Provisioning failed in phase ${error.phase}${cause}: ${error.message} ${rollback}${callbackText}`,
    );
    const summary = failureSummary(
      { phase: error.phase, message: redactor.redact(error.message), cleanup },
      timings,
    );
    return fail(message, summary);
  }

  const message = redactor.redact(`Provisioning failed unexpectedly: ${errorMessage(error)}`);
  return fail(message, failureSummary({ phase: "rollback", message }, timings));
}
