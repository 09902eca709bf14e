import type { JobError, JobMode, JobStatus } from "../database/schema.ts";
import { type VmDetails, vmDetails } from "./job-outcome.ts";
import type { StoredJob } from "./job-store.ts";

/** A job as the API answers it. */
export interface JobView {
  jobId: string;
  agentId: string;
  status: JobStatus;
  mode: JobMode;
  region: string | null;
  createdAt: string;
  updatedAt: string;
  /** The VM once it exists; `deletedAt` is set when `DELETE` removed it. */
  vm:
    | (VmDetails & {
        /** Hetzner's gross price, when known. */
        price: { hourly: string; monthly: string; currency: "EUR" } | null;
        deletedAt: string | null;
      })
    | null;
  error: JobError | null;
  /** Set when the VM is up but something after it (an output such as a webhook) failed. */
  warnings: string[];
}

/** The API's view of a stored job. */
export function jobView({ job, vm }: StoredJob): JobView {
  return {
    jobId: job.jobId,
    agentId: job.agentId,
    status: job.status,
    mode: job.mode,
    region: job.request.region ?? null,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    vm: vm
      ? {
          ...vmDetails(vm),
          price:
            vm.priceHourly && vm.priceMonthly
              ? { hourly: vm.priceHourly, monthly: vm.priceMonthly, currency: "EUR" }
              : null,
          deletedAt: vm.deletedAt?.toISOString() ?? null,
        }
      : null,
    error: job.error,
    warnings: job.warnings,
  };
}
