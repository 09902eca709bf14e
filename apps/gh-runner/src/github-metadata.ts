import type { WebhookMetadata } from "@tailvm/provisioner";

/**
 * The GitHub run a callback comes from, read from the runner's environment, as the payload's
 * `data.metadata`; empty outside GitHub Actions.
 *
 * @example
 * ```ts
 * githubMetadata(process.env).githubRunUrl; // "https://github.com/acme/infra/actions/runs/42"
 * ```
 */
export function githubMetadata(env: NodeJS.ProcessEnv): WebhookMetadata {
  const repository = env.GITHUB_REPOSITORY;
  const runId = env.GITHUB_RUN_ID;
  if (env.GITHUB_ACTIONS !== "true" || !repository || !runId) return {};
  const server = env.GITHUB_SERVER_URL || "https://github.com";
  return {
    githubRepository: repository,
    githubRunId: runId,
    githubRunAttempt: env.GITHUB_RUN_ATTEMPT || "1",
    githubRunUrl: `${server}/${repository}/actions/runs/${runId}`,
  };
}
