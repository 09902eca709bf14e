import type { InputIssue, WebhookPayload } from "@tailvm/provisioner";
import { type JobOutcome, vmDetails } from "./job-outcome.ts";

/** What a signed callback says about a job. */
export interface CallbackReport {
  jobId: string;
  outcome: JobOutcome;
}

/**
 * What a verified callback means to this app: a job's outcome (`vm.provisioned`,
 * `vm.provision_failed`), a payload it has no use for (`vm.deprovisioned`: the app deprovisions
 * its VMs itself), or a payload that names no job.
 */
export type CallbackMeaning =
  | { kind: "report"; report: CallbackReport }
  | { kind: "ignored"; reason: string }
  | { kind: "invalid"; issues: InputIssue[] };

const noJob: CallbackMeaning = {
  kind: "invalid",
  issues: [{ field: "data.jobId", message: "must be the id of the job this app dispatched" }],
};

/** Reads a payload `verifyWebhook()` returned into the job it is about and its outcome. */
export function readCallback(payload: WebhookPayload): CallbackMeaning {
  if (payload.type === "vm.deprovisioned") {
    return {
      kind: "ignored",
      reason: "vm.deprovisioned is not used: this app deprovisions its VMs itself",
    };
  }
  const { data } = payload;
  if (data.jobId === null || data.jobId === "") return noJob;
  if (payload.type === "vm.provisioned") {
    return {
      kind: "report",
      report: {
        jobId: data.jobId,
        outcome: {
          status: "succeeded",
          warnings: [],
          vm: vmDetails(payload.data),
        },
      },
    };
  }
  const { phase, code, message } = payload.data;
  return {
    kind: "report",
    report: {
      jobId: data.jobId,
      outcome: { status: "failed", error: { phase, ...(code ? { code } : {}), message } },
    },
  };
}
