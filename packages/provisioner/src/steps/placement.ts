import type { Server } from "@tailvm/hetzner-client";
import { checkCandidates, type NamedCandidate, rankCandidates } from "../choose-placement.js";
import { StepFailure } from "../classify-failure.js";
import { type InputIssue, ProvisionInputError } from "../errors.js";
import { LABEL_KEYS, labelSelector, MANAGED_BY_VALUE } from "../labels.js";
import { describeMachine, type ResolvedMachine } from "../machine.js";
import type { Run } from "../run.js";
import type { PricedCandidate } from "../types.js";
import { imageIssues } from "./image-check.js";
import { networkIssues } from "./network-check.js";
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

/** What placement works from: the job to adopt, explicit candidates, or the requirement to rank by. */
export interface PlacementParameters {
  jobId: string | null;
  /** Explicit candidates; empty when placement ranks the region's offers by `machine`. */
  candidates: NamedCandidate[];
  locations: string[];
  machine: ResolvedMachine;
  image: string;
  /** The private networks to attach the server to: each must exist. */
  networks: number[];
}

/** The usable candidates from the live catalog, or the input issues that make none usable. */
async function candidatesFromCatalog(
  run: Run,
  parameters: PlacementParameters,
): Promise<{ usable: PricedCandidate[]; issues: InputIssue[]; architectures: ("x86" | "arm")[] }> {
  const serverTypes = await run.catalog.serverTypes(run.signal);
  const now = run.clock.now();
  const architectureOf = (name: string) =>
    serverTypes.find((type) => type.name === name)?.architecture;
  if (parameters.candidates.length > 0) {
    const { usable, skipped, issues } = checkCandidates(parameters.candidates, serverTypes, now);
    if (issues.length === 0 && usable.length === 0) {
      throw new StepFailure(
        "resource_unavailable",
        `no candidate can be ordered now (${skipped.map((item) => item.reason).join("; ")}); try again later, or add candidates in other locations.`,
        { isRetryable: true },
      );
    }
    // Said once: as warnings when the run goes on, in the error when it cannot.
    for (const { candidate, reason } of skipped) {
      run.reporter.emit({
        type: "warning",
        phase: "placement",
        message: `skipping ${candidate.serverType} in ${candidate.location}: ${reason}`,
      });
    }
    const architectures = parameters.candidates
      .map((candidate) => architectureOf(candidate.serverType))
      .filter((architecture) => architecture !== undefined);
    return { usable, issues, architectures: [...new Set(architectures)] };
  }
  const { machine, locations } = parameters;
  const { ranked, matching, closest } = rankCandidates(serverTypes, locations, machine, now);
  const where = locations.join(", ");
  if (matching === 0) {
    const offers = closest.length > 0 ? `; the closest offers: ${closest.join(", ")}` : "";
    return {
      usable: [],
      issues: [
        {
          field: "machine",
          message: `no current server type in ${where} meets ${describeMachine(machine)}${offers}`,
        },
      ],
      architectures: [machine.architecture],
    };
  }
  if (ranked.length === 0) {
    throw new StepFailure(
      "resource_unavailable",
      `every server type in ${where} that meets ${describeMachine(machine)} is out of stock right now; try again later, or choose another region.`,
      { isRetryable: true },
    );
  }
  return { usable: ranked, issues: [], architectures: [machine.architecture] };
}

/** Every input problem placement can find, read at once: the catalog, the image, the networks. */
async function checkInputs(
  run: Run,
  parameters: PlacementParameters,
): Promise<{ usable: PricedCandidate[]; issues: InputIssue[] }> {
  const offers = candidatesFromCatalog(run, parameters);
  const architectures = offers.then((found) => found.architectures);
  // Its failure is the catalog's, thrown by `offers`; an image id never reads it.
  architectures.catch(() => undefined);
  const [found, images, networks] = await Promise.all([
    offers,
    imageIssues(run, parameters.image, architectures),
    networkIssues(run, parameters.networks),
  ]);
  return { usable: found.usable, issues: [...found.issues, ...images, ...networks] };
}

/**
 * Adopts the job's server when there is one; otherwise reads the live catalog: explicit candidates
 * are checked (a retired or unknown type is an input error) and kept in order, or the region's
 * offers that meet the machine requirement are ranked by price. The image is looked up for the
 * architecture, and each private network in `networks` must exist. The job lookup and these reads
 * go out at once (one round trip), and every input problem is reported at once, before any key is
 * minted or firewall created.
 */
export const placementStep: Step<"placement", PlacementParameters> = {
  phase: "placement",
  creates: [],
  parameters: (options) => ({
    jobId: options.jobId,
    candidates: options.candidates,
    locations: options.locations,
    machine: options.machine,
    image: options.image,
    networks: options.network.networks,
  }),
  async run({ run, parameters }): Promise<Placement> {
    const inputs = checkInputs(run, parameters);
    // Not read when the job's server is adopted.
    inputs.catch(() => undefined);
    if (parameters.jobId !== null) {
      const server = await findJobServer(run, parameters.jobId);
      if (server) {
        // The adopted server keeps its name; the device is looked up by it.
        run.serverAdopted(server);
        return { kind: "adopt", server };
      }
    }
    const { usable, issues } = await inputs;
    if (issues.length > 0) throw new ProvisionInputError(issues, { phase: "placement" });
    run.placementRanked(usable);
    return { kind: "create", candidates: usable };
  },
};
