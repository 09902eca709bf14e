import { Octokit } from "@octokit/rest";
import type { Database } from "../database/open-database.ts";
import type { DispatchSettings } from "../environment.ts";
import { logger } from "../environment.ts";
import { findJob, finishJob } from "./job-store.ts";

/**
 * Runs the provisioning workflow for a `provisioning` job through GitHub's
 * `POST /repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches`, with the inputs
 * `job_id`, `agent_id`, `region` and `callback_url`. The workflow reports back to the callback
 * route, which completes the job. A dispatch GitHub refuses fails the job at once, saying why.
 */
export async function dispatchJob(
  database: Database,
  jobId: string,
  settings: DispatchSettings,
  options: { fetch?: typeof fetch } = {},
): Promise<void> {
  const stored = await findJob(database.db, jobId);
  if (stored?.job.status !== "provisioning") return;
  const octokit = new Octokit({
    auth: settings.token,
    baseUrl: settings.baseUrl,
    userAgent: "tailvm-example-nextjs",
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => logger.warn?.(message),
      error: (message: string) => logger.error?.(message),
    },
    ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
  });
  try {
    await octokit.rest.actions.createWorkflowDispatch({
      owner: settings.owner,
      repo: settings.repo,
      workflow_id: settings.workflow,
      ref: settings.ref,
      inputs: {
        job_id: jobId,
        agent_id: stored.job.agentId,
        region: stored.job.request.region ?? "eu-central",
        callback_url: settings.callbackUrl,
      },
    });
    logger.info?.("Dispatched the provisioning workflow.", { jobId, workflow: settings.workflow });
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    await finishJob(database.db, jobId, {
      status: "failed",
      error: {
        phase: "dispatch",
        code: typeof status === "number" ? `github_${status}` : "github_unreachable",
        message: `GitHub did not start the workflow ${settings.workflow} in ${settings.owner}/${settings.repo}${typeof status === "number" ? ` (HTTP ${status})` : ""}: check GITHUB_TOKEN (actions: write), the workflow file and TAILVM_WORKFLOW_REF.`,
      },
    });
  }
}
