import { preview } from "@tailvm/cloud-init";
import { checkCloudConfig } from "./build-cloud-config.js";
import { resolveOptions } from "./resolve-options.js";
import type { Phase, PlacementCandidate, ProvisionOptions } from "./types.js";

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
  /** Tried in order; unavailable ones are skipped at run time. */
  candidates: PlacementCandidate[];
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
  phases: Phase[];
}

/**
 * Validates options and shows what {@link provisionVM} would create, without credentials and
 * without sending any request: placement candidates, name, labels, and the cloud-config with the
 * auth key as `***`.
 *
 * @throws {ProvisionInputError} naming every bad field.
 * @example
 * ```ts
 * const dryRun = plan({ agentId: "agent-42", region: "eu-central", tailscale: { tags: ["tag:ci"] }, ttl: "2h" });
 * console.log(dryRun.candidates); // [{ serverType: "cx23", location: "nbg1" }, { serverType: "cx23", location: "fsn1" }]
 * console.log(dryRun.cloudConfig); // "#cloud-config\n..." with the key as ***
 * ```
 */
export function plan(options: ProvisionOptions, planOptions: { now?: number } = {}): ProvisionPlan {
  const resolved = resolveOptions(options, planOptions.now ?? Date.now());
  const config = checkCloudConfig({
    hostname: resolved.name,
    tags: resolved.tags,
    ssh: resolved.ssh,
    distribution: resolved.distribution,
    fragments: resolved.cloudInit,
  });
  const waitSeconds =
    Math.min(
      resolved.timeouts.total,
      resolved.timeouts.serverRunning + resolved.timeouts.deviceJoin,
    ) / 1000;
  return {
    name: resolved.name,
    agentId: resolved.agentId,
    jobId: resolved.jobId,
    candidates: resolved.candidates,
    image: resolved.image,
    sshKeys: resolved.sshKeys,
    labels: resolved.labels,
    authKey: {
      tags: resolved.tags,
      ephemeral: resolved.ephemeral,
      preauthorized: true,
      reusable: false,
      expirySeconds: authKeyExpirySeconds(waitSeconds),
    },
    expiresAt:
      resolved.expiresAt === null ? null : new Date(resolved.expiresAt * 1000).toISOString(),
    timeouts: resolved.timeouts,
    cloudConfig: preview(config),
    phases: [
      "validate",
      "placement",
      "auth-key",
      "stale-devices",
      "cloud-init",
      "create-server",
      "server-running",
      "device-join",
      "revoke-key",
    ],
  };
}

/** Extra validity of the auth key beyond the time the server may take to boot and join. */
export const AUTH_KEY_MARGIN_SECONDS = 120;

/** The auth key's lifetime for a run that may wait `waitSeconds` for the server and device. */
export function authKeyExpirySeconds(waitSeconds: number): number {
  return Math.ceil(waitSeconds) + AUTH_KEY_MARGIN_SECONDS;
}
