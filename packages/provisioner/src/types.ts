import type { RetryEvent } from "@tailvm/hetzner-client";
import type { BootReportSource } from "./boot-report-inbox.js";
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

// ---- Machine requirement and prices ----

/**
 * What the server needs; placement picks the cheapest current type that meets it.
 *
 * @example
 * ```ts
 * const machine: MachineRequirement = { architecture: "arm", minCores: 4, minMemoryGb: 8, maxMonthlyPrice: 20 };
 * ```
 */
export interface MachineRequirement {
  /** Default `"x86"`. */
  architecture?: "x86" | "arm" | undefined;
  /** Shared or dedicated vCPUs. Default `"shared"`. */
  cpu?: "shared" | "dedicated" | undefined;
  /** Default 2. */
  minCores?: number | undefined;
  /** Default 4. */
  minMemoryGb?: number | undefined;
  /** Default 0 (any). */
  minDiskGb?: number | undefined;
  /** The most to pay per month in euro, net (without VAT), as Hetzner's `price_monthly.net`. Default: no limit. */
  maxMonthlyPrice?: number | undefined;
}

/**
 * A server type's price in one location, from the catalog's `prices`: net, without VAT.
 *
 * @example
 * ```ts
 * const label = (price: ServerPrice) => `€${price.monthly.toFixed(2)}/month + VAT`;
 * ```
 */
export interface ServerPrice {
  currency: "EUR";
  /** Always `"excluded"`: the net price, before VAT. */
  vat: "excluded";
  hourly: number;
  /** The monthly cap Hetzner bills at most. */
  monthly: number;
}

/**
 * A placement candidate with its price there, as placement ranked it.
 *
 * @example
 * ```ts
 * const cheapest = (candidates: PricedCandidate[]) => candidates[0]?.price?.monthly;
 * ```
 */
export interface PricedCandidate extends PlacementCandidate {
  price: ServerPrice | null;
}

