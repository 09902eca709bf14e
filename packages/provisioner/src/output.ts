import type { ProvisionFailure, ProvisionResult, RunInfo } from "./types.js";

/**
 * How a run ended, as outputs see it.
 *
 * @example
 * ```ts
 * const describe = (outcome: ProvisionOutcome) =>
 *   outcome.status === "success" ? outcome.result.tailscaleIp : outcome.failure.phase;
 * ```
 */
export type ProvisionOutcome =
  | { status: "success"; result: ProvisionResult; run: RunInfo }
  | { status: "failure"; failure: ProvisionFailure; run: RunInfo };

/**
 * Receives the result (or the failure) of a run, already redacted. An output that throws makes
 * {@link provisionVM} throw a `ProvisionOutputError` after success (the VM is kept), and is reported
 * as a warning after a failure.
 *
 * @example
 * ```ts
 * const slackOutput: Output = {
 *   name: "slack",
 *   success: async (result) => { await postToSlack(`VM up at ${result.tailscaleIp}`); },
 * };
 * ```
 */
export interface Output {
  name: string;
  /** Secret values this output holds (e.g. a webhook secret); every run registers them with its redactor. */
  readonly secrets?: readonly string[];
  success?(result: ProvisionResult, run: RunInfo): Promise<void> | void;
  failure?(failure: ProvisionFailure, run: RunInfo): Promise<void> | void;
}
