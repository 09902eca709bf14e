import {
  type InputIssue,
  ProvisionInputError,
  type ProvisionOptions,
  validateProvisionOptions,
} from "@tailvm/provisioner";
import type { JobRequest } from "./database/schema.ts";

/** What a caller of `POST /api/vms` may set; everything else is the server's decision. */
const FIELDS = {
  agentId: "string",
  jobId: "string",
  region: "string",
  serverType: "string",
  image: "string",
  ttl: "string or number",
} as const;

type Field = keyof typeof FIELDS;

/**
 * The ttl of a VM whose request names none: it is written to the server's `tailvm/expires-at`
 * label, so `reap()` can delete a VM this app lost track of (a crash mid-provision, a job nobody
 * deprovisioned).
 */
export const DEFAULT_TTL = "2h";

export type VmRequestParse =
  | { ok: true; jobId: string; request: JobRequest; options: ProvisionOptions & { jobId: string } }
  | { ok: false; issues: InputIssue[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Checks the JSON body of `POST /api/vms` and turns it into provisioner options. Every problem is
 * reported at once, each naming its field. Fields the caller may not set (tags, cloud-init, SSH
 * keys, labels) are refused rather than ignored: tags decide tailnet access, and cloud-init runs as
 * root on the VM.
 */
export function parseVmRequest(
  body: unknown,
  defaults: { tags: string[]; newJobId: () => string; ttl?: string | number },
): VmRequestParse {
  if (!isRecord(body)) {
    return {
      ok: false,
      issues: [{ field: "(body)", message: 'must be a JSON object such as {"agentId":"a1"}' }],
    };
  }
  const issues: InputIssue[] = [];
  for (const key of Object.keys(body)) {
    if (!(key in FIELDS)) {
      issues.push({
        field: key,
        message: `is not accepted here; the fields are ${Object.keys(FIELDS).join(", ")}`,
      });
    }
  }
  for (const [field, kind] of Object.entries(FIELDS) as [Field, string][]) {
    const value = body[field];
    if (value === undefined) {
      if (field === "agentId") issues.push({ field, message: "is required (a string)" });
      continue;
    }
    const fits =
      typeof value === "string" || (kind === "string or number" && typeof value === "number");
    if (!fits) issues.push({ field, message: `must be a ${kind}` });
  }
  if (issues.length > 0) return { ok: false, issues };

  const jobId = typeof body.jobId === "string" ? body.jobId : defaults.newJobId();
  const { jobId: _jobId, ...fields } = body;
  const request = {
    ...(defaults.ttl === undefined ? {} : { ttl: defaults.ttl }),
    ...fields,
    tags: defaults.tags,
  } as JobRequest;
  try {
    return { ok: true, jobId, request, options: provisionOptions(jobId, request) };
  } catch (error) {
    if (error instanceof ProvisionInputError) return { ok: false, issues: error.issues };
    throw error;
  }
}

/**
 * The provisioner's options for a stored job (the same on the first run and on a resumed one,
 * which adopts the server labelled with the job id). Throws `ProvisionInputError` on bad values.
 */
export function provisionOptions(
  jobId: string,
  request: JobRequest,
): ProvisionOptions & { jobId: string } {
  const { tags, ...fields } = request;
  return {
    ...validateProvisionOptions({ ...fields, jobId, tailscale: { tags, ephemeral: true } }),
    jobId,
  };
}
