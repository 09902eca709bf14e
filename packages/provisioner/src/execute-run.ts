import { ProvisionOutputError } from "./errors.js";
import type { Run } from "./run.js";
import { failRun } from "./steps/failure.js";
import { RUN_STEPS } from "./steps/index.js";
import { deliverResult } from "./steps/result.js";
import { need, type StepPhase, type StepResults } from "./steps/step.js";

/**
 * Runs the steps in order, each as its own phase and with its own parameters, then delivers the
 * result; on any failure, rolls back and throws the `ProvisionError` that says what happened.
 */
export async function executeRun(run: Run) {
  const results: StepResults = {};
  try {
    for (const step of RUN_STEPS) {
      if (step.applies && !step.applies(results)) continue;
      const parameters = step.parameters(run.options);
      const value = await run.inPhase<unknown>(step.phase, () =>
        step.run({ run, results, parameters }),
      );
      (results as Record<StepPhase, unknown>)[step.phase] = value;
    }
    run.finish();
    return await deliverResult(run, need(results, "server-running"), need(results, "device-join"));
  } catch (error) {
    run.finish();
    if (error instanceof ProvisionOutputError) throw error;
    throw await failRun(run, error);
  }
}
