import { randomUUID } from "node:crypto";
import type { Provisioner } from "@tailvm/provisioner";
import { after } from "next/server";
import { ConfigurationError, sharedProvisioner, tailscaleTags } from "../../../lib/environment";
import { finishedJob, jobStore, startRunningJob } from "../../../lib/jobs";
import { DEFAULT_TTL, parseVmRequest } from "../../../lib/vm-request";

// The provisioner uses node:crypto: this route needs the Node.js runtime.
export const runtime = "nodejs";
// Provisioning continues after the response (see `after` below); where the platform bounds a
// route's run time, give it the few minutes a boot and tailnet join can take.
export const maxDuration = 300;

/**
 * Starts provisioning a VM and answers 202 with the job id at once; `GET /api/vms/<jobId>` tells
 * how it goes. A VM takes about a minute to boot and join the tailnet, longer than many proxies and
 * platforms keep a request open.
 */
export async function POST(request: Request): Promise<Response> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json(
      {
        error: "The body is not JSON.",
        issues: [{ field: "(body)", message: 'must be a JSON object such as {"agentId":"a1"}' }],
      },
      { status: 400 },
    );
  }

  let provisioner: Provisioner;
  try {
    provisioner = sharedProvisioner();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      return Response.json({ error: error.message }, { status: 500 });
    }
    throw error;
  }

  const parsed = parseVmRequest(body, {
    tags: tailscaleTags(),
    newJobId: () => randomUUID(),
    ttl: DEFAULT_TTL,
  });
  if (!parsed.ok) {
    return Response.json(
      {
        error: `Invalid request: ${parsed.issues.map((issue) => issue.field).join(", ")}.`,
        issues: parsed.issues,
      },
      { status: 400 },
    );
  }

  const { jobId } = parsed.options;
  const { jobs } = jobStore();
  const existing = jobs.get(jobId);
  if (existing && existing.status !== "failed") {
    return Response.json(existing, {
      status: 202,
      headers: { Location: `/api/vms/${encodeURIComponent(jobId)}` },
    });
  }

  const startedAt = new Date().toISOString();
  const job = { jobId, status: "provisioning", startedAt } as const;
  jobs.set(jobId, job);
  // Registered now, not inside after(): a shutdown from here on rolls this job back.
  const running = startRunningJob(jobId);
  after(async () => {
    try {
      const result = await provisioner.provisionVM({ ...parsed.options, signal: running.signal });
      jobs.set(jobId, finishedJob(job, { result }));
    } catch (error) {
      jobs.set(jobId, finishedJob(job, { error }));
    } finally {
      running.finish();
    }
  });

  return Response.json(job, {
    status: 202,
    headers: { Location: `/api/vms/${encodeURIComponent(jobId)}` },
  });
}
