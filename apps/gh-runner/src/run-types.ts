import type {
  CleanupReport,
  ProvisionPlan,
  ProvisionResult,
  ReapReport,
} from "@tailvm/provisioner";
import type { OutputName } from "./outputs.js";

/** A process-like emitter of termination signals. */
export interface SignalSource {
  on(event: "SIGTERM" | "SIGINT", listener: () => void): unknown;
  off(event: "SIGTERM" | "SIGINT", listener: () => void): unknown;
}

/**
 * How a run of any mode ended.
 *
 * @example
 * ```ts
 * const exitCode = (outcome: RunOutcome) => (outcome.status === "success" ? 0 : outcome.status === "invalid-inputs" ? 2 : 1);
 * ```
 */
export interface RunOutcome {
  status: "success" | "failure" | "invalid-inputs";
  /** Provision: the VM, when it was provisioned (also when only the callback failed). */
  result?: ProvisionResult;
  /** Deprovision and reap: what was removed, and what could not be. */
  cleanup?: CleanupReport;
  /** Reap: what was found expired. */
  reap?: ReapReport;
  /** Plan: what provision would do. */
  plan?: ProvisionPlan;
  /** The outputs written. */
  outputs: Readonly<Partial<Record<OutputName, string>>>;
  /** True when the run stopped waiting for a rollback that overran its grace; exit now. */
  abandoned: boolean;
}
