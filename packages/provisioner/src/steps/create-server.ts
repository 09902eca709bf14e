import { HetznerNetworkError, isHetznerApiError, type Server } from "@tailvm/hetzner-client";
import { errorMessage, isAbortOf, raceSignal } from "@tailvm/internal";
import { StepFailure } from "../classify-failure.js";
import { LABEL_KEYS } from "../labels.js";
import type { ResolvedOptions } from "../resolve-options.js";
import type { Run } from "../run.js";
import { replaceDeletedFirewall } from "./firewall.js";
import { type CreatedServer, createsServer, need, type Step } from "./step.js";

/** What every create request of a run sends, besides the candidate and the user data. */
export interface ServerParameters {
  name: string;
  image: string;
  labels: Record<string, string>;
  sshKeys: (string | number)[];
  publicNet: { enable_ipv4: boolean; enable_ipv6: boolean };
  networks: number[];
}

/** Whether the server's tailvm labels say it is this run's (or this job's) server. */
export function labelsMatch(server: Server, options: ResolvedOptions): boolean {
  for (const [key, value] of Object.entries(options.labels)) {
    if (key === LABEL_KEYS.expiresAt) continue;
    if (server.labels[key] !== value) return false;
  }
  return options.jobId !== null || server.labels[LABEL_KEYS.jobId] === undefined;
}

/** Whether a failed POST /servers may have created the server anyway (its answer was lost). */
export function mayHaveBeenApplied(error: unknown): boolean {
  return (
    error instanceof HetznerNetworkError ||
    (isHetznerApiError(error) && (error.status >= 500 || error.code === "timeout"))
  );
}

/** The server named like this run's, with its labels, after `error` left a create ambiguous. */
async function findCreatedServer(run: Run, error: unknown): Promise<CreatedServer | undefined> {
  const found = await run.hetzner
    .listServers({ name: run.options.name, signal: run.signal })
    .catch(() => [] as Server[]);
  const existing = found.find((server) => labelsMatch(server, run.options));
  if (!existing) return undefined;
  run.reporter.emit({
    type: "warning",
    phase: "create-server",
    message: `POST /servers failed (${errorMessage(error)}) but server ${existing.id} was created; continuing with it`,
  });
  run.serverFound(existing);
  return { server: existing, actions: [] };
}

/** A same-named server with this run's labels is adopted; anyone else's is a conflict. */
async function adoptSameNamed(run: Run, error: unknown): Promise<CreatedServer> {
  const [existing] = await run.hetzner.listServers({ name: run.options.name, signal: run.signal });
  if (existing && labelsMatch(existing, run.options)) {
    run.serverAdopted(existing);
    run.reporter.emit({
      type: "warning",
      phase: "create-server",
      message: `server ${existing.name} (${existing.id}) already exists with this run's labels; adopting it`,
    });
    return { server: existing, actions: [] };
  }
  throw new StepFailure(
    "name_conflict",
    `a server named ${run.options.name} already exists${existing ? ` (${existing.id})` : ""} and its labels do not match this agent and job; choose another name, or delete that server.`,
    { cause: error },
  );
}

/**
 * Creates the server at the first candidate with capacity. A create is never re-sent after it
 * may have been applied: a lost answer is resolved by looking the server up by name and labels.
 */
export const createServerStep: Step<"create-server", ServerParameters> = {
  phase: "create-server",
  creates: ["server"],
  parameters: (options) => ({
    name: options.name,
    image: options.image,
    labels: options.labels,
    sshKeys: options.sshKeys,
    publicNet: { enable_ipv4: options.network.ipv4, enable_ipv6: options.network.ipv6 },
    networks: options.network.networks,
  }),
  applies: createsServer,
  async run({ run, results, parameters }) {
    const placement = need(results, "placement");
    const candidates = placement.kind === "create" ? placement.candidates : [];
    const userData = need(results, "cloud-init");
    let firewallIds = need(results, "firewall");
    let firewallReplaced = false;
    const tried: string[] = [];
    for (let index = 0; index < candidates.length; index += 1) {
      const candidate = candidates[index] as (typeof candidates)[number];
      const firewalls = firewallIds.map((firewall) => ({ firewall }));
      try {
        const pending = run.hetzner.createServer(
          {
            name: parameters.name,
            server_type: candidate.serverType,
            image: parameters.image,
            location: candidate.location,
            labels: parameters.labels,
            user_data: userData,
            start_after_create: true,
            // In the create itself, so the server is never reachable without its firewalls.
            firewalls,
            public_net: parameters.publicNet,
            ...(parameters.networks.length > 0 ? { networks: parameters.networks } : {}),
            ...(parameters.sshKeys.length > 0 ? { ssh_keys: parameters.sshKeys.map(String) } : {}),
          },
          { signal: run.createSignal },
        );
        run.serverCreateRequested(pending);
        const created = await raceSignal(pending, run.signal);
        run.serverCreated(created);
        return {
          server: created.server,
          actions: [created.action, ...created.nextActions],
        };
      } catch (error) {
        // Still in flight: rollback awaits it.
        if (isAbortOf(error, run.signal)) throw error;
        run.serverCreateFailed(!isHetznerApiError(error) || mayHaveBeenApplied(error));
        const replaced = firewallReplaced
          ? undefined
          : await replaceDeletedFirewall(run, error, firewallIds);
        if (replaced) {
          // The same candidate again, once, with the firewall found or created again.
          firewallReplaced = true;
          firewallIds = replaced;
          index -= 1;
          continue;
        }
        if (
          isHetznerApiError(error, "resource_unavailable") ||
          isHetznerApiError(error, "placement_error")
        ) {
          tried.push(`${candidate.serverType} in ${candidate.location}: ${error.code}`);
          run.reporter.emit({
            type: "warning",
            phase: "create-server",
            message: `${candidate.serverType} in ${candidate.location} is unavailable (${error.code}); trying the next candidate`,
          });
          continue;
        }
        if (isHetznerApiError(error, "uniqueness_error")) return await adoptSameNamed(run, error);
        if (mayHaveBeenApplied(error)) {
          const found = await findCreatedServer(run, error);
          if (found) return found;
        }
        throw error;
      }
    }
    throw new StepFailure(
      "resource_unavailable",
      `every candidate was unavailable when creating the server (${tried.join("; ")}).`,
      { isRetryable: true },
    );
  },
};
