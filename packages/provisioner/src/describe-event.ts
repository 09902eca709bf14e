import { formatDuration } from "@tailvm/internal";
import type { LogLevel } from "./logger.js";
import type { CleanupReport, ProvisionEvent } from "./types.js";

function describeCleanup(cleanup: CleanupReport): string {
  const removed = cleanup.removed.map((item) => `${item.resource} ${item.id}`).join(", ");
  const failed = cleanup.failed
    .map((item) => `${item.resource} ${item.id} (${item.reason})`)
    .join(", ");
  const parts = [`removed: ${removed || "nothing"}`];
  if (failed) parts.push(`NOT removed, delete by hand: ${failed}`);
  return parts.join("; ");
}

/** The level and one readable line (or a few) for an event. */
export function describeEvent(event: ProvisionEvent): { level: LogLevel; message: string } {
  switch (event.type) {
    case "phase-start":
      return { level: "debug", message: `${event.phase} ...` };
    case "phase-end":
      return event.ok
        ? { level: "info", message: `${event.phase} done in ${formatDuration(event.durationMs)}` }
        : {
            level: "warn",
            message: `${event.phase} failed after ${formatDuration(event.durationMs)}`,
          };
    case "retry": {
      const why = [event.status, event.code].filter((part) => part !== undefined).join(" ");
      return {
        level: "info",
        message: `retry ${event.attempt} of ${event.api} ${event.method} ${event.path} in ${formatDuration(event.delayMs)}${why ? ` (${why})` : ""}: ${event.reason}`,
      };
    }
    case "warning":
      return {
        level: "warn",
        message: event.phase ? `${event.phase}: ${event.message}` : event.message,
      };
    case "resource-created":
      return {
        level: "info",
        message: `created ${event.resource} ${event.id}${event.name ? ` (${event.name})` : ""}`,
      };
    case "resource-deleted":
      return { level: "info", message: `deleted ${event.resource} ${event.id}` };
    case "result": {
      const result = event.result;
      const timings = Object.entries(result.timings)
        .map(([phase, ms]) => `${phase} ${formatDuration(ms)}`)
        .join(", ");
      return {
        level: "info",
        message: [
          `${result.adopted ? "adopted" : "provisioned"} ${result.serverName} (server ${result.serverId}, ${result.serverType} in ${result.location}${result.price ? ` at €${result.price.monthly.toFixed(2)}/month + VAT` : ""}) in ${formatDuration(result.totalMs)}`,
          `tailnet: ${result.tailscaleIp} as ${result.tailscaleHostname}; public: ${result.serverIpv4 ?? "none"}`,
          `timings: ${timings}`,
        ].join("\n"),
      };
    }
    case "failure":
      return {
        level: "error",
        message: `failed in ${event.phase}${event.code ? ` [${event.code}]` : ""}: ${event.message}\ncleanup: ${describeCleanup(event.cleanup)}`,
      };
  }
}
