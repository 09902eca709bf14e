import { eq } from "drizzle-orm";
import type { Database } from "../database/open-database.ts";
import { jobs, webhookDeliveries } from "../database/schema.ts";
import type { CallbackReport } from "./callback-report.ts";
import { finishJob } from "./job-store.ts";
import { lookUpServerPrice } from "./server-price.ts";

/** What a verified callback did: applied, a `webhook-id` seen before, or not about a known job. */
export type CallbackResult =
  | { state: "applied" }
  | { state: "duplicate" }
  | { state: "unknown-job" }
  | { state: "ignored"; reason: string };

class UnknownJob extends Error {}

/**
 * Applies a verified callback to its job, once per `webhook-id`: the delivery is recorded in the
 * same transaction as the job's update, so a re-sent or replayed delivery changes nothing, even
 * when two arrive at once. Only a dispatched job still `provisioning` is updated; a callback about
 * any other job is recorded and ignored.
 */
export async function applyCallback(
  database: Database,
  webhookId: string,
  report: CallbackReport,
): Promise<CallbackResult> {
  const vm = report.outcome.vm;
  const price = vm ? await lookUpServerPrice(vm.serverType, vm.location) : undefined;
  try {
    return await database.db.transaction(async (transaction) => {
      const recorded = await transaction
        .insert(webhookDeliveries)
        .values({ webhookId, jobId: report.jobId })
        .onConflictDoNothing({ target: webhookDeliveries.webhookId })
        .returning({ webhookId: webhookDeliveries.webhookId });
      if (recorded.length === 0) return { state: "duplicate" } as const;
      const [job] = await transaction
        .select({ mode: jobs.mode, status: jobs.status })
        .from(jobs)
        .where(eq(jobs.jobId, report.jobId))
        .for("update");
      if (!job) throw new UnknownJob();
      if (job.mode !== "dispatch" || job.status !== "provisioning") {
        return {
          state: "ignored",
          reason: `job ${report.jobId} is ${job.status} (${job.mode}); only a dispatched job still provisioning takes a callback`,
        } as const;
      }
      await finishJob(transaction, report.jobId, report.outcome, { price });
      return { state: "applied" } as const;
    });
  } catch (error) {
    // Rolled back: the delivery of an unknown job is not recorded, so a later one can still apply.
    if (error instanceof UnknownJob) return { state: "unknown-job" };
    throw error;
  }
}
