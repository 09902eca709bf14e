import { redactCredentialShapes } from "@tailvm/internal";
import type { BootCheckResult } from "./boot-result.js";

const indent = (lines: string[]) => lines.map((line) => `  ${line}`);

/**
 * A readable report of one boot: the verdict, the modules cloud-init ran (failed ones marked),
 * every error, the files `write_files` wrote (mode, owner, size), what happened to Tailscale (the
 * keyring, the package, each `tailscale up` argument and the key file's state then), failed
 * units and boot reports received. Anything shaped like a credential (a `tskey-...` auth key
 * passed on a command line, a bearer token) shows as `***`.
 *
 * @example
 * ```ts
 * process.stdout.write(formatBootCheckReport(await bootCheck({ userData })));
 * // boot check: debian-12, cloud-init 22.4.2: done (ok) in 142 s
 * // modules: init: seed_random, bootcmd, write-files, ...
 * ```
 */
export function formatBootCheckReport(result: BootCheckResult): string {
  const version = result.cloudInitVersion ?? "unknown";
  const verdict = result.ok ? "ok" : "NOT ok";
  const lines = [
    `boot check: ${result.image}, cloud-init ${version}: ${result.status} (${verdict})${result.timedOut ? ", TIMED OUT" : ""} in ${Math.round(result.durationMs / 1000)} s`,
    `schema: ${result.schema === null ? "not checked (the collector did not run)" : result.schema.valid ? "valid" : `INVALID\n${indent(result.schema.output.split("\n")).join("\n")}`}`,
  ];
  const stages = [...new Set(result.modules.map((module) => module.stage))];
  lines.push("modules:");
  for (const stage of stages) {
    const names = result.modules
      .filter((module) => module.stage === stage)
      .map((module) => (module.failed ? `${module.name} (FAILED)` : module.name));
    lines.push(`  ${stage}: ${names.join(", ")}`);
  }
  lines.push(result.failures.length === 0 ? "failures: none" : "failures:");
  for (const failure of result.failures) {
    const error = failure.error.replaceAll("\\n", "\n").split("\n").slice(0, 6);
    lines.push(
      `  ${failure.stage} / ${failure.module ?? "(no module)"}:`,
      ...indent(indent(error)),
    );
  }
  lines.push(result.files.length === 0 ? "files written: none" : "files written:");
  for (const file of result.files) {
    lines.push(
      file.exists
        ? `  ${file.path}  ${file.mode} ${file.owner} ${file.size} bytes`
        : `  ${file.path}  (absent at the end)`,
    );
  }
  const { tailscale } = result;
  lines.push(
    "tailscale:",
    `  keyring: ${tailscale.keyringInstalled ? "installed" : "not installed"}`,
    ...indent(indent(tailscale.keyringLog)),
    `  package: ${tailscale.installedVersion ?? "not installed"}`,
  );
  if (tailscale.up === null) lines.push("  tailscale up: never ran");
  else {
    lines.push("  tailscale up:", ...indent(indent(tailscale.up.argv.slice(1))));
    const key = tailscale.up.authKeyFile;
    if (key !== undefined) {
      lines.push(
        `  key file then: ${key.exists ? `${key.path} ${key.mode} ${key.owner}` : `${key.path} MISSING`}`,
      );
    }
  }
  lines.push(
    `failed units: ${result.failedUnits.length === 0 ? "none" : result.failedUnits.join(", ")}`,
  );
  if (result.bootReports.length > 0) {
    lines.push("boot reports received:");
    for (const report of result.bootReports) {
      const body = report.body as { result?: string; failed?: { module?: string } | null };
      lines.push(
        `  ${report.path}: ${body.result ?? "?"}${body.failed ? ` (failed: ${body.failed.module})` : ""}`,
      );
    }
  }
  return `${redactCredentialShapes(lines.join("\n"))}\n`;
}
