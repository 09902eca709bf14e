import type { CreateServerResult, Server } from "@tailvm/hetzner-client";
import { anySignal } from "@tailvm/internal";
import type { CreatedAuthKey, EnrolledDevice } from "@tailvm/tailscale-client";
import { startNamedDeadline } from "./deadline-exceeded-error.js";
import type { Output } from "./output.js";
import type { Reporter } from "./reporter.js";
import type { ResolvedOptions } from "./resolve-options.js";
import type { Operation, Scope } from "./scope.js";
import type { Phase, PricedCandidate, RunInfo } from "./types.js";

/** What a run starts from: its validated options, the scope's tools and the caller's hooks. */
export interface RunInit {
  options: ResolvedOptions;
  scope: Scope;
  operation: Operation;
  outputs: Output[];
  onSecret: (value: string) => void;
  runId: string;
  startedAt: number;
  /** Phases already timed (validation). */
  timings: Record<string, number>;
}

/** What a run uses of its scope, as the scope holds it. */
type ScopeTools =
  | "clock"
  | "hetzner"
  | "tailscale"
  | "catalog"
  | "firewalls"
  | "joinHistory"
  | "rollbackTimeoutMs";

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
  readonly keyId: string | undefined;
  /** A server this run created (or found after an ambiguous create): rollback deletes it. */
  readonly serverId: number | undefined;
  /** Any server the run worked with, for reports. */
  readonly seenServerId: number | undefined;
  readonly deviceId: string | undefined;
  /** POST /servers failed (or has not answered) in a way that may have created the server. */
  readonly createMaybeApplied: boolean;
  /** The key request failed in a way (5xx, network) that may have minted a key. */
  readonly keyMintMaybeApplied: boolean;
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

