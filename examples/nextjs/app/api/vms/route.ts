import { randomUUID } from "node:crypto";
import { after } from "next/server";
import {
  ConfigurationError,
  dispatchSettings,
  provisioningContext,
  provisionMode,
  tailscaleTags,
} from "../../../lib/environment.ts";
import { authenticate, configurationProblem, invalidRequest } from "../../../lib/http-responses.ts";
import { dispatchJob } from "../../../lib/jobs/dispatch-job.ts";
import { findJob, insertJob, listJobs } from "../../../lib/jobs/job-store.ts";
import { jobView } from "../../../lib/jobs/job-view.ts";
import { runLocalJob } from "../../../lib/jobs/run-local-job.ts";
import { startRunningJob } from "../../../lib/jobs/running-jobs.ts";
import { checkQueryNames, parseListQuery } from "../../../lib/list-query.ts";
import { DEFAULT_TTL, parseVmRequest } from "../../../lib/vm-request.ts";

// provisionVM uses node:crypto and node:async_hooks, the database node:fs: the Node.js runtime.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";
// Provisioning continues after the response (see `after` below); where the platform bounds a
// route's run time, give it the few minutes a boot and tailnet join can take.
export const maxDuration = 300;

/** The caller's VMs, newest first: `?status=succeeded,failed` and `?limit=` narrow the list. */
export async function GET(request: Request): Promise<Response> {
  const auth = await authenticate(request);
  if (!auth.ok) return auth.response;
  const parsed = parseListQuery(new URL(request.url));
  if (!parsed.ok) return invalidRequest(parsed.issues);
  const stored = await listJobs(auth.database.db, auth.caller.id, parsed.query);
  return Response.json({ vms: stored.map(jobView) });
}

/**
 * Writes the job, then starts provisioning it (in this process, or by dispatching the GitHub
 * workflow) and answers 202 with the job at once; `GET /api/vms/<jobId>` tells how it goes. A VM
 * takes about a minute to boot and join the tailnet, longer than many proxies keep a request open.
 */
export async function POST(request: Request): Promise<Response> {
  const auth = await authenticate(request);
  if (!auth.ok) return auth.response;
  const queryIssues = checkQueryNames(new URL(request.url), []);
  if (queryIssues.length > 0) return invalidRequest(queryIssues);

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

  let start: () => Promise<unknown>;
  let mode: ReturnType<typeof provisionMode>;
  try {
    mode = provisionMode();
    if (mode === "dispatch") {
      const settings = dispatchSettings();
      start = () => dispatchJob(auth.database, jobId, settings);
    } else {
      const context = provisioningContext();
      start = async () => {
        // Registered now, not inside after(): a shutdown from here on rolls this job back.
        const handle = startRunningJob(jobId);
        if (handle) after(() => runLocalJob(auth.database, jobId, { context, handle }));
      };
    }
  } catch (error) {
    if (error instanceof ConfigurationError) return configurationProblem(error);
    throw error;
  }

  const parsed = parseVmRequest(body, {
    tags: tailscaleTags(),
    newJobId: () => randomUUID(),
    ttl: DEFAULT_TTL,
  });
  if (!parsed.ok) return invalidRequest(parsed.issues);
  const { jobId } = parsed;

  const { created, stored } = await insertJob(auth.database.db, {
    jobId,
    ownerTokenId: auth.caller.id,
    mode,
    request: parsed.request,
  });
  if (stored.job.ownerTokenId !== auth.caller.id) {
    return Response.json(
      { error: `The job id ${JSON.stringify(jobId)} is taken; leave jobId out to get a new one.` },
      { status: 409 },
    );
  }
  if (created) await start();
  const current = created ? ((await findJob(auth.database.db, jobId)) ?? stored) : stored;
  return Response.json(jobView(current), {
    status: 202,
    headers: { Location: `/api/vms/${encodeURIComponent(jobId)}` },
  });
}
