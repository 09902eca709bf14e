import type { CloudConfig } from "./cloud-config-type.js";

/**
 * The steps of a provisioning run, in order; `rollback` runs only after a failure.
 *
 * @example
 * ```ts
 * const slow = (phase: Phase, ms: number) => phase !== "server-running" && ms > 10_000;
 * ```
 */
export type Phase =
  | "validate"
  | "placement"
  | "firewall"
  | "auth-key"
  | "stale-devices"
  | "cloud-init"
  | "create-server"
  | "server-running"
  | "device-join"
  | "revoke-key"
  | "rollback";

/**
 * A resource a run creates, and so may have to remove.
 *
 * @example
 * ```ts
 * const label = (resource: ResourceKind) => (resource === "auth-key" ? "key" : resource);
 * ```
 */
export type ResourceKind = "server" | "auth-key" | "device" | "firewall";

/**
 * What a rollback, deprovision or reap removed, and what it could not remove.
 *
 * `removed` holds what was deleted now (something already gone is neither removed nor failed).
 * `failed` holds what could not be deleted, or could not even be checked, with a redacted reason;
 * its `id` is the resource id, or the server name / hostname when the id is unknown (a lookup
 * failed, or a create had not answered by the deadline). An empty `failed` means nothing is left.
 *
 * @example
 * ```ts
 * const clean = (report: CleanupReport) => report.failed.length === 0;
 * ```
 */
export interface CleanupReport {
  removed: { resource: ResourceKind; id: string }[];
  failed: { resource: ResourceKind; id: string; reason: string }[];
}

/**
 * A (server type, location) pair to try, in order.
 *
 * @example
 * ```ts
 * const candidates: PlacementCandidate[] = [
 *   { serverType: "cx23", location: "nbg1" },
 *   { serverType: "cpx22", location: "fsn1" },
 * ];
 * ```
 */
export interface PlacementCandidate {
  serverType: string;
  location: string;
}

/**
 * What {@link provisionVM} is asked to create.
 *
 * @example
 * ```ts
 * const options: ProvisionOptions = {
 *   agentId: "agent-42",
 *   jobId: "job-1001",
 *   region: "eu-central",
 *   tailscale: { tags: ["tag:ci"], ssh: true },
 *   ttl: "2h",
 *   timeouts: { total: 900_000 },
 * };
 * ```
 */
export interface ProvisionOptions {
  /** Who the VM is for. Written to the `tailvm/agent-id` label. Letters, digits, `-`, `_`, `.`; at most 63. */
  agentId: string;
  /** Makes the call idempotent: a second call with the same job id adopts the first call's server. */
  jobId?: string;
  /** Server name and Tailscale hostname. Default `agent-<agentId[0..8]>-<base36 time>`. */
  name?: string;
  /** A friendly region (`eu-central`, `eu-north`, `us-east`, `us-west`, `ap-southeast`) or a location code (`fsn1`). Default `eu-central`. */
  region?: string;
  /** Hetzner server type. Default `cx23`. */
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
    /**
     * Which of Tailscale's apt repositories the VM installs from. Default: from `image`,
     * `"debian"` for `debian-*` and `"ubuntu"` for anything else (a snapshot or custom image
     * included: set `"debian"` for one based on Debian). One that contradicts an `ubuntu-*` or
     * `debian-*` image is an input error.
     */
    distribution?: "ubuntu" | "debian";
  };
  /** Cloud-config fragments merged after the Tailscale module. */
  cloudInit?: CloudConfig[];
  /** Lifetime: `"30m"`, `"2h"`, `"1d"` or seconds. Written as the `tailvm/expires-at` label that {@link reap} honours. */
  ttl?: string | number;
  /** Deadlines in milliseconds. Defaults: total 600 000, serverRunning 300 000, deviceJoin 300 000. */
  timeouts?: { total?: number; serverRunning?: number; deviceJoin?: number };
  /** Abort the run; resources already created are rolled back. */
  signal?: AbortSignal;

  // Public network and firewall.
  /**
   * Which public addresses the server gets. Default both. `{ ipv4: false }` makes an IPv6-only
   * server: Tailscale works over IPv6, but GitHub and some package mirrors have no IPv6, so
   * anything the VM fetches from them fails. Without both, `networks` must give it a way out.
   */
  publicNet?: { ipv4?: boolean; ipv6?: boolean };
  /**
   * What is open to the internet. Default nothing: the server gets tailvm's shared firewall with
   * no inbound rule (`tailvm-tailnet-only`). `{ ssh: true }` applies `tailvm-public-ssh` instead,
   * which opens TCP port 22 from anywhere. Not combinable with `firewalls`.
   */
  publicAccess?: { ssh?: boolean };
  /** Ids of your own Hetzner firewalls, applied instead of tailvm's; each must exist. */
  firewalls?: number[];
  /** Ids of private networks to attach the server to at create (required without a public IP). */
  networks?: number[];
}

/**
 * What a successful {@link provisionVM} returns.
 *
 * @example
 * ```ts
 * const result: ProvisionResult = await provisionVM(options, context);
 * console.log(`ssh root@${result.tailscaleIp}`, result.timings);
 * ```
 */
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

/**
 * What outputs receive when a run fails. Already redacted.
 *
 * @example
 * ```ts
 * const notify = (failure: ProvisionFailure) => `${failure.phase}: ${failure.message}`;
 * ```
 */
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

/**
 * Identifies one run, for outputs.
 *
 * @example
 * ```ts
 * const took = (run: RunInfo) => run.finishedAt - run.startedAt;
 * ```
 */
export interface RunInfo {
  /** Unique per call. */
  runId: string;
  agentId: string;
  jobId: string | null;
  /** Epoch milliseconds. */
  startedAt: number;
  finishedAt: number;
}

/**
 * The typed event stream of a run. Every event is redacted before anyone sees it.
 *
 * @example
 * ```ts
 * const onEvent = (event: ProvisionEvent) => {
 *   if (event.type === "phase-end") metrics.timing(event.phase, event.durationMs);
 * };
 * ```
 */
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