export function createRun(init: RunInit): Run {
  const { options, scope, operation } = init;
  const { clock } = scope;
  const reporter = operation.reporter;
  const total = startNamedDeadline(clock, "total", options.timeouts.total);
  const failed = new AbortController();
  const ended = new AbortController();
  const signal = anySignal(options.signal, total.signal, failed.signal);
  const abandon = new AbortController();
  const timings: Record<string, number> = { ...init.timings };

  let phase: Phase = "validate";
  let keyId: string | undefined;
  let pendingKey: Promise<CreatedAuthKey> | undefined;
  let serverId: number | undefined;
  let pendingServer: Promise<CreateServerResult> | undefined;
  let createMaybeApplied = false;
  let keyMintMaybeApplied = false;
  let deviceId: string | undefined;
  let adoptedServer: Server | undefined;
  let seenServerId: number | undefined;
  let ranked: readonly PricedCandidate[] = [];

  const startPhase = (name: Phase) => {
    phase = name;
    const started = clock.now();
    reporter.emit({ type: "phase-start", phase: name });
    return (ok: boolean) => {
      const durationMs = clock.now() - started;
      timings[name] = (timings[name] ?? 0) + durationMs;
      reporter.emit({ type: "phase-end", phase: name, durationMs, ok });
    };
  };

  const serverSeen = (server: Server) => {
    seenServerId = server.id;
    operation.claims.add("hetzner", "servers", server.id);
  };
  const announceServer = (server: Server) =>
    reporter.emit({
      type: "resource-created",
      resource: "server",
      id: String(server.id),
      name: server.name,
    });

  return {
    options,
    clock,
    reporter,
    outputs: init.outputs,
    runId: init.runId,
    startedAt: init.startedAt,
    hetzner: scope.hetzner,
    tailscale: scope.tailscale,
    catalog: scope.catalog,
    firewalls: scope.firewalls,
    joinHistory: scope.joinHistory,
    rollbackTimeoutMs: scope.rollbackTimeoutMs,
    signal,
    createSignal: abandon.signal,
    signals: { caller: options.signal, total: total.signal, failed: failed.signal },
    ended: ended.signal,
    fail(failure) {
      if (!ended.signal.aborted) failed.abort(failure);
    },

    get phase() {
      return phase;
    },
    get serverName() {
      return adoptedServer?.name ?? options.name;
    },
    get adopted() {
      return adoptedServer !== undefined;
    },
    get keyId() {
      return keyId;
    },
    get serverId() {
      return serverId;
    },
    get seenServerId() {
      return seenServerId;
    },
    get deviceId() {
      return deviceId;
    },
    get createMaybeApplied() {
      return createMaybeApplied;
    },
    get keyMintMaybeApplied() {
      return keyMintMaybeApplied;
    },
    get needsRollback() {
      return (
        keyId !== undefined ||
        pendingKey !== undefined ||
        serverId !== undefined ||
        pendingServer !== undefined ||
        createMaybeApplied ||
        keyMintMaybeApplied
      );
    },

    async inPhase<T>(name: Phase, work: () => Promise<T>): Promise<T> {
      const end = startPhase(name);
      let ok = false;
      try {
        signal.throwIfAborted();
        const value = await work();
        ok = true;
        return value;
      } finally {
        end(ok);
      }
    },
    startPhase,

    async withPhaseDeadline<T>(
      name: "serverRunning" | "deviceJoin",
      work: (phaseSignal: AbortSignal, timeoutMs: number) => Promise<T>,
    ): Promise<T> {
      const timeoutMs = Math.max(1, Math.min(options.timeouts[name], total.remaining()));
      const deadline = startNamedDeadline(clock, name, timeoutMs);
      try {
        return await work(anySignal(signal, deadline.signal), timeoutMs);
      } catch (error) {
        if (deadline.signal.aborted && !signal.aborted) throw deadline.signal.reason;
        throw error;
      } finally {
        deadline.dispose();
      }
    },

    authKeyRequested(pending: Promise<CreatedAuthKey>) {
      pendingKey = pending;
    },
    authKeyRequestFailed(mayHaveApplied: boolean) {
      pendingKey = undefined;
      keyMintMaybeApplied = mayHaveApplied;
    },
    authKeyCreated(created: CreatedAuthKey) {
      pendingKey = undefined;
      // The caller hears about the secret before anything could print it; then every later event
      // and log line has it redacted.
      reporter.redactor.add(created.key);
      keyId = created.id;
      operation.claims.add("tailscale", "keys", created.id);
      init.onSecret(created.key);
      reporter.emit({ type: "resource-created", resource: "auth-key", id: created.id });
    },
    authKeyReleased() {
      keyId = undefined;
    },
    secretCreated(value: string) {
      reporter.redactor.add(value);
      init.onSecret(value);
    },
    takePendingKey() {
      const pending = keyId === undefined ? pendingKey : undefined;
      pendingKey = undefined;
      return pending;
    },

    serverCreateRequested(pending: Promise<CreateServerResult>) {
      // Until Hetzner answers, the server may exist: an abort or a lost answer must still roll it back.
      createMaybeApplied = true;
      pendingServer = pending;
    },
    serverCreateFailed(mayHaveApplied: boolean) {
      pendingServer = undefined;
      createMaybeApplied = mayHaveApplied;
    },
    serverCreated(created: CreateServerResult) {
      pendingServer = undefined;
      if (created.rootPassword) reporter.redactor.add(created.rootPassword);
      serverId = created.server.id;
      serverSeen(created.server);
      if (created.rootPassword) init.onSecret(created.rootPassword);
      announceServer(created.server);
    },
    serverFound(server: Server) {
      serverId = server.id;
      serverSeen(server);
      announceServer(server);
    },
    serverAdopted(server: Server) {
      adoptedServer = server;
      serverSeen(server);
    },
    takePendingServer() {
      const pending = serverId === undefined ? pendingServer : undefined;
      pendingServer = undefined;
      return pending;
    },
    giveUpOnCreates() {
      abandon.abort(new Error("rollback stopped waiting for the create request"));
    },

    deviceJoined(device: EnrolledDevice) {
      if (adoptedServer) return;
      deviceId = device.nodeId;
      operation.claims.add("tailscale", "device", device.nodeId);
      reporter.emit({
        type: "resource-created",
        resource: "device",
        id: device.nodeId,
        name: device.hostname,
      });
    },

    get candidates() {
      return ranked;
    },
    placementRanked(candidates: readonly PricedCandidate[]) {
      ranked = [...candidates];
    },

    timings: () => ({ ...timings }),
    totalMs: () => clock.now() - init.startedAt,
    info: (): RunInfo => ({
      runId: init.runId,
      agentId: options.agentId,
      jobId: options.jobId,
      startedAt: init.startedAt,
      finishedAt: clock.now(),
    }),
    finish() {
      total.dispose();
      ended.abort(new Error("the run has ended"));
    },
  };
}
