import { formatDuration } from "@tailvm/internal";
import type { CleanupReport, Phase, ProvisionResult } from "@tailvm/provisioner";

/** One finished phase and how long it took. */
export interface PhaseTiming {
  phase: Phase;
  durationMs: number;
  ok: boolean;
}

/** What the summary needs to know about a failed run. */
export interface FailureSummary {
  phase: Phase | "inputs" | "callback" | "deprovision" | "reap";
  message: string;
  cleanup?: CleanupReport;
  serverKept?: { id: number | string; name?: string };
}

/** The fields of a provision's result that its summary shows. */
export type SummarizedResult = Pick<
  ProvisionResult,
  | "serverName"
  | "serverId"
  | "serverIpv4"
  | "tailscaleIp"
  | "tailscaleHostname"
  | "location"
  | "serverType"
  | "agentId"
  | "jobId"
  | "totalMs"
  | "adopted"
>;

/**
 * The job summary (markdown) of a successful run: a table of the result and one of phase timings.
 *
 * @example
 * ```ts
 * await reporter.writeSummary(successSummary(result, timings));
 * ```
 */
export function successSummary(result: SummarizedResult, timings: PhaseTiming[]): string {
  const rows: [string, string][] = [
    ["Server", `${result.serverName} (id ${result.serverId})`],
    ["Public IPv4", result.serverIpv4 ?? "none"],
    ["Tailnet IP", result.tailscaleIp],
    ["Tailnet hostname", result.tailscaleHostname],
    ["Location", `${result.location} (${result.serverType})`],
    ["Agent", result.agentId],
    ["Job", result.jobId ?? "none"],
    ["Total", formatDuration(result.totalMs)],
  ];
  if (result.adopted) rows.push(["Adopted", "yes: the server for this job already existed"]);
  return [
    "## tailvm: agent VM ready",
    "",
    table(["", ""], rows),
    "",
    "### Phase timings",
    "",
    timingsTable(timings),
    "",
  ].join("\n");
}

/**
 * The job summary (markdown) of a failed run: the phase, the message, what was rolled back.
 *
 * @example
 * ```ts
 * await reporter.writeSummary(failureSummary({ phase: "device-join", message }, timings));
 * ```
 */
export function failureSummary(failure: FailureSummary, timings: PhaseTiming[]): string {
  const rows: [string, string][] = [
    ["Phase", failure.phase],
    ["Error", failure.message],
  ];
  if (failure.cleanup) {
    const removed = failure.cleanup.removed.map((item) => `${item.resource} ${item.id}`);
    const failed = failure.cleanup.failed.map(
      (item) => `${item.resource} ${item.id} (${item.reason})`,
    );
    rows.push(["Rolled back", removed.length > 0 ? removed.join(", ") : "nothing to remove"]);
    if (failed.length > 0) rows.push(["Could not remove", failed.join(", ")]);
  }
  if (failure.serverKept) {
    const name = failure.serverKept.name ? ` ${failure.serverKept.name}` : "";
    rows.push(["Server kept", `${failure.serverKept.id}${name}`]);
  }
  const parts = ["## tailvm: provisioning failed", "", table(["", ""], rows), ""];
  if (timings.length > 0) parts.push("### Phase timings", "", timingsTable(timings), "");
  return parts.join("\n");
}

function timingsTable(timings: PhaseTiming[]): string {
  return table(
    ["Phase", "Duration", "Result"],
    timings.map((timing) => [
      timing.phase,
      formatDuration(timing.durationMs),
      timing.ok ? "ok" : "failed",
    ]),
  );
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

/**
 * The job summary (markdown) of a deprovision or reap: what was removed, what could not be.
 *
 * @example
 * ```ts
 * await reporter.writeSummary(cleanupSummary("VM deprovisioned", cleanup));
 * ```
 */
export function cleanupSummary(title: string, cleanup: CleanupReport, error?: string): string {
  const removed = cleanup.removed.map((item) => `${item.resource} ${item.id}`);
  const rows: [string, string][] = [
    ["Removed", removed.length > 0 ? removed.join(", ") : "nothing"],
  ];
  if (cleanup.failed.length > 0) {
    rows.push([
      "Could not remove",
      cleanup.failed.map((item) => `${item.resource} ${item.id} (${item.reason})`).join(", "),
    ]);
  }
  if (error) rows.push(["Error", error]);
  return [`## tailvm: ${title}`, "", table(["", ""], rows), ""].join("\n");
}
