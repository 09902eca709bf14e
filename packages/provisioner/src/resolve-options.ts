import type { BootReportSource } from "./boot-report-inbox.js";
import type { NamedCandidate } from "./choose-placement.js";
import type { CloudConfig } from "./cloud-config-type.js";
import { DEFAULTS } from "./defaults.js";
import { LABEL_KEYS, MANAGED_BY_VALUE } from "./labels.js";
import { type ResolvedMachine, resolveMachine } from "./machine.js";
import type { ManagedFirewallVariant } from "./managed-firewall.js";
import { resolveRegion } from "./regions.js";
import { defaultServerName } from "./server-name.js";
import { distributionForImage, type TailscaleDistribution } from "./tailscale-distribution.js";
import { parseTtl } from "./ttl.js";
import type { SshdMode } from "./types.js";
import { validateProvisionOptions } from "./validate-provision-options.js";

/** The firewall a server gets: one of tailvm's shared ones, or the user's own. */
export type FirewallChoice =
  | { kind: "managed"; variant: ManagedFirewallVariant }
  | { kind: "user"; ids: number[] };

/** Options with every default applied and every derived value computed. */
export interface ResolvedOptions {
  agentId: string;
  jobId: string | null;
  name: string;
  /** Explicit candidates (from `candidates`, or `serverType` in each location); empty to choose by `machine`. */
  candidates: NamedCandidate[];
  /** The region's locations, in order. */
  locations: string[];
  machine: ResolvedMachine;
  image: string;
  sshKeys: (string | number)[];
  /** Every label the server gets: the caller's plus tailvm's own. */
  labels: Record<string, string>;
  tags: string[];
  ephemeral: boolean;
  ssh: boolean;
  /** Tailscale's apt repository for the image. */
  distribution: TailscaleDistribution;
  cloudInit: CloudConfig[];
  /** Where sshd answers on the VM. */
  sshd: SshdMode;
  ttlSeconds: number | null;
  /** Epoch seconds, when a ttl was given. */
  expiresAt: number | null;
  timeouts: { total: number; serverRunning: number; deviceJoin: number };
  signal: AbortSignal | undefined;
  /** Where the VM reports its boot, when asked. */
  bootReport: { url: string; source: BootReportSource } | undefined;
  /** Public addresses, private networks and the firewall. */
  network: { ipv4: boolean; ipv6: boolean; networks: number[]; firewall: FirewallChoice };
}

/** Validates `options` and applies the defaults, with `now` (epoch ms) for the name and expiry. */
export function resolveOptions(input: unknown, now: number): ResolvedOptions {
  const options = validateProvisionOptions(input);
  const name = options.name ?? defaultServerName(options.agentId, now);
  const locations = resolveRegion(options.region ?? DEFAULTS.region) ?? [];
  const { serverType } = options;
  const candidates: NamedCandidate[] =
    options.candidates?.map((candidate, index) => ({
      serverType: candidate.serverType,
      location: candidate.location,
      field: `candidates[${index}].serverType`,
    })) ??
    (serverType === undefined
      ? []
      : locations.map((location) => ({ serverType, location, field: "serverType" })));
  const image = options.image ?? DEFAULTS.image;
  const ttlSeconds = options.ttl === undefined ? null : (parseTtl(options.ttl) ?? null);
  const expiresAt = ttlSeconds === null ? null : Math.floor(now / 1000) + ttlSeconds;

  const labels: Record<string, string> = {
    ...options.labels,
    [LABEL_KEYS.managedBy]: MANAGED_BY_VALUE,
    [LABEL_KEYS.agentId]: options.agentId,
  };
  if (options.jobId !== undefined) labels[LABEL_KEYS.jobId] = options.jobId;
  if (expiresAt !== null) labels[LABEL_KEYS.expiresAt] = String(expiresAt);

  return {
    agentId: options.agentId,
    jobId: options.jobId ?? null,
    name,
    candidates,
    locations: options.candidates
      ? [...new Set(options.candidates.map((candidate) => candidate.location))]
      : locations,
    machine: resolveMachine(options.machine),
    image,
    sshKeys: [...(options.sshKeys ?? [])],
    labels,
    tags: [...options.tailscale.tags],
    ephemeral: options.tailscale.ephemeral ?? true,
    ssh: options.tailscale.ssh ?? false,
    distribution: options.tailscale.distribution ?? distributionForImage(image),
    cloudInit: [...(options.cloudInit ?? [])],
    sshd: options.sshd ?? "everywhere",
    ttlSeconds,
    expiresAt,
    timeouts: {
      total: options.timeouts?.total ?? DEFAULTS.timeouts.total,
      serverRunning: options.timeouts?.serverRunning ?? DEFAULTS.timeouts.serverRunning,
      deviceJoin: options.timeouts?.deviceJoin ?? DEFAULTS.timeouts.deviceJoin,
    },
    signal: options.signal,
    bootReport: options.bootReport ? { ...options.bootReport } : undefined,
    network: {
      ipv4: options.publicNet?.ipv4 ?? true,
      ipv6: options.publicNet?.ipv6 ?? true,
      networks: [...(options.networks ?? [])],
      firewall: options.firewalls
        ? { kind: "user", ids: [...options.firewalls] }
        : { kind: "managed", variant: options.publicAccess?.ssh ? "public-ssh" : "tailnet-only" },
    },
  };
}
