import type { InputIssue } from "@tailvm/provisioner";
import type { JobOutcome } from "./job-outcome.ts";

/** What a signed callback says about a job. */
export interface CallbackReport {
  jobId: string;
  outcome: JobOutcome;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const SNAKE_CASE: Record<string, string> = {
  job_id: "jobId",
  server_id: "serverId",
  server_name: "serverName",
  server_type: "serverType",
  server_ip: "serverIpv4",
  tailscale_ip: "tailscaleIp",
  tailscale_hostname: "tailscaleHostname",
  tailscale_device_id: "tailscaleDeviceId",
};

/**
 * The callback's fields in one shape. The tailvm GitHub Action sends snake_case
 * (`{ status: "success", job_id, server_id, tailscale_ip, ... }`); `webhookOutput`'s default body
 * is `{ type: "provision.succeeded" | "provision.failed", data: <result or failure> }`.
 */
function normalise(payload: Record<string, unknown>): Record<string, unknown> | undefined {
  if (typeof payload.type === "string" && isRecord(payload.data)) {
    const status =
      payload.type === "provision.succeeded"
        ? "success"
        : payload.type === "provision.failed"
          ? "failure"
          : payload.type;
    return { ...payload.data, status };
  }
  if (typeof payload.status !== "string") return undefined;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) fields[SNAKE_CASE[key] ?? key] = value;
  return fields;
}

/**
 * Reads a verified callback body into the job it is about and its outcome; every missing or
 * mistyped field is an issue naming it (by its camelCase name, whichever shape was sent).
 */
export function parseCallbackReport(
  payload: unknown,
): { ok: true; report: CallbackReport } | { ok: false; issues: InputIssue[] } {
  const fields = isRecord(payload) ? normalise(payload) : undefined;
  if (!fields) {
    return {
      ok: false,
      issues: [
        {
          field: "(body)",
          message:
            'must be the tailvm action\'s callback ({ "status": "success", "job_id": ... }) or webhookOutput\'s ({ "type": "provision.succeeded", "data": ... })',
        },
      ],
    };
  }
  const issues: InputIssue[] = [];
  const text = (field: string, nullable: boolean): string | null => {
    const value = fields[field];
    if (typeof value === "string" && value !== "") return value;
    if (nullable && (value === null || value === undefined)) return null;
    issues.push({
      field,
      message: nullable ? "must be a string or null" : "must be a non-empty string",
    });
    return null;
  };
  const jobId = text("jobId", false) ?? "";
  if (fields.status === "success") {
    const serverId = fields.serverId;
    if (typeof serverId !== "number" || !Number.isSafeInteger(serverId) || serverId <= 0) {
      issues.push({ field: "serverId", message: "must be a positive integer" });
    }
    const vm = {
      serverId: Number(serverId),
      serverName: text("serverName", false) ?? "",
      serverType: text("serverType", false) ?? "",
      location: text("location", false) ?? "",
      serverIpv4: text("serverIpv4", true),
      tailscaleIp: text("tailscaleIp", true),
      tailscaleHostname: text("tailscaleHostname", true),
      tailscaleDeviceId: text("tailscaleDeviceId", true),
      adopted: fields.adopted === true,
    };
    if (issues.length > 0) return { ok: false, issues };
    return { ok: true, report: { jobId, outcome: { status: "succeeded", vm, warnings: [] } } };
  }
  if (fields.status === "failure") {
    const phase = text("phase", true);
    const message = text("message", false) ?? "";
    const code = text("code", true);
    if (issues.length > 0) return { ok: false, issues };
    return {
      ok: true,
      report: {
        jobId,
        outcome: {
          status: "failed",
          error: { ...(phase ? { phase } : {}), ...(code ? { code } : {}), message },
        },
      },
    };
  }
  issues.push({ field: "status", message: 'must be "success" or "failure"' });
  return { ok: false, issues };
}
