import { type ProvisionContext, provisionVM } from "@tailvm/provisioner";
import type { Database } from "../database/open-database.ts";
import { provisionOptions } from "../vm-request.ts";
import { jobOutcome } from "./job-outcome.ts";
import { findJob, finishJob } from "./job-store.ts";
import { type RunningJobHandle, startRunningJob } from "./running-jobs.ts";
import { lookUpServerPrice } from "./server-price.ts";

/** The lock a job is provisioned (or rolled back) under, across every instance of the app. */
export function jobLockKey(jobId: string): string {
  return `tailvm-job:${jobId}`;
}

/** How {@link runLocalJob} went: it provisioned, another run holds the job, or there was nothing to do. */
export type RunResult = "ran" | "busy" | "not-provisioning";

/**
 * Provisions a `provisioning` job in this process and records how it ended. It runs under the
 * job's lock: when another request, or another instance, runs the job already, it resolves
 * `busy` and provisions nothing. A job found finished once the lock is held is left as it is.
 * `provisionVM()` labels the server with the job id, so a run after a crash adopts the server
 * the first run made instead of making a second one.
 */
export async function runLocalJob(
  database: Database,
  jobId: string,
  options: { context: ProvisionContext; handle?: RunningJobHandle | undefined },
): Promise<RunResult> {
  const handle = options.handle ?? startRunningJob(jobId);
  if (!handle) return "busy";
  try {
    const locked = await database.withLock(jobLockKey(jobId), async (): Promise<RunResult> => {
      const stored = await findJob(database.db, jobId);
      if (stored?.job.status !== "provisioning") return "not-provisioning";
      let outcome: ReturnType<typeof jobOutcome>;
      try {
        const provisioning = provisionOptions(jobId, stored.job.request);
        const result = await provisionVM(
          { ...provisioning, signal: handle.signal },
          options.context,
        );
        outcome = jobOutcome({ result });
      } catch (error) {
        outcome = jobOutcome({ error });
      }
      const price = outcome.vm
        ? await lookUpServerPrice(outcome.vm.serverType, outcome.vm.location)
        : undefined;
      await finishJob(database.db, jobId, outcome, { price });
      return "ran";
    });
    return locked.ran ? locked.value : "busy";
  } finally {
    handle.finish();
  }
}
