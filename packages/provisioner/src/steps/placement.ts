import type { Server } from "@tailvm/hetzner-client";
import { choosePlacement } from "../choose-placement.js";
import { StepFailure } from "../classify-failure.js";
import { LABEL_KEYS, labelSelector, MANAGED_BY_VALUE } from "../labels.js";
import type { Run } from "../run.js";
import type { PlacementCandidate } from "../types.js";
import type { Placement, Step } from "./step.js";

/** The server already labelled with this job, if any; refuses one that belongs to another agent. */
async function findJobServer(run: Run, jobId: string): Promise<Server | undefined> {
  const { options, hetzner, reporter } = run;
  const servers = await hetzner.listServers({
    labelSelector: labelSelector({
      [LABEL_KEYS.managedBy]: MANAGED_BY_VALUE,
      [LABEL_KEYS.jobId]: jobId,
    }),
    signal: run.signal,
  });
  const [server] = [...servers].sort((a, b) => Date.parse(a.created) - Date.parse(b.created));
  if (!server) return undefined;
  if (server.labels[LABEL_KEYS.agentId] !== options.agentId) {
    throw new StepFailure(
      "job_conflict",
      `server ${server.name} (${server.id}) already carries job id ${jobId} but belongs to agent ${server.labels[LABEL_KEYS.agentId] ?? "(none)"}; use a new job id, or deprovision that server first.`,
    );
  }
  reporter.emit({
    type: "warning",
    phase: "placement",
    message: `job ${jobId} already has server ${server.name} (${server.id}); adopting it instead of creating another`,
  });
  return server;
}

/**
 * Adopts the job's server when there is one; otherwise keeps the candidates whose server type is
 * offered and available in their location, per the scope's server-type catalog.
 */
export const placementStep: Step<
  "placement",
  { jobId: string | null; candidates: PlacementCandidate[] }
> = {
  phase: "placement",
  creates: [],
  parameters: (options) => ({ jobId: options.jobId, candidates: options.candidates }),
  async run({ run, parameters }): Promise<Placement> {
    if (parameters.jobId !== null) {
      const server = await findJobServer(run, parameters.jobId);
      if (server) {
        // The adopted server keeps its name; the device is looked up by it.
        run.serverAdopted(server);
        return { kind: "adopt", server };
      }
    }
    const serverTypes = await run.catalog.list(run.signal);
    const { usable, skipped } = choosePlacement(
      parameters.candidates,
      serverTypes,
      run.clock.now(),
    );
    for (const { candidate, reason } of skipped) {
      run.reporter.emit({
        type: "warning",
        phase: "placement",
        message: `skipping ${candidate.serverType} in ${candidate.location}: ${reason}`,
      });
    }
    if (usable.length === 0) {
      throw new StepFailure(
        "resource_unavailable",
        `none of the candidates can be used (${skipped.map((item) => item.reason).join("; ")}).`,
        { isRetryable: true },
      );
    }
    return { kind: "create", candidates: usable };
  },
};
