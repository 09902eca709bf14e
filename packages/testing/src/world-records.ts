import type { CatalogImage } from "./catalog-images.js";
import type { CatalogLocation } from "./catalog-locations.js";
import type { CatalogServerType } from "./catalog-server-types.js";
import type { FaultSchedule } from "./fault-schedule.js";
import type { BootReportFetch } from "./simulated-boot-report.js";
import type { SimAuthKey, SimDevice, SimulatedApi, SimulatedClock } from "./types.js";

/** The records the simulated world keeps, and how it is configured. */

export interface ServerRecord {
  id: number;
  name: string;
  labels: Record<string, string>;
  serverType: CatalogServerType;
  location: CatalogLocation;
  image: CatalogImage;
  userData: string | null;
  sshKeys: string[];
  created: number;
  /** When the server reaches `running`; `null` when it never will. */
  runningAt: number | null;
  /** When the server turns `off` (an action failed, or it was not started); `null` otherwise. */
  offAt: number | null;
  booted: boolean;
  /** Why the booted server will get no device; `null` before the boot and when it joins. */
  bootProblem: string | null;
  ipv4: string | null;
  ipv6: string | null;
  /** The firewalls applied from the create on. */
  firewallIds: number[];
  /** The private networks the server is attached to. */
  networkIds: number[];
}

export interface FirewallRuleRecord {
  direction: "in" | "out";
  protocol: "tcp" | "udp" | "icmp" | "esp" | "gre";
  port: string | null;
  sourceIps: string[];
  destinationIps: string[];
}

export interface FirewallRecord {
  id: number;
  name: string;
  labels: Record<string, string>;
  rules: FirewallRuleRecord[];
  created: number;
}

export interface NetworkRecord {
  id: number;
  name: string;
  ipRange: string;
  labels: Record<string, string>;
  created: number;
}

/** One period of a server's life during which the same public addresses and ports were open. */
export interface ExposureRecord {
  since: number;
  addresses: string[];
  /** `"any"` without a firewall; otherwise each inbound rule as `protocol/port`. */
  open: string[];
}

export interface ActionRecord {
  id: number;
  command: string;
  started: number;
  /** `null` while it runs forever. */
  finishesAt: number | null;
  error: { code: string; message: string } | null;
  resources: { id: number; type: string }[];
}

/** An auth key with its secret; its times are on the simulator's clock, not the wall clock. */
export interface KeyRecord extends Omit<SimAuthKey, "valid"> {
  secret: string;
}

/** A tailnet device with its keys; its times are on the simulator's clock, not the wall clock. */
export interface DeviceRecord extends Omit<SimDevice, "connectedToControl"> {
  connected: boolean;
  machineKey: string;
  nodeKey: string;
}

export interface SshKeyRecord {
  id: number;
  name: string;
  publicKey: string;
  fingerprint: string;
  labels: Record<string, string>;
  created: number;
}

export interface FaultTargetRecord {
  api: SimulatedApi;
  method: string | undefined;
  path: string | RegExp;
  remaining: number;
}

export interface WorldFaults {
  failNext: (FaultTargetRecord & { status: number; code: string | undefined })[];
  resetConnection: FaultTargetRecord[];
  unavailable: Set<string>;
  failNextAction: { command: string; code: string }[];
  serverNeverRuns: { name: string | undefined }[];
  deviceNeverJoins: { hostname: string | undefined }[];
  tokenEndpoint: { status: number; remaining: number } | undefined;
  schedule: FaultSchedule | undefined;
}

export interface WorldTimings {
  bootMs: number;
  createActionMs: number;
  joinMs: number;
  deleteMs: number;
}

export interface WorldConfig {
  clock: SimulatedClock;
  /** The wall-clock time of a simulated time, for every timestamp an answer carries. */
  wallTime: (time: number) => number;
  timings: WorldTimings;
  rateLimit: { limit: number; refillPerSecond: number };
  tokenTtlSeconds: number;
  tailnetDnsName: string;
  /** How a VM sends its boot report; `undefined` for `globalThis.fetch`. */
  bootReportFetch: BootReportFetch | undefined;
}
