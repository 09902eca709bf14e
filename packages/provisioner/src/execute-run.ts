import { ProvisionOutputError } from "./errors.js";
import type { Run } from "./run.js";
import { failRun } from "./steps/failure.js";
import { RUN_STEPS } from "./steps/index.js";
import { deliverResult } from "./steps/result.js";
import { type AnyStep, need, type StepPhase, type StepResults } from "./steps/step.js";

/**
 * Runs the steps in order, each as its own phase and with its own parameters, then delivers the
 * result; on any failure, rolls back and throws the `ProvisionError` that says what happened. A
 * step that overlaps the one before it starts with it, given the results before both.
 */
export async function executeRun(run: Run) {
  const results: StepResults = {};
  const started = new Map<AnyStep, Promise<unknown>>();
  const start = (step: AnyStep) => {
    const parameters = step.parameters(run.options);
    const work = step.run({ run, results: { ...results }, parameters });
    // Its failure is thrown in its own phase, or not at all when an earlier step fails first.
    work.catch(() => undefined);
    started.set(step, work);
  };
  try {
    for (const [index, step] of RUN_STEPS.entries()) {
      if (step.applies && !step.applies(results)) continue;
      const value = await run.inPhase<unknown>(step.phase, () => {
        const work = started.get(step);
        if (work) return work;
        const parameters = step.parameters(run.options);
        const next = RUN_STEPS[index + 1];
        const own = step.run({ run, results, parameters });
        if (next?.overlapsPrevious && (!next.applies || next.applies(results))) start(next);
        return own;
      });
      (results as Record<StepPhase, unknown>)[step.phase] = value;
    }
    run.finish();
    return await deliverResult(
      run,
      need(results, "server-running").server,
      need(results, "device-join"),
    );
  } catch (error) {
    run.finish();
    if (error instanceof ProvisionOutputError) throw error;
    throw await failRun(run, error);
  }
}
