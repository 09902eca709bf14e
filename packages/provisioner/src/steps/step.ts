import type { Action, Server } from "@tailvm/hetzner-client";
import type { EnrolledDevice } from "@tailvm/tailscale-client";
import type { ResolvedOptions } from "../resolve-options.js";
import type { Run } from "../run.js";
import type { PricedCandidate, ResourceKind } from "../types.js";
import type { RunningServer } from "./server-running.js";

/** Where the server goes: an earlier run's server to adopt, or the candidates to try in order. */
export type Placement =
  | { kind: "adopt"; server: Server }
  | { kind: "create"; candidates: PricedCandidate[] };

/**
 * The server a create step ends with, and its create's actions as the create answered them (to
 * wait for; none for a found server).
 */
export interface CreatedServer {
  server: Server;
  actions: Action[];
}

/** What each step returns, by phase. */
export interface StepOutputs {
  placement: Placement;
  /** The ids of the firewalls the server is created with. */
  firewall: number[];
  "auth-key": string;
  "stale-devices": number;
  "cloud-init": string;
  "create-server": CreatedServer;
  "server-running": RunningServer;
  "device-join": EnrolledDevice;
  "revoke-key": undefined;
}

export type StepPhase = keyof StepOutputs;

/** What the steps before this one returned. */
export type StepResults = Partial<StepOutputs>;

/** What a step is given: the run, earlier results, and its own parameters. */
export interface StepInput<Parameters> {
  run: Run;
  results: StepResults;
  /** `step.parameters(run.options)`: exactly what `plan()` shows for the step. */
  parameters: Parameters;
}

/**
 * One step of a run. Its description (`phase`, `creates`, `parameters`) is what `plan()` shows;
 * the executor runs `run` with the same parameters, so the dry run and the real run agree.
 */
export interface Step<Phase extends StepPhase, Parameters> {
  phase: Phase;
  /** What the step may create, and so rollback may have to remove. */
  creates: ResourceKind[];
  /** The step's parameters, derived from the options alone. */
  parameters(options: ResolvedOptions): Parameters;
  /** Whether the step runs, given what earlier steps returned. Default: always. */
  applies?(results: StepResults): boolean;
  /**
   * The step needs nothing from the step before it: its work starts with that step's, and its
   * phase then waits for what is left of it.
   */
  overlapsPrevious?: true;
  run(input: StepInput<Parameters>): Promise<StepOutputs[Phase]>;
}

/** A step of any phase, as the step list holds it. */
// biome-ignore lint/suspicious/noExplicitAny: the list holds steps with different parameters.
export type AnyStep = { [Phase in StepPhase]: Step<Phase, any> }[StepPhase];

/** The result of an earlier step; a step list in the wrong order is a bug, not a run failure. */
export function need<Phase extends StepPhase>(
  results: StepResults,
  phase: Phase,
): NonNullable<StepOutputs[Phase]> {
  const value = results[phase];
  if (value === undefined || value === null) {
    throw new Error(`the ${phase} step has not run`);
  }
  return value as NonNullable<StepOutputs[Phase]>;
}

/** Whether placement chose to create a server (rather than adopt one). */
export function createsServer(results: StepResults): boolean {
  return results.placement?.kind === "create";
}
