import {
  DeprovisionError,
  type DeprovisionTarget,
  deprovisionVM,
  type ProvisionContext,
} from "@tailvm/provisioner";
import type { Database } from "../database/open-database.ts";
import {
  findJob,
  markDeleted,
  markDeleteFailed,
  markDeleting,
  type StoredJob,
} from "./job-store.ts";
import { abortRunningJob, isRunningHere } from "./running-jobs.ts";

/** What a `DELETE` found: the job is being deleted, was deleted before, or cannot be deleted yet. */
export type DeletionStart =
  | { state: "deleting"; stored: StoredJob; run: () => Promise<void> }
  | { state: "deleted"; stored: StoredJob }
  | { state: "busy"; stored: StoredJob };

function target({ job, vm }: StoredJob): DeprovisionTarget {
  // With the name as well, the tailnet device is found even when the server is already gone.
  return vm ? { serverId: vm.serverId, name: vm.serverName } : { jobId: job.jobId };
}

/**
 * Starts deleting a job's VM: the job becomes `deleting` at once, and `run()` (which the route
 * runs after answering) aborts the job's provisioning if it still runs in this process (it rolls
 * back what it made), then calls `deprovisionVM()` and records `deleted`, or `failed` with what is
 * left. A job still provisioning elsewhere (another instance, the GitHub workflow) is `busy`: it
 * can be deleted once it has finished.
 */
export async function startDeletion(
  database: Database,
  stored: StoredJob,
  context: () => ProvisionContext,
): Promise<DeletionStart> {
  const { jobId, status } = stored.job;
  if (status === "deleted") return { state: "deleted", stored };
  if (status === "provisioning" && !isRunningHere(jobId)) return { state: "busy", stored };
  // Read before the state changes, so a configuration error answers before anything is touched.
  const provisioning = context();
  const row = await markDeleting(database.db, jobId);
  const current = row ? await findJob(database.db, jobId) : undefined;
  if (!current) return { state: "deleted", stored };
  return {
    state: "deleting",
    stored: current,
    run: async () => {
      await abortRunningJob(jobId, "The job was deleted.");
      // The aborted run may have just written its VM: deprovision what is known now.
      const latest = (await findJob(database.db, jobId)) ?? current;
      try {
        await deprovisionVM(target(latest), provisioning);
        await markDeleted(database.db, jobId);
      } catch (error) {
        await markDeleteFailed(database.db, jobId, {
          phase: "deprovision",
          ...(error instanceof DeprovisionError ? { code: error.code } : {}),
          message:
            error instanceof DeprovisionError
              ? `${error.message} Send DELETE again to retry.`
              : "Deleting the VM failed unexpectedly; see the server log, then send DELETE again.",
        });
      }
    },
  };
}
