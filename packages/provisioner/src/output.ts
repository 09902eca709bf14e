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
 * `signal` is the run's: the caller's `signal` option, so an output that honours it stops when the
 * caller gives up. After a run the caller cancelled it is one that does not abort, so the failure
 * is still delivered. The provisioner always passes it; it is optional so that an output can also
 * be called by hand.
 *
 * @example
 * ```ts
 * const slackOutput: Output = {
 *   name: "slack",
 *   success: async (result, _run, signal) => { await postToSlack(`VM up at ${result.tailscaleIp}`, { signal }); },
 * };
 * ```
 */
export interface Output {
  name: string;
  /** Secret values this output holds (e.g. a webhook secret); every run registers them with its redactor. */
  readonly secrets?: readonly string[];
  success?(result: ProvisionResult, run: RunInfo, signal?: AbortSignal): Promise<void> | void;
  failure?(failure: ProvisionFailure, run: RunInfo, signal?: AbortSignal): Promise<void> | void;
}
