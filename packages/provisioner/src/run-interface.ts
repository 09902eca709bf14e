import type { CreateServerResult, Server } from "@tailvm/hetzner-client";
import type { CreatedAuthKey, EnrolledDevice } from "@tailvm/tailscale-client";
import type { Output } from "./output.js";
import type { Reporter } from "./reporter.js";
import type { ResolvedOptions } from "./resolve-options.js";
import type { Scope } from "./scope.js";
import type { Phase, PricedCandidate, RunInfo } from "./types.js";

/** What a run uses of its scope, as the scope holds it. */
type ScopeTools =
  | "clock"
  | "hetzner"
  | "tailscale"
  | "catalog"
  | "firewalls"
  | "joinHistory"
  | "rollbackTimeoutMs";

/** What a run has created, or may have created: what rollback undoes and reports name. */
export interface RunResources {
  keyId: string | undefined;
  /** A server this run created (or found after an ambiguous create): rollback deletes it. */
  serverId: number | undefined;
  /** Any server the run worked with, for reports. */
  seenServerId: number | undefined;
  deviceId: string | undefined;
  /** POST /servers failed (or has not answered) in a way that may have created the server. */
  createMaybeApplied: boolean;
  /** The key request failed in a way (5xx, network) that may have minted a key. */
  keyMintMaybeApplied: boolean;
}

/**
 * One provisioning run: the tools its steps use, and the only place its state changes. Steps read
 * what they need and report what happened through the transitions; rollback reads what is left.
 */
export interface Run extends Pick<Scope, ScopeTools> {
  readonly options: ResolvedOptions;
  readonly reporter: Reporter;
  readonly outputs: readonly Output[];
  readonly runId: string;
  readonly startedAt: number;
  /** Aborts on the caller's signal, at `timeouts.total`, or when {@link Run.fail} is called. */
  readonly signal: AbortSignal;
  /**
   * The signal the key and server creates are sent with. They do not get the run's signal: a
   * create abandoned mid-request may still be applied, so the run races it against its signal
   * instead and rollback awaits its answer. This aborts only when rollback stops waiting.
   */
  readonly createSignal: AbortSignal;
  /**
   * The caller's signal, the total deadline's and the one {@link Run.fail} aborts, to tell a
   * cancel from a timeout from a failure seen outside the step that was running.
   */
  readonly signals: { caller: AbortSignal | undefined; total: AbortSignal; failed: AbortSignal };
  /** Aborts once the run has ended, however it ended: watchers started by steps stop on it. */
  readonly ended: AbortSignal;
  /**
   * Fails the run from outside its steps (a boot report saying cloud-init failed): the run's
   * signal aborts, so whatever step is waiting stops, and the run fails with `failure`.
   */
  fail(failure: Error): void;

  readonly phase: Phase;
  /** The server's name and the device's hostname: an adopted server keeps its own. */
  readonly serverName: string;
  readonly adopted: boolean;
  /** What the run has created so far, kept current by the transitions below. */
  readonly resources: Readonly<RunResources>;
  /** Whether anything this run created (or may have created) is left to roll back. */
  readonly needsRollback: boolean;

  /** Runs `work` as `name`: timed, announced, and not started once the run's signal aborted. */
  inPhase<T>(name: Phase, work: () => Promise<T>): Promise<T>;
  /** Starts `name` whatever the signal says (rollback); call the result with whether it went well. */
  startPhase(name: Phase): (ok: boolean) => void;
  /** Runs `work` under a phase deadline that also respects the run's signal. */
  withPhaseDeadline<T>(
    name: "serverRunning" | "deviceJoin",
    work: (phaseSignal: AbortSignal, timeoutMs: number) => Promise<T>,
  ): Promise<T>;

  authKeyRequested(pending: Promise<CreatedAuthKey>): void;
  /** The key request settled with an error that may (5xx, network) or may not have made a key. */
  authKeyRequestFailed(mayHaveApplied: boolean): void;
  /** Makes a minted key the run's (so rollback revokes it) and announces it. */
  authKeyCreated(created: CreatedAuthKey): void;
  /** The key is revoked, or left to expire: rollback no longer touches it. */
  authKeyReleased(): void;
  /** Hands the key request still in flight to rollback, which awaits it. */
  takePendingKey(): Promise<CreatedAuthKey> | undefined;

  serverCreateRequested(pending: Promise<CreateServerResult>): void;
  /** POST /servers settled with an error that may (5xx, network) or may not have created it. */
  serverCreateFailed(mayHaveApplied: boolean): void;
  /** Makes a created server the run's (so rollback deletes it) and announces it. */
  serverCreated(created: CreateServerResult): void;
  /** A create whose answer was lost made this server: it is the run's. */
  serverFound(server: Server): void;
  /** An earlier run's server (same job, or same name and labels) is this run's VM; it is kept. */
  serverAdopted(server: Server): void;
  /** Hands the create still in flight to rollback, which awaits it. */
  takePendingServer(): Promise<CreateServerResult> | undefined;
  /** Rollback stops waiting for creates that have not answered. */
  giveUpOnCreates(): void;

  /** A secret the run made itself (a boot report token): redacted from here on, given to `onSecret`. */
  secretCreated(value: string): void;

  /** The device joined; a new server's device is the run's (rollback deletes it). */
  deviceJoined(device: EnrolledDevice): void;

  /** The candidates placement ranked, in the order the create tries them. */
  readonly candidates: readonly PricedCandidate[];
  placementRanked(candidates: readonly PricedCandidate[]): void;

  /** Milliseconds spent in each phase so far. */
  timings(): Record<string, number>;
  totalMs(): number;
  info(): RunInfo;
  /** Ends the total deadline; the run's signal then only follows the caller's. */
  finish(): void;
}
