import { and, desc, eq, inArray } from "drizzle-orm";
import type { AppDatabase } from "../database/open-database.ts";
import {
  type JobError,
  type JobMode,
  type JobRequest,
  type JobRow,
  type JobStatus,
  jobs,
  type VmRow,
  vms,
} from "../database/schema.ts";
import { type JobOutcome, vmDetails } from "./job-outcome.ts";
import type { ServerPrice } from "./server-price.ts";

/** A job with its VM, when it has one. */
export interface StoredJob {
  job: JobRow;
  vm: VmRow | undefined;
}

/** A new job's row. */
export interface NewJob {
  jobId: string;
  ownerTokenId: string;
  mode: JobMode;
  request: JobRequest;
}

/** The job and its VM, or undefined. */
export async function findJob(db: AppDatabase, jobId: string): Promise<StoredJob | undefined> {
  const [row] = await db
    .select()
    .from(jobs)
    .leftJoin(vms, eq(vms.jobId, jobs.jobId))
    .where(eq(jobs.jobId, jobId));
  return row ? { job: row.jobs, vm: row.vms ?? undefined } : undefined;
}

/** The owner's jobs, newest first. */
export async function listJobs(
  db: AppDatabase,
  ownerTokenId: string,
  filter: { statuses: readonly JobStatus[]; limit: number },
): Promise<StoredJob[]> {
  const rows = await db
    .select()
    .from(jobs)
    .leftJoin(vms, eq(vms.jobId, jobs.jobId))
    .where(and(eq(jobs.ownerTokenId, ownerTokenId), inArray(jobs.status, [...filter.statuses])))
    .orderBy(desc(jobs.createdAt), desc(jobs.jobId))
    .limit(filter.limit);
  return rows.map((row) => ({ job: row.jobs, vm: row.vms ?? undefined }));
}

/**
 * Writes the job as `provisioning` before anything is provisioned. A job id that exists already
 * is not written again: a failed job of the same owner starts over, anything else is returned as
 * it is (`created: false`).
 */
export async function insertJob(
  db: AppDatabase,
  job: NewJob,
): Promise<{ created: boolean; stored: StoredJob }> {
  const [inserted] = await db
    .insert(jobs)
    .values({ ...job, agentId: job.request.agentId, status: "provisioning" })
    .onConflictDoNothing({ target: jobs.jobId })
    .returning();
  if (inserted) return { created: true, stored: { job: inserted, vm: undefined } };
  const [restarted] = await db
    .update(jobs)
    .set({
      status: "provisioning",
      request: job.request,
      error: null,
      warnings: [],
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(jobs.jobId, job.jobId),
        eq(jobs.ownerTokenId, job.ownerTokenId),
        eq(jobs.status, "failed"),
      ),
    )
    .returning();
  if (restarted) return { created: true, stored: { job: restarted, vm: undefined } };
  const existing = await findJob(db, job.jobId);
  if (!existing) throw new Error(`job ${job.jobId} vanished while it was being written`);
  return { created: false, stored: existing };
}

/**
 * Records how the job ended, if it is still `from` (default `provisioning`): a job deleted in the
 * meantime keeps its `deleting` state. Resolves false when nothing was written.
 */
export async function finishJob(
  db: AppDatabase,
  jobId: string,
  outcome: JobOutcome,
  options: { price?: ServerPrice | undefined; from?: JobStatus } = {},
): Promise<boolean> {
  return db.transaction(async (transaction) => {
    const [updated] = await transaction
      .update(jobs)
      .set({
        status: outcome.status,
        error: outcome.status === "failed" ? outcome.error : null,
        warnings: outcome.status === "succeeded" ? outcome.warnings : [],
        updatedAt: new Date(),
      })
      .where(and(eq(jobs.jobId, jobId), eq(jobs.status, options.from ?? "provisioning")))
      .returning({ jobId: jobs.jobId });
    if (!updated || !outcome.vm) return Boolean(updated);
    const vm = {
      ...vmDetails(outcome.vm),
      priceHourly: options.price?.hourly ?? null,
      priceMonthly: options.price?.monthly ?? null,
      deletedAt: null,
    };
    await transaction
      .insert(vms)
      .values({ jobId, ...vm })
      .onConflictDoUpdate({ target: vms.jobId, set: vm });
    return true;
  });
}

/** Moves the job to `deleting` unless it is `provisioning` or already gone; resolves the row. */
export async function markDeleting(db: AppDatabase, jobId: string): Promise<JobRow | undefined> {
  const [row] = await db
    .update(jobs)
    .set({ status: "deleting", updatedAt: new Date() })
    .where(
      and(
        eq(jobs.jobId, jobId),
        inArray(jobs.status, ["provisioning", "succeeded", "failed", "deleting"]),
      ),
    )
    .returning();
  return row;
}

/** The deletion finished: the job is `deleted` and its VM carries the time. */
export async function markDeleted(db: AppDatabase, jobId: string): Promise<void> {
  await db.transaction(async (transaction) => {
    const now = new Date();
    await transaction
      .update(jobs)
      .set({ status: "deleted", error: null, updatedAt: now })
      .where(and(eq(jobs.jobId, jobId), eq(jobs.status, "deleting")));
    await transaction.update(vms).set({ deletedAt: now }).where(eq(vms.jobId, jobId));
  });
}

/** The deletion failed: the job is `failed` with why, so `DELETE` can be tried again. */
export async function markDeleteFailed(
  db: AppDatabase,
  jobId: string,
  error: JobError,
): Promise<void> {
  await db
    .update(jobs)
    .set({ status: "failed", error, updatedAt: new Date() })
    .where(and(eq(jobs.jobId, jobId), eq(jobs.status, "deleting")));
}

/** The local jobs a stopped server left `provisioning`. */
export async function unfinishedLocalJobs(db: AppDatabase): Promise<JobRow[]> {
  return db
    .select()
    .from(jobs)
    .where(and(eq(jobs.status, "provisioning"), eq(jobs.mode, "local")));
}
