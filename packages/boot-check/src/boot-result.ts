import type { BootImage } from "./images.js";
import type { GuestRequest, ReceivedBootReport } from "./repository-server.js";

/**
 * A cloud-init stage, as its status file names them.
 *
 * @example
 * ```ts
 * const stage: BootStage = "modules-final";
 * ```
 */
export type BootStage = "init-local" | "init" | "modules-config" | "modules-final";

/**
 * One module cloud-init ran, in the order it ran them.
 *
 * @example
 * ```ts
 * result.modules.map((module) => module.name); // ["seed_random", "bootcmd", "write-files", ...]
 * ```
 */
export interface BootModule {
  stage: BootStage;
  name: string;
  failed: boolean;
}

/**
 * An error cloud-init recorded for a stage, with the module it names (`null` when none).
 *
 * @example
 * ```ts
 * result.failures[0]; // { stage: "init", module: "bootcmd", error: "ProcessExecutionError(...)" }
 * ```
 */
export interface BootFailure {
  stage: BootStage;
  module: string | null;
  error: string;
}

/**
 * A `write_files` path as it is on the disk when the boot has finished.
 *
 * @example
 * ```ts
 * result.files.find((file) => file.path === "/etc/app.conf"); // { exists: true, mode: "0644", owner: "root:root", ... }
 * ```
 */
export interface BootFile {
  path: string;
  exists: boolean;
  mode?: string;
  /** `user:group`, by name. */
  owner?: string;
  size?: number;
  sha256?: string;
  /** The content, for files up to 256 KiB. */
  content?: Buffer;
}

/**
 * The state of the auth key file when `tailscale up` read it.
 *
 * @example
 * ```ts
 * result.tailscale.up?.authKeyFile; // { path: "/run/tailvm/tailscale-auth-key", exists: true, mode: "0600", owner: "root:root", sha256: "..." }
 * ```
 */
export interface AuthKeyFileState {
  path: string;
  exists: boolean;
  mode?: string;
  owner?: string;
  /** SHA-256 of the content with surrounding whitespace trimmed, as tailscale trims it. */
  sha256?: string;
}

/**
 * One call of the stub `tailscale` CLI.
 *
 * @example
 * ```ts
 * result.tailscale.up?.argv; // ["up", "--auth-key=file:/run/tailvm/tailscale-auth-key", "--hostname=ci-1", ...]
 * ```
 */
export interface TailscaleCall {
  argv: string[];
  uptimeSeconds: number;
  authKeyFile?: AuthKeyFileState;
}

/**
 * What happened to Tailscale in the guest.
 *
 * @example
 * ```ts
 * result.tailscale.installedVersion; // "1.99.0~boot-check" (the stub), or null
 * ```
 */
export interface TailscaleOutcome {
  /** The installed `tailscale` package's version, or null when it was never installed. */
  installedVersion: string | null;
  /** Whether /usr/share/keyrings/tailscale-archive-keyring.gpg exists at the end. */
  keyringInstalled: boolean;
  /** The keyring program's lines from cloud-init's output (`tailvm: tailscale keyring: ...`). */
  keyringLog: string[];
  /** Every call of the stub CLI, in order (none when Tailscale is not the stub). */
  calls: TailscaleCall[];
  /** The first `tailscale up` call, or null. */
  up: TailscaleCall | null;
  /** Whether `tailscaled.service` is active at the end. */
  tailscaledActive: boolean;
}

/**
 * Everything a boot check found out about one boot.
 *
 * @example
 * ```ts
 * const result: BootCheckResult = await bootCheck({ userData, image: "debian-12" });
 * if (!result.ok) console.error(formatBootCheckReport(result));
 * ```
 */
export interface BootCheckResult {
  image: BootImage;
  instanceId: string;
  /** The guest's cloud-init package version, e.g. "22.4.2-1+deb12u4". */
  cloudInitVersion: string | null;
  /** cloud-init's verdict (`done`, `error`, `degraded done`, ...), or `unknown` if nothing came back. */
  status: string;
  /** cloud-init finished `done`, no module failed, the schema is valid and no unit failed. */
  ok: boolean;
  /** The boot did not finish in time and the VM was stopped. */
  timedOut: boolean;
  /** Host time from starting QEMU to its exit. */
  durationMs: number;
  /** Guest uptime when the collector ran. */
  uptimeSeconds: number | null;
  /** `cloud-init schema --system` in the guest: the user data against that version's schema. */
  schema: { valid: boolean; output: string } | null;
  modules: BootModule[];
  failures: BootFailure[];
  files: BootFile[];
  tailscale: TailscaleOutcome;
  /** Units in the `failed` state at the end. */
  failedUnits: string[];
  /** Boot reports the guest POSTed to the checker's `/boot-report/` receiver. */
  bootReports: ReceivedBootReport[];
  /** Every request the guest made to the checker's server. */
  requests: GuestRequest[];
  /** The user data as booted (after any rewrite for the stub repository). */
  userData: string;
  logs: { cloudInit: string; output: string; console: string; journal: string };
}
