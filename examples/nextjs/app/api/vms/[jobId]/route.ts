import { after } from "next/server";
import { provisioningContext } from "../../../../lib/environment.ts";
import {
  authenticate,
  configurationProblem,
  invalidRequest,
  jobNotFound,
} from "../../../../lib/http-responses.ts";
import { startDeletion } from "../../../../lib/jobs/delete-job.ts";
import { findJob } from "../../../../lib/jobs/job-store.ts";
import { jobView } from "../../../../lib/jobs/job-view.ts";
import { checkQueryNames } from "../../../../lib/list-query.ts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const maxDuration = 300;

type Params = { params: Promise<{ jobId: string }> };

async function callersJob(request: Request, params: Params["params"]) {
  const auth = await authenticate(request);
  if (!auth.ok) return { response: auth.response } as const;
  const issues = checkQueryNames(new URL(request.url), []);
  if (issues.length > 0) return { response: invalidRequest(issues) } as const;
  const { jobId } = await params;
  const stored = await findJob(auth.database.db, jobId);
  if (!stored || stored.job.ownerTokenId !== auth.caller.id) {
    return { response: jobNotFound(jobId) } as const;
  }
  return { auth, stored } as const;
}

/** The job: `provisioning`, then `succeeded` with the VM or `failed` with the phase; `deleting`, `deleted`. */
export async function GET(request: Request, { params }: Params): Promise<Response> {
  const found = await callersJob(request, params);
  if ("response" in found) return found.response;
  return Response.json(jobView(found.stored));
}

/**
 * Deletes the job's VM with `deprovisionVM()` (a job still provisioning here is aborted first and
 * rolls back): 202 with the job `deleting`, which becomes `deleted`. 409 while the job provisions
 * in another instance or in the GitHub workflow.
 */
export async function DELETE(request: Request, { params }: Params): Promise<Response> {
  const found = await callersJob(request, params);
  if ("response" in found) return found.response;
  let deletion: Awaited<ReturnType<typeof startDeletion>>;
  try {
    deletion = await startDeletion(found.auth.database, found.stored, provisioningContext);
  } catch (error) {
    return configurationProblem(error);
  }
  if (deletion.state === "busy") {
    return Response.json(
      {
        error:
          "The job is still provisioning elsewhere (another instance or the GitHub workflow); delete it once it has finished.",
        job: jobView(deletion.stored),
      },
      { status: 409 },
    );
  }
  if (deletion.state === "deleting") after(deletion.run);
  return Response.json(jobView(deletion.stored), {
    status: deletion.state === "deleted" ? 200 : 202,
  });
}
