import { ProvisionError, ProvisionOutputError, type ProvisionResult } from "@tailvm/provisioner";
import type { JobError } from "../database/schema.ts";

/** How a job ended: the VM it made (with warnings), or why it failed. */
export type JobOutcome =
  | { status: "succeeded"; vm: VmDetails; warnings: string[] }
  | { status: "failed"; error: JobError; vm?: undefined };

/** What the app keeps about a VM: from a `ProvisionResult`, or what a callback reported. */
export interface VmDetails {
  serverId: number;
  serverName: string;
  serverType: string;
  location: string;
  serverIpv4: string | null;
  tailscaleIp: string | null;
  tailscaleHostname: string | null;
  tailscaleDeviceId: string | null;
  adopted: boolean;
}

/** The {@link VmDetails} of anything that has them (a `ProvisionResult`, a webhook's data, a row). */
export function vmDetails(vm: VmDetails): VmDetails {
  return {
    serverId: vm.serverId,
    serverName: vm.serverName,
    serverType: vm.serverType,
    location: vm.location,
    serverIpv4: vm.serverIpv4,
    tailscaleIp: vm.tailscaleIp,
    tailscaleHostname: vm.tailscaleHostname,
    tailscaleDeviceId: vm.tailscaleDeviceId,
    adopted: vm.adopted,
  };
}

/**
 * The outcome of a settled `provisionVM()`: `succeeded` with the VM, also when only an output
 * failed after it (the VM is up: a warning says what failed), or `failed` with the phase.
 */
export function jobOutcome(outcome: { result: ProvisionResult } | { error: unknown }): JobOutcome {
  if ("result" in outcome) return { status: "succeeded", vm: outcome.result, warnings: [] };
  const { error } = outcome;
  if (error instanceof ProvisionOutputError) {
    return {
      status: "succeeded",
      vm: error.result,
      warnings: error.failures.map(
        (failure) => `The VM is up, but output ${failure.output} failed: ${failure.message}`,
      ),
    };
  }
  // ProvisionError messages are redacted by the provisioner; other errors are not shown.
  return {
    status: "failed",
    error:
      error instanceof ProvisionError
        ? {
            phase: error.phase,
            ...(error.code ? { code: error.code } : {}),
            message: error.message,
          }
        : { message: "Provisioning failed unexpectedly; see the server log." },
  };
}
