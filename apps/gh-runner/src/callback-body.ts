import type { ProvisionOutcome } from "@tailvm/provisioner";

/** Where the run happened, when it ran in GitHub Actions. */
export interface GithubRunContext {
  repository: string;
  runId: string;
  runAttempt: string;
  runUrl: string;
}

/**
 * The GitHub run the callback came from, read from the runner's environment; `undefined` outside
 * Actions.
 *
 * @example
 * ```ts
 * githubRunContext(process.env)?.runUrl; // "https://github.com/acme/infra/actions/runs/42"
 * ```
 */
export function githubRunContext(env: NodeJS.ProcessEnv): GithubRunContext | undefined {
  const repository = env.GITHUB_REPOSITORY;
  const runId = env.GITHUB_RUN_ID;
  if (env.GITHUB_ACTIONS !== "true" || !repository || !runId) return undefined;
  const server = env.GITHUB_SERVER_URL || "https://github.com";
  return {
    repository,
    runId,
    runAttempt: env.GITHUB_RUN_ATTEMPT || "1",
    runUrl: `${server}/${repository}/actions/runs/${runId}`,
  };
}

/**
 * The JSON body of the callback, in snake_case. Success carries the VM's addresses; failure carries
 * the phase, the (already redacted) message and what was rolled back. Never a secret.
 *
 * @example
 * ```ts
 * webhookOutput({ url, secret, body: (outcome) => callbackBody(outcome, githubRunContext(process.env)) });
 * ```
 */
export function callbackBody(
  outcome: ProvisionOutcome,
  github: GithubRunContext | undefined,
): Record<string, unknown> {
  const source =
    github === undefined
      ? null
      : {
          repository: github.repository,
          run_id: github.runId,
          run_attempt: github.runAttempt,
          run_url: github.runUrl,
        };
  if (outcome.status === "success") {
    const result = outcome.result;
    return {
      status: "success",
      job_id: result.jobId,
      agent_id: result.agentId,
      server_id: result.serverId,
      server_name: result.serverName,
      server_ip: result.serverIpv4,
      server_ipv6: result.serverIpv6,
      tailscale_ip: result.tailscaleIp,
      tailscale_ipv6: result.tailscaleIpv6,
      tailscale_hostname: result.tailscaleHostname,
      tailscale_device_id: result.tailscaleDeviceId,
      location: result.location,
      server_type: result.serverType,
      adopted: result.adopted,
      duration_ms: result.totalMs,
      run_id: outcome.run.runId,
      github: source,
    };
  }
  const failure = outcome.failure;
  return {
    status: "failure",
    job_id: failure.jobId,
    agent_id: failure.agentId,
    phase: failure.phase,
    message: failure.message,
    code: failure.code ?? null,
    server_id: failure.serverId,
    server_name: failure.serverName,
    server_ip: null,
    tailscale_ip: null,
    cleanup: {
      removed: failure.cleanup.removed,
      failed: failure.cleanup.failed,
    },
    duration_ms: failure.totalMs,
    run_id: outcome.run.runId,
    github: source,
  };
}
