import type { CloudConfig } from "./cloud-config-type.js";

/** The steps of a provisioning run, in order; `rollback` runs only after a failure. */
export type Phase =
  | "validate"
  | "placement"
  | "auth-key"
  | "stale-devices"
  | "cloud-init"
  | "create-server"
  | "server-running"
  | "device-join"
  | "revoke-key"
  | "rollback";

/** A resource a run creates, and so may have to remove. */
export type ResourceKind = "server" | "auth-key" | "device";

/** What a rollback, deprovision or reap removed, and what it could not remove. */
export interface CleanupReport {
  removed: { resource: ResourceKind; id: string }[];
  failed: { resource: ResourceKind; id: string; reason: string }[];
}

/** A (server type, location) pair to try, in order. */
export interface PlacementCandidate {
  serverType: string;
  location: string;
}

/** What {@link provisionVM} is asked to create. */
export interface ProvisionOptions {
  /** Who the VM is for. Written to the `tailvm/agent-id` label. Letters, digits, `-`, `_`, `.`; at most 63. */
  agentId: string;
  /** Makes the call idempotent: a second call with the same job id adopts the first call's server. */
  jobId?: string;
  /** Server name and Tailscale hostname. Default `agent-<agentId[0..8]>-<base36 time>`. */
  name?: string;
  /** A friendly region (`eu-central`, `eu-north`, `us-east`, `us-west`, `ap-southeast`) or a location code (`fsn1`). Default `eu-central`. */
  region?: string;
  /** Hetzner server type. Default `cx22`. */
  serverType?: string;
  /** Explicit ordered placement candidates; replaces `region` and `serverType`. */
  candidates?: PlacementCandidate[];
  /** Image name. Default `ubuntu-24.04`. */
  image?: string;
  /** SSH key ids or names to install for root. */
  sshKeys?: (string | number)[];
  /** Extra Hetzner labels. `managed-by` and keys with the `tailvm/` prefix are reserved. */
  labels?: Record<string, string>;
  tailscale: {
    /** Tags the device advertises, e.g. `["tag:ci"]`. Required, at least one. */
    tags: string[];
    /** Whether the device is removed by Tailscale once offline. Default true. */
    ephemeral?: boolean;
    /** Enable Tailscale SSH on the VM. Default false. */
    ssh?: boolean;
  };
  /** Cloud-config fragments merged after the Tailscale module. */
  cloudInit?: CloudConfig[];
  /** Lifetime: `"30m"`, `"2h"`, `"1d"` or seconds. Written as the `tailvm/expires-at` label that {@link reap} honours. */
  ttl?: string | number;
  /** Deadlines in milliseconds. Defaults: total 600 000, serverRunning 300 000, deviceJoin 300 000. */
  timeouts?: { total?: number; serverRunning?: number; deviceJoin?: number };
  /** Abort the run; resources already created are rolled back. */
  signal?: AbortSignal;
}

/** What a successful {@link provisionVM} returns. */
export interface ProvisionResult {
  serverId: number;
  serverName: string;
  serverIpv4: string | null;
  serverIpv6: string | null;
  location: string;
  serverType: string;
  /** The device's tailnet IPv4 address (100.64.0.0/10). */
  tailscaleIp: string;
  tailscaleIpv6: string | null;
  tailscaleHostname: string;
  tailscaleDeviceId: string;
  agentId: string;
  jobId: string | null;
  /** True when an existing server (same job id, or same name with matching labels) was adopted. */
  adopted: boolean;
  /** Milliseconds spent in each phase that ran. */
  timings: Record<string, number>;
  totalMs: number;
}

/** What outputs receive when a run fails. Already redacted. */
export interface ProvisionFailure {
  phase: Phase;
  message: string;
  code?: string;
  cleanup: CleanupReport;
  agentId: string;
  jobId: string | null;
  serverName: string | null;
  /** The server id, when the server existed at some point during the run. */
  serverId: number | null;
  timings: Record<string, number>;
  totalMs: number;
}

/** Identifies one run, for outputs. */
export interface RunInfo {
  /** Unique per call. */
  runId: string;
  agentId: string;
  jobId: string | null;
  /** Epoch milliseconds. */
  startedAt: number;
  finishedAt: number;
}

/** The typed event stream of a run. Every event is redacted before anyone sees it. */
export type ProvisionEvent =
  | { type: "phase-start"; phase: Phase; time: number }
  | { type: "phase-end"; phase: Phase; time: number; durationMs: number; ok: boolean }
  | {
      type: "retry";
      api: "hetzner" | "tailscale";
      attempt: number;
      delayMs: number;
      method: string;
      path: string;
      status?: number;
      code?: string;
      reason: string;
      time: number;
    }
  | { type: "warning"; message: string; phase?: Phase; time: number }
  | { type: "resource-created"; resource: ResourceKind; id: string; name?: string; time: number }
  | { type: "resource-deleted"; resource: ResourceKind; id: string; time: number }
  | { type: "result"; result: ProvisionResult; time: number }
  | {
      type: "failure";
      phase: Phase;
      message: string;
      code?: string;
      cleanup: CleanupReport;
      time: number;
    };
