import type { CreateServerResult, Server } from "@tailvm/hetzner-client";
import { anySignal } from "@tailvm/internal";
import type { CreatedAuthKey, EnrolledDevice } from "@tailvm/tailscale-client";
import { startNamedDeadline } from "./deadline-exceeded-error.js";
import type { Output } from "./output.js";
import type { ResolvedOptions } from "./resolve-options.js";
import type { Run, RunResources } from "./run-interface.js";
import type { Operation, Scope } from "./scope.js";
import type { Phase, PricedCandidate, RunInfo } from "./types.js";

export type { Run, RunResources } from "./run-interface.js";

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
  const resources: RunResources = {
    keyId: undefined,
    serverId: undefined,
    seenServerId: undefined,
    deviceId: undefined,
    createMaybeApplied: false,
    keyMintMaybeApplied: false,
  };
  let pendingKey: Promise<CreatedAuthKey> | undefined;
  let pendingServer: Promise<CreateServerResult> | undefined;
  let adoptedServer: Server | undefined;
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
    resources.seenServerId = server.id;
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
    resources,
    get needsRollback() {
      return (
        resources.keyId !== undefined ||
        pendingKey !== undefined ||
        resources.serverId !== undefined ||
        pendingServer !== undefined ||
        resources.createMaybeApplied ||
        resources.keyMintMaybeApplied
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
      resources.keyMintMaybeApplied = mayHaveApplied;
    },
    authKeyCreated(created: CreatedAuthKey) {
      pendingKey = undefined;
      // The caller hears about the secret before anything could print it; then every later event
      // and log line has it redacted.
      reporter.redactor.add(created.key);
      resources.keyId = created.id;
      operation.claims.add("tailscale", "keys", created.id);
      init.onSecret(created.key);
      reporter.emit({ type: "resource-created", resource: "auth-key", id: created.id });
    },
    authKeyReleased() {
      resources.keyId = undefined;
    },
    secretCreated(value: string) {
      reporter.redactor.add(value);
      init.onSecret(value);
    },
    takePendingKey() {
      const pending = resources.keyId === undefined ? pendingKey : undefined;
      pendingKey = undefined;
      return pending;
    },

    serverCreateRequested(pending: Promise<CreateServerResult>) {
      // Until Hetzner answers, the server may exist: an abort or a lost answer must still roll it back.
      resources.createMaybeApplied = true;
      pendingServer = pending;
    },
    serverCreateFailed(mayHaveApplied: boolean) {
      pendingServer = undefined;
      resources.createMaybeApplied = mayHaveApplied;
    },
    serverCreated(created: CreateServerResult) {
      pendingServer = undefined;
      if (created.rootPassword) reporter.redactor.add(created.rootPassword);
      resources.serverId = created.server.id;
      serverSeen(created.server);
      if (created.rootPassword) init.onSecret(created.rootPassword);
      announceServer(created.server);
    },
    serverFound(server: Server) {
      resources.serverId = server.id;
      serverSeen(server);
      announceServer(server);
    },
    serverAdopted(server: Server) {
      adoptedServer = server;
      serverSeen(server);
    },
    takePendingServer() {
      const pending = resources.serverId === undefined ? pendingServer : undefined;
      pendingServer = undefined;
      return pending;
    },
    giveUpOnCreates() {
      abandon.abort(new Error("rollback stopped waiting for the create request"));
    },

    deviceJoined(device: EnrolledDevice) {
      if (adoptedServer) return;
      resources.deviceId = device.nodeId;
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
