import { classifyFailure } from "../classify-failure.js";
import { ProvisionError, ProvisionInputError } from "../errors.js";
import type { Run } from "../run.js";
import type { CleanupReport, ProvisionFailure } from "../types.js";
import { callOutputs } from "./result.js";
import { rollback } from "./rollback.js";

/**
 * Ends a failed run: rolls back what it created, announces the failure, hands it to every output,
 * and returns the `ProvisionError` to throw (or the `ProvisionInputError` placement found in the live
 * catalog, redacted). The outputs get the caller's signal, unless it is what
 * stopped the run: a cancelled run still reports its failure.
 */
export async function failRun(
  run: Run,
  error: unknown,
): Promise<ProvisionError | ProvisionInputError> {
  const { reporter, options } = run;
  const failedPhase = run.phase;
  // A failure seen outside the running step (Run.fail) is what happened; the step only saw an abort.
  const cause = run.signals.failed.aborted ? run.signals.failed.reason : error;
  const classified = classifyFailure(cause, failedPhase, run.signals);

  let cleanup: CleanupReport = { removed: [], failed: [] };
  if (run.needsRollback) {
    const end = run.startPhase("rollback");
    cleanup = await rollback(run);
    end(cleanup.failed.length === 0);
  }
  const { serverId, seenServerId } = run.resources;
  if (run.adopted && serverId === undefined && seenServerId !== undefined) {
    reporter.emit({
      type: "warning",
      message: `the adopted server ${seenServerId} was kept: an earlier run created it; delete it with deprovisionVM({ serverId: ${seenServerId}, name: "${run.serverName}" }) if it is not wanted`,
    });
  }

  const leftovers =
    cleanup.failed.length > 0
      ? ` Rollback could NOT delete: ${cleanup.failed.map((item) => `${item.resource} ${item.id}`).join(", ")}; delete them by hand or run reap().`
      : "";
  const message = reporter.redactor.redact(`${classified.message}${leftovers}`);
  reporter.emit({ type: "failure", phase: failedPhase, message, code: classified.code, cleanup });

  const failure: ProvisionFailure = reporter.redactor.redactValue({
    phase: failedPhase,
    message,
    code: classified.code,
    cleanup,
    agentId: options.agentId,
    jobId: options.jobId,
    serverName: run.serverName,
    serverId: seenServerId ?? null,
    timings: run.timings(),
    totalMs: run.totalMs(),
  });
  const info = run.info();
  const caller = options.signal;
  const signal = caller && !caller.aborted ? caller : new AbortController().signal;
  // An input error reaches loggers but no output, as in validation: nothing was attempted.
  if (!(error instanceof ProvisionInputError)) {
    await callOutputs(run, (output) => output.failure?.(failure, info, signal));
  }

  if (error instanceof ProvisionInputError) {
    return new ProvisionInputError(
      error.issues.map((issue) => ({
        field: issue.field,
        message: reporter.redactor.redact(issue.message),
      })),
      { phase: error.phase },
    );
  }
  return new ProvisionError(message, {
    phase: failedPhase,
    cause: reporter.redactor.redactCause(cause),
    cleanup,
    code: classified.code,
    serverId: seenServerId,
    isRetryable: classified.isRetryable,
  });
}
