import { deprovisionVM, type ProvisionContext } from "@tailvm/provisioner";
import type { Database } from "../database/open-database.ts";
import { logger } from "../environment.ts";
import { findJob, finishJob, unfinishedLocalJobs } from "./job-store.ts";
import { jobLockKey, runLocalJob } from "./run-local-job.ts";

/** What start-up did with the jobs a stopped server left `provisioning`. */
export interface ResumeReport {
  resumed: string[];
  rolledBack: string[];
  /** Held by another live instance, which finishes them. */
  skipped: string[];
}

async function rollBack(database: Database, jobId: string, context: ProvisionContext) {
  return database.withLock(jobLockKey(jobId), async () => {
    const stored = await findJob(database.db, jobId);
    if (stored?.job.status !== "provisioning") return;
    const stopped = "The server stopped while this job was provisioning, too long ago to resume it";
    let message = `${stopped}; what it had made was deleted.`;
    try {
      await deprovisionVM({ jobId }, context);
    } catch (error) {
      const reason = error instanceof Error ? error.message : "unknown error";
      message = `${stopped}, and deleting what it had made failed (${reason}): delete the job again or run reap().`;
    }
    await finishJob(database.db, jobId, {
      status: "failed",
      error: { phase: "rollback", code: "abandoned", message },
    });
  });
}

/**
 * Finishes the local jobs a stopped server left `provisioning` (a crash, SIGKILL, a lost machine):
 * a job younger than `withinSeconds` runs again and adopts the server the first run made; an older
 * one is rolled back with `deprovisionVM({ jobId })`, because its caller has long given up on it.
 * Each job is taken under its lock, so a job another live instance still provisions is left to it.
 */
export async function resumeJobs(
  database: Database,
  options: { context: ProvisionContext; withinSeconds: number; now?: Date },
): Promise<ResumeReport> {
  const now = options.now ?? new Date();
  const report: ResumeReport = { resumed: [], rolledBack: [], skipped: [] };
  const rows = await unfinishedLocalJobs(database.db);
  await Promise.all(
    rows.map(async (row) => {
      const ageSeconds = (now.getTime() - row.createdAt.getTime()) / 1000;
      if (ageSeconds < options.withinSeconds) {
        const result = await runLocalJob(database, row.jobId, { context: options.context });
        (result === "ran" ? report.resumed : report.skipped).push(row.jobId);
      } else {
        const locked = await rollBack(database, row.jobId, options.context);
        (locked.ran ? report.rolledBack : report.skipped).push(row.jobId);
      }
    }),
  );
  if (rows.length > 0) logger.info?.("Finished the jobs left provisioning.", report);
  return report;
}
