import { preview } from "@tailvm/cloud-init";
import { checkCloudConfig } from "./build-cloud-config.js";
import type { ResolvedMachine } from "./machine.js";
import { type ResolvedOptions, resolveOptions } from "./resolve-options.js";
import { authKeyStep } from "./steps/auth-key.js";
import { cloudInitStep } from "./steps/cloud-init.js";
import { createServerStep } from "./steps/create-server.js";
import { deviceJoinStep } from "./steps/device-join.js";
import { firewallStep } from "./steps/firewall.js";
import { RUN_PHASES, RUN_STEPS } from "./steps/index.js";
import { placementStep } from "./steps/placement.js";
import { serverRunningStep } from "./steps/server-running.js";
import type {
  Phase,
  PlacementCandidate,
  ProvisionOptions,
  ResourceKind,
  SshdMode,
} from "./types.js";

/**
 * A machine requirement as the plan shows it, with every default applied.
 *
 * @example
 * ```ts
 * const summary = (machine: MachineRequirementPlan) => `${machine.architecture} ${machine.minCores} vCPU`;
 * ```
 */
export type MachineRequirementPlan = ResolvedMachine;

const CHECKED_AT_RUN_TIME = [
  "serverType / candidates: listed in GET /server_types and orderable in the location",
  "machine: which current offers of the region meet it, and their prices",
  "image: known to GET /images for the server type's architecture",
  "networks: each private network exists (GET /networks/{id})",
];

/**
 * What {@link provisionVM} would do with some options: the dry run.
 *
 * @example
 * ```ts
 * const { name, candidates, cloudConfig }: ProvisionPlan = plan(options);
 * ```
 */
export interface ProvisionPlan {
  /** Server name and Tailscale hostname. */
  name: string;
  agentId: string;
  jobId: string | null;
  /**
   * The explicit candidates (`candidates`, or `serverType` in each location of the region), tried
   * in order; unavailable ones are skipped at run time. Empty when placement chooses by `machine`.
   */
  candidates: PlacementCandidate[];
  /** The locations placement ranks offers in, in order (ties in price go to the earlier one). */
  locations: string[];
  /**
   * The requirement placement ranks the live catalog by, cheapest first; null when explicit
   * candidates or a `serverType` were given.
   */
  machine: MachineRequirementPlan | null;
  /**
   * What only the live API can tell, so the dry run does not check: whether the server types
   * exist and can be ordered, which offers meet `machine` and at what price, whether the image
   * exists for the architecture, and whether each private network in `networks` exists. A run
   * checks them in its placement phase, before any key is minted.
   */
  checkedAtRunTime: string[];
  image: string;
  sshKeys: (string | number)[];
  /** Every label the server would get. */
  labels: Record<string, string>;
  authKey: {
    tags: string[];
    ephemeral: boolean;
    preauthorized: true;
    reusable: false;
    expirySeconds: number;
  };
  /** ISO time after which `reap()` deletes the server, or null without a ttl. */
  expiresAt: string | null;
  timeouts: { total: number; serverRunning: number; deviceJoin: number };
  /** The user data, with the auth key and every `secret()` shown as `***`. */
  cloudConfig: string;
  /**
   * The firewall the server is created with: tailvm's shared one (found or created once, never
   * deleted by a rollback) with the inbound ports it opens (none by default), or the user's.
   */
  firewall: { kind: "managed"; name: string; inbound: string[] } | { kind: "user"; ids: number[] };
  /**
   * Where sshd answers on the VM (defence in depth behind the firewall): `"everywhere"` as the
   * image has it, `"tailnet"` on the tailnet addresses only, `"off"` disabled after the join.
   */
  sshd: SshdMode;
  /** The public addresses the server gets, and the private networks it is attached to. */
  publicNet: { ipv4: boolean; ipv6: boolean; networks: number[] };
  /** The phases of a run that creates its server, in order. */
  phases: Phase[];
  /** Each step after validation, with what it may create (and so rollback may remove). */
  steps: { phase: Phase; creates: ResourceKind[] }[];
}

function planFirewall(resolved: ResolvedOptions): ProvisionPlan["firewall"] {
  const parameters = firewallStep.parameters(resolved);
  return parameters.kind === "user"
    ? { kind: "user", ids: parameters.ids }
    : { kind: "managed", name: parameters.name, inbound: parameters.inbound };
}

/**
 * Validates options and shows what {@link provisionVM} would create, without credentials and
 * without sending any request: placement candidates or machine requirement, name, labels, and the
 * cloud-config with the auth key as `***`. It reads the same step descriptions the run follows.
 * Without requests it cannot check names against the live catalog: see `checkedAtRunTime`.
 *
 * @throws {ProvisionInputError} naming every bad field.
 * @example
 * ```ts
 * const dryRun = plan({ agentId: "agent-42", region: "eu-central", tailscale: { tags: ["tag:ci"] }, ttl: "2h" });
 * console.log(dryRun.machine); // { architecture: "x86", cpu: "shared", minCores: 2, minMemoryGb: 4, ... }
 * console.log(dryRun.cloudConfig); // "#cloud-config\n..." with the key as ***
 * ```
 */
export function plan(options: ProvisionOptions, planOptions: { now?: number } = {}): ProvisionPlan {
  const resolved = resolveOptions(options, planOptions.now ?? Date.now());
  const placement = placementStep.parameters(resolved);
  const { description: _description, ...authKey } = authKeyStep.parameters(resolved);
  const config = checkCloudConfig(cloudInitStep.parameters(resolved));
  const server = createServerStep.parameters(resolved);
  return {
    name: server.name,
    agentId: resolved.agentId,
    jobId: placement.jobId,
    candidates: placement.candidates.map(({ serverType, location }) => ({ serverType, location })),
    locations: [...placement.locations],
    machine: placement.candidates.length === 0 ? { ...placement.machine } : null,
    checkedAtRunTime: [...CHECKED_AT_RUN_TIME],
    image: server.image,
    sshKeys: server.sshKeys,
    labels: server.labels,
    authKey,
    expiresAt:
      resolved.expiresAt === null ? null : new Date(resolved.expiresAt * 1000).toISOString(),
    timeouts: {
      total: resolved.timeouts.total,
      serverRunning: serverRunningStep.parameters(resolved).timeoutMs,
      deviceJoin: deviceJoinStep.parameters(resolved).timeoutMs,
    },
    cloudConfig: preview(config),
    firewall: planFirewall(resolved),
    sshd: resolved.sshd,
    publicNet: {
      ipv4: server.publicNet.enable_ipv4,
      ipv6: server.publicNet.enable_ipv6,
      networks: [...server.networks],
    },
    phases: [...RUN_PHASES],
    steps: RUN_STEPS.map((step) => ({ phase: step.phase, creates: [...step.creates] })),
  };
}
