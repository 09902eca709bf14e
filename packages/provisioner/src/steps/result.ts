import type { Server } from "@tailvm/hetzner-client";
import { errorMessage } from "@tailvm/internal";
import type { EnrolledDevice } from "@tailvm/tailscale-client";
import { ProvisionOutputError } from "../errors.js";
import { priceIn } from "../machine.js";
import type { Output } from "../output.js";
import type { Run } from "../run.js";
import type { PricedCandidate, ProvisionResult } from "../types.js";

/**
 * Calls `deliver` on every output, one after the other; returns the redacted failures. A failing
 * output is reported as a warning and does not keep the others from running.
 */
export async function callOutputs(
  run: Run,
  deliver: (output: Output) => Promise<void> | void,
): Promise<{ failures: { output: string; message: string }[]; firstCause: unknown }> {
  const failures: { output: string; message: string }[] = [];
  let firstCause: unknown;
  for (const output of run.outputs) {
    try {
      await deliver(output);
    } catch (error) {
      firstCause ??= error;
      const message = run.reporter.redactor.redact(errorMessage(error));
      failures.push({ output: output.name, message });
      run.reporter.emit({ type: "warning", message: `output ${output.name} failed: ${message}` });
    }
  }
  return { failures, firstCause };
}

/** The ranked candidates after the one the server was created at. */
function behind(candidates: readonly PricedCandidate[], server: Server): PricedCandidate[] {
  const index = candidates.findIndex(
    (candidate) =>
      candidate.serverType === server.server_type.name &&
      candidate.location === server.location.name,
  );
  return index === -1 ? [] : candidates.slice(index + 1).map((candidate) => ({ ...candidate }));
}

/**
 * Builds the result of a successful run, announces it and hands it to every output, with the
 * caller's signal (an output that honours it stops when the caller gives up).
 *
 * @throws {ProvisionOutputError} when an output failed; the VM is kept.
 */
export async function deliverResult(
  run: Run,
  server: Server,
  device: EnrolledDevice,
): Promise<ProvisionResult> {
  const { options, reporter } = run;
  const result: ProvisionResult = reporter.redactor.redactValue({
    serverId: server.id,
    serverName: server.name,
    serverIpv4: server.public_net.ipv4?.ip ?? null,
    serverIpv6: server.public_net.ipv6?.ip ?? null,
    location: server.location.name,
    serverType: server.server_type.name,
    price: priceIn(server.server_type, server.location.name),
    alternatives: behind(run.candidates, server),
    tailscaleIp: device.ipv4,
    tailscaleIpv6: device.ipv6 ?? null,
    tailscaleHostname: device.hostname,
    tailscaleDeviceId: device.nodeId,
    agentId: options.agentId,
    jobId: options.jobId,
    adopted: run.adopted,
    timings: run.timings(),
    totalMs: run.totalMs(),
  });
  reporter.emit({ type: "result", result });

  const info = run.info();
  const signal = options.signal ?? new AbortController().signal;
  const { failures, firstCause } = await callOutputs(run, (output) =>
    output.success?.(result, info, signal),
  );
  if (failures.length > 0) throw new ProvisionOutputError(result, failures, firstCause);
  return result;
}
