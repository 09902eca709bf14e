import type { ProvisionContext } from "./context.js";
import {
  type DeprovisionOptions,
  type DeprovisionTarget,
  deprovisionInScope,
} from "./deprovision-vm.js";
import type { Output } from "./output.js";
import { type ProvisionPlan, plan } from "./plan.js";
import { provisionInScope } from "./provision-vm.js";
import { type ReapOptions, type ReapReport, reapInScope } from "./reap.js";
import { createScope } from "./scope.js";
import type { CleanupReport, ProvisionEvent, ProvisionOptions, ProvisionResult } from "./types.js";

/**
 * Hooks of one `provisionVM` call made through a provisioner, added to the provisioner's own.
 *
 * @example
 * ```ts
 * await provisioner.provisionVM(options, { outputs: [webhookOutput({ url: job.callbackUrl, secret })] });
 * ```
 */
export interface ProvisionCallOptions {
  /** Outputs for this call only, after the provisioner's. */
  outputs?: Output[];
  /** This call's events (the provisioner's `onEvent` hears them too). */
  onEvent?: (event: ProvisionEvent) => void;
  /** This call's secrets, after the provisioner's `onSecret`; a throw fails (and rolls back) the run. */
  onSecret?: (value: string) => void;
}

/**
 * A provisioner: the calls of `@tailvm/provisioner` bound to one scope, which owns the Hetzner and
 * Tailscale clients, one OAuth token, one catalog answer (server types for 60 s, an image name for 10 min) and the routing of
 * retry events. Nothing is shared between two provisioners.
 *
 * @example
 * ```ts
 * const provisioner: Provisioner = createProvisioner(context);
 * const [a, b] = await Promise.all([provisioner.provisionVM(first), provisioner.provisionVM(second)]);
 * ```
 */
export interface Provisioner {
  /** Like the `provisionVM` function, with this provisioner's clients, clock and hooks. */
  provisionVM(options: ProvisionOptions, call?: ProvisionCallOptions): Promise<ProvisionResult>;
  /** Like the `plan` function; `now` defaults to this provisioner's clock. */
  plan(options: ProvisionOptions, planOptions?: { now?: number }): ProvisionPlan;
  /** Like the `deprovisionVM` function, with this provisioner's clients. */
  deprovisionVM(target: DeprovisionTarget, options?: DeprovisionOptions): Promise<CleanupReport>;
  /** Like the `reap` function, with this provisioner's clients. */
  reap(options: ReapOptions): Promise<ReapReport>;
}

/**
 * Creates a provisioner. Given credentials, it creates one Hetzner and one Tailscale client (with
 * its clock) that every call through it shares: concurrent runs spend one OAuth token and one
 * `GET /server_types` per minute, and each client retry reaches the loggers as a `retry` event of
 * the run it belongs to (a request naming a run's server, key or device, or the only run in
 * flight). Given client instances, it uses them; their retries go to the `onRetry` you gave them.
 *
 * Create one per process, tenant or test; the plain `provisionVM`, `plan`, `deprovisionVM` and
 * `reap` functions each create their own for one call.
 *
 * @throws {ProvisionInputError} naming `context.hetzner` or `context.tailscale` when unusable.
 * @example
 * ```ts
 * import { consoleLogger, createProvisioner } from "@tailvm/provisioner";
 *
 * const provisioner = createProvisioner({
 *   hetzner: { token: process.env.HETZNER_API_TOKEN! },
 *   tailscale: { auth: { oauthClientId: process.env.TS_CLIENT_ID!, oauthClientSecret: process.env.TS_CLIENT_SECRET! } },
 *   logger: consoleLogger(),
 * });
 * const vms = await Promise.all(
 *   ["job-1", "job-2"].map((jobId) =>
 *     provisioner.provisionVM({ agentId: "agent-42", jobId, tailscale: { tags: ["tag:ci"] }, ttl: "2h" }),
 *   ),
 * );
 * await provisioner.reap({ tags: ["tag:ci"] });
 * ```
 */
export function createProvisioner(context: ProvisionContext): Provisioner {
  const scope = createScope(context);
  return {
    provisionVM: (options, call) => provisionInScope(scope, options, call),
    plan: (options, planOptions = {}) =>
      plan(options, { now: planOptions.now ?? scope.clock.now() }),
    deprovisionVM: (target, options) => deprovisionInScope(scope, target, options),
    reap: (options) => reapInScope(scope, options),
  };
}
