import type { ProvisionContext } from "./context.js";
import type { DeprovisionOptions, DeprovisionTarget } from "./deprovision-vm.js";
import { createProvisioner } from "./provisioner.js";
import type { ReapOptions, ReapReport } from "./reap.js";
import type { CleanupReport, ProvisionOptions, ProvisionResult } from "./types.js";

// One call, one scope: each of these creates a provisioner for itself, so nothing (token, catalog)
// carries over to the next call. Use `createProvisioner` to share them between calls.

/**
 * Creates a Hetzner Cloud VM that joins your tailnet on first boot, waits until it is reachable
 * there, and returns its addresses. On any failure, timeout or abort, everything the run created
 * (server, tailnet device, auth key) is deleted before the `ProvisionError` is thrown.
 *
 * With a `jobId`, calling again for the same job adopts the server already labelled with it.
 * Each call creates its own clients; to share one OAuth token and one server-type listing among
 * many calls, make them through one `createProvisioner(context)`.
 *
 * @throws {ProvisionInputError} for bad options or credentials, before any request.
 * @throws {ProvisionError} when a phase fails; `phase`, `code`, `cause` and `cleanup` say what happened.
 * @throws {ProvisionOutputError} when the VM is up but an output failed; the VM is kept.
 * @example
 * ```ts
 * import { consoleLogger, provisionVM } from "@tailvm/provisioner";
 *
 * const vm = await provisionVM(
 *   { agentId: "agent-42", jobId: "job-1001", region: "eu-central", tailscale: { tags: ["tag:ci"] }, ttl: "2h" },
 *   {
 *     hetzner: { token: process.env.HETZNER_API_TOKEN! },
 *     tailscale: { auth: { oauthClientId: process.env.TS_CLIENT_ID!, oauthClientSecret: process.env.TS_CLIENT_SECRET! } },
 *     logger: consoleLogger(),
 *   },
 * );
 * console.log(`ssh root@${vm.tailscaleIp}`);
 * ```
 */
export async function provisionVM(
  options: ProvisionOptions,
  context: ProvisionContext,
): Promise<ProvisionResult> {
  return createProvisioner(context).provisionVM(options);
}

/**
 * Deletes a tailvm-managed VM (by server id, name or job id) and its tailnet device(s): the
 * tagged devices whose hostname is the server's name. What is already gone counts as deleted, so
 * calling it twice is safe. Servers without the `managed-by=tailvm` label are refused.
 *
 * With `{ serverId, name }`, a server that no longer exists still has its devices found by `name`
 * (unless another server now holds that name: then the devices are its and are kept); a live
 * server whose name differs from `name` is refused (code `name_mismatch`).
 *
 * @returns what was removed.
 * @throws {DeprovisionError} when something could not be deleted (see `cleanup.failed`).
 * @example
 * ```ts
 * const report = await deprovisionVM({ jobId: "job-1001" }, context);
 * console.log(report.removed); // [{ resource: "server", id: "4200001" }, { resource: "device", id: "n7CNTRL" }]
 * ```
 */
export async function deprovisionVM(
  target: DeprovisionTarget,
  context: ProvisionContext,
  options: DeprovisionOptions = {},
): Promise<CleanupReport> {
  return createProvisioner(context).deprovisionVM(target, options);
}

/**
 * The safety net for runs that crashed before they could roll back: deletes tailvm-managed
 * servers whose `tailvm/expires-at` label has passed, their tailnet devices, and offline devices
 * carrying one of `tags` whose server is gone. Run it on a schedule; `dryRun` only reports.
 *
 * @example
 * ```ts
 * const report = await reap({ dryRun: true, tags: ["tag:ci"] }, context);
 * console.log(report.expiredServers, report.devices);
 * await reap({ tags: ["tag:ci"] }, context); // now delete them
 * ```
 */
export async function reap(options: ReapOptions, context: ProvisionContext): Promise<ReapReport> {
  return createProvisioner(context).reap(options);
}