// ---- End of machine requirement and prices ----

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
  jobId?: string | undefined;
  /** Server name and Tailscale hostname. Default `agent-<agentId[0..8]>-<base36 time>`. */
  name?: string | undefined;
  /** A friendly region (`eu-central`, `eu-north`, `us-east`, `us-west`, `ap-southeast`) or a location code (`fsn1`). Default `eu-central`. */
  region?: string | undefined;
  /**
   * Hetzner server type, e.g. `cx23`. Default: the cheapest current type in the region that meets
   * `machine`. Checked against the live catalog: a retired or unknown type is an input error.
   */
  serverType?: string | undefined;
  /** Explicit ordered placement candidates; replaces `region`, `serverType` and `machine`. */
  candidates?: PlacementCandidate[] | undefined;
  /**
   * What the server needs when no `serverType` or `candidates` is given: placement then reads the
   * live catalog and tries every matching (type, location) pair of the region, cheapest first.
   * Default: shared x86 with at least 2 vCPU and 4 GB.
   */
  machine?: MachineRequirement | undefined;
  /** Image name or id. Default `ubuntu-24.04`. A name `GET /images` does not know for the architecture is an input error. */
  image?: string | undefined;
  /** SSH key ids or names to install for root. */
  sshKeys?: (string | number)[] | undefined;
  /** Extra Hetzner labels. `managed-by` and keys with the `tailvm/` prefix are reserved. */
  labels?: Record<string, string> | undefined;
  tailscale: {
    /** Tags the device advertises, e.g. `["tag:ci"]`. Required, at least one. */
    tags: string[];
    /** Whether the device is removed by Tailscale once offline. Default true. */
    ephemeral?: boolean | undefined;
    /** Enable Tailscale SSH on the VM. Default false. */
    ssh?: boolean | undefined;
    /**
     * Which of Tailscale's apt repositories the VM installs from. Default: from `image`,
     * `"debian"` for `debian-*` and `"ubuntu"` for anything else (a snapshot or custom image
     * included: set `"debian"` for one based on Debian). One that contradicts an `ubuntu-*` or
     * `debian-*` image is an input error.
     */
    distribution?: "ubuntu" | "debian" | undefined;
  };
  /** Cloud-config fragments merged after the Tailscale module. */
  cloudInit?: CloudConfig[] | undefined;
  /** Lifetime: `"30m"`, `"2h"`, `"1d"` or seconds. Written as the `tailvm/expires-at` label that {@link reap} honours. */
  ttl?: string | number | undefined;
  /** Deadlines in milliseconds. Defaults: total 600 000, serverRunning 300 000, deviceJoin 300 000. */
  timeouts?:
    | {
        total?: number | undefined;
        serverRunning?: number | undefined;
        deviceJoin?: number | undefined;
      }
    | undefined;
  /** Abort the run; resources already created are rolled back. */
  signal?: AbortSignal | undefined;

  // Public network and firewall.
  /**
   * Which public addresses the server gets. Default both. `{ ipv4: false }` makes an IPv6-only
   * server: Tailscale works over IPv6, but GitHub and some package mirrors have no IPv6, so
   * anything the VM fetches from them fails. Without both, `networks` must give it a way out.
   */
  publicNet?: { ipv4?: boolean | undefined; ipv6?: boolean | undefined } | undefined;
  /**
   * What is open to the internet. Default nothing: the server gets tailvm's shared firewall with
   * no inbound rule (`tailvm-tailnet-only`). `{ ssh: true }` applies `tailvm-public-ssh` instead,
   * which opens TCP port 22 from anywhere. Not combinable with `firewalls`.
   */
  publicAccess?: { ssh?: boolean | undefined } | undefined;
  /** Ids of your own Hetzner firewalls, applied instead of tailvm's; each must exist. */
  firewalls?: number[] | undefined;
  /**
   * Ids of private networks to attach the server to at create (required without a public IP);
   * each must exist, or the run stops with an input error before anything is created.
   */
  networks?: number[] | undefined;
  /**
   * Where sshd answers on the VM: defence in depth behind the firewall, which stays the barrier.
   * - `"everywhere"` (default): sshd as the image has it, on every address; the firewall decides
   *   what reaches port 22 (nothing, unless `publicAccess.ssh` or your own `firewalls` open it).
   * - `"tailnet"`: once `tailscale up` has run, sshd listens only on the device's tailnet
   *   addresses, on this boot and every later one; a firewall opened by mistake still finds no sshd.
   * - `"off"`: sshd stopped and disabled after the join; needs `tailscale.ssh: true`, which is
   *   then the only way in.
   *
   * `"tailnet"` and `"off"` cannot be combined with `publicAccess.ssh`.
   */
  sshd?: SshdMode | undefined;

  /**
   * Have the VM report how its boot went as soon as cloud-init finishes, so a broken boot (a
   * failing module, an install that did not work) fails the run within a minute or two instead of
   * at `timeouts.deviceJoin`, with the module and its error in the `ProvisionError`. The run makes
   * a random token for this one VM, puts it with `url` in the user data (`bootReport()` of
   * `@tailvm/cloud-init`) and waits on `source` for the report sent with it. A `done` report
   * changes nothing: the run still ends when the device joins.
   *
   * `url` must use https:// on the internet; plain http:// is allowed only to a tailnet address or
   * name (WireGuard encrypts it), a private address (10/8, 172.16/12, 192.168/16) and loopback. A
   * tailnet URL is reached only if the join worked, so it reports failures after `tailscale up`;
   * an internet URL reports every failure.
   */
  bootReport?: { url: string; source: BootReportSource } | undefined;
}

/**
 * Where sshd answers on the VM: see {@link ProvisionOptions.sshd}.
 *
 * @example
 * ```ts
 * const sshd: SshdMode = options.tailscale.ssh ? "off" : "tailnet";
 * ```
 */
export type SshdMode = "everywhere" | "tailnet" | "off";

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
  /** The server type's price in `location` (net, without VAT), or null when the catalog has none. */
  price: ServerPrice | null;
  /** The candidates that were ranked behind the chosen one, in order, with their prices. */
  alternatives: PricedCandidate[];
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
  | ({ type: "retry"; api: "hetzner" | "tailscale"; time: number } & RetryEvent)
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
