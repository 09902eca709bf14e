import type { BootCheckResult } from "./boot-result.js";
import type { BootImage } from "./images.js";
import {
  failedUnitsFrom,
  failuresFromStatus,
  filesFrom,
  installedVersionFrom,
  isOk,
  modulesFromLog,
  parseCollectorResult,
  statusFrom,
  tailscaleCallsFrom,
} from "./parse-results.js";
import type { RepositoryServer } from "./repository-server.js";
import type { VmRun } from "./run-vm.js";

const KEYRING_LOG_PREFIX = "tailvm: tailscale keyring:";

/** One boot's result from what was read back from its disk, the VM run and its server. */
export function assembleResult(input: {
  image: BootImage;
  instanceId: string;
  vm: VmRun;
  files: ReadonlyMap<string, string>;
  server: Pick<RepositoryServer, "reports" | "requests">;
  userData: string;
}): BootCheckResult {
  const { files, vm } = input;
  const collected = parseCollectorResult(files.get("result.json"));
  const cloudInitLog = files.get("cloud-init.log") ?? files.get("logs/cloud-init.log") ?? "";
  const output =
    files.get("cloud-init-output.log") ?? files.get("logs/cloud-init-output.log") ?? "";
  const calls = tailscaleCallsFrom(files.get("tailscale-stub.jsonl"));
  const partial: Omit<BootCheckResult, "ok"> = {
    image: input.image,
    instanceId: input.instanceId,
    cloudInitVersion: collected?.cloudInitVersion ?? null,
    status: statusFrom(collected),
    timedOut: vm.timedOut,
    durationMs: vm.durationMs,
    uptimeSeconds: collected?.uptimeSeconds ?? null,
    schema:
      collected === undefined
        ? null
        : {
            valid: collected.schema.code === 0,
            output: `${collected.schema.stdout}${collected.schema.stderr}`.trim(),
          },
    modules: modulesFromLog(cloudInitLog),
    failures: failuresFromStatus(collected?.statusJson),
    files: filesFrom(collected),
    tailscale: {
      installedVersion: installedVersionFrom(collected),
      keyringInstalled: collected?.tailscale.keyring.exists === true,
      keyringLog: output.split("\n").filter((line) => line.startsWith(KEYRING_LOG_PREFIX)),
      calls,
      up: calls.find((call) => call.argv[0] === "up") ?? null,
      tailscaledActive: collected?.tailscale.tailscaled.stdout.trim() === "active",
    },
    failedUnits: failedUnitsFrom(collected),
    bootReports: [...input.server.reports],
    requests: [...input.server.requests],
    userData: input.userData,
    logs: {
      cloudInit: cloudInitLog,
      output,
      console: vm.consoleLog,
      journal: files.get("journal.txt") ?? "",
    },
  };
  return { ...partial, ok: isOk(partial) };
}
