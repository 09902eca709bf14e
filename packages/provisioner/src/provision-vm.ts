import { randomUUID } from "node:crypto";
import { preview, render } from "@tailvm/cloud-init";
import {
  type HetznerClient,
  HetznerNetworkError,
  isHetznerApiError,
  type Server,
} from "@tailvm/hetzner-client";
import type { EnrolledDevice, TailscaleClient } from "@tailvm/tailscale-client";
import { buildCloudConfig, checkCloudConfig, secretsIn } from "./build-cloud-config.js";
import { choosePlacement } from "./choose-placement.js";
import { classifyFailure, StepFailure } from "./classify-failure.js";
import { createCleanup, withRetries } from "./cleanup.js";
import { registerContextSecrets, resolveClients, withRunScope } from "./clients.js";
import { type Clock, systemClock } from "./clock.js";
import type { ProvisionContext } from "./context.js";
import { anySignal, startDeadline } from "./deadline.js";
import { loggersOf } from "./default-logger.js";
import { ProvisionError, ProvisionInputError, ProvisionOutputError } from "./errors.js";
import { LABEL_KEYS, labelSelector, MANAGED_BY_VALUE } from "./labels.js";
import { authKeyExpirySeconds } from "./plan.js";
import { isAbortOf, raceSignal } from "./race-signal.js";
import { createRedactor } from "./redactor.js";
import { createReporter, type Reporter } from "./reporter.js";
import { type ResolvedOptions, resolveOptions } from "./resolve-options.js";
import { listServerTypesShared } from "./server-type-cache.js";
import type {
  CleanupReport,
  Phase,
  PlacementCandidate,
  ProvisionFailure,
  ProvisionOptions,
  ProvisionResult,
  RunInfo,
} from "./types.js";

const DEFAULT_ROLLBACK_TIMEOUT_MS = 120_000;

type CreatedAuthKey = Awaited<ReturnType<TailscaleClient["createAuthKey"]>>;
type CreatedServer = Awaited<ReturnType<HetznerClient["createServer"]>>;

interface RunState {
  phase: Phase;
  keyId: string | undefined;
  /**
   * The key mint still in flight when the run stopped waiting for it (abort or deadline): the
   * request may still be applied, so rollback awaits it and revokes what it returns.
   */
  pendingKey: Promise<CreatedAuthKey> | undefined;
  /** A server this run created (or found after an ambiguous create): rollback deletes it. */
  serverId: number | undefined;
  /** POST /servers failed in a way that may have created the server anyway. */
  createMaybeApplied: boolean;
  /** Like `pendingKey`, for POST /servers: rollback awaits it and deletes the server it returns. */
  pendingServer: Promise<CreatedServer> | undefined;
  deviceId: string | undefined;
  adopted: boolean;
  /** Any server the run worked with, for reports. */
  seenServerId: number | undefined;
}

/**
 * Creates a Hetzner Cloud VM that joins your tailnet on first boot, waits until it is reachable
 * there, and returns its addresses. On any failure, timeout or abort, everything the run created
 * (server, tailnet device, auth key) is deleted before the `ProvisionError` is thrown.
 *
 * With a `jobId`, calling again for the same job adopts the server already labelled with it.
 *
 * @throws {ProvisionInputError} for bad options, before any request.
 * @throws {ProvisionError} when a phase fails; `phase`, `code`, `cause` and `cleanup` say what happened.
 * @throws {ProvisionOutputError} when the VM is up but an output failed; the VM is kept.
 * @example
 * ```ts
 * import { consoleLogger, provisionVM } from "@tailvm/provisioner";
 *
 * const vm = await provisionVM(
 *   { agentId: "agent-42", jobId: "job-1001", region: "eu-central", tailscale: { tags: ["tag:ci"] }, ttl: "2h" },
 *   {
 *     hetzner: { token: process.env.HETZNER_API_TOKEN! },
 *     tailscale: { auth: { oauthClientId: process.env.TS_CLIENT_ID!, oauthClientSecret: process.env.TS_CLIENT_SECRET! } },
 *     logger: consoleLogger(),
 *   },
 * );
 * console.log(`ssh root@${vm.tailscaleIp}`);
 * ```
 */
export async function provisionVM(
  options: ProvisionOptions,
  context: ProvisionContext,
): Promise<ProvisionResult> {
  const clock: Clock = context?.clock ?? systemClock;
  const startedAt = clock.now();
  const runId = randomUUID();
  const redactor = createRedactor();
  registerContextSecrets(context, redactor);
  for (const output of context?.outputs ?? []) {
    for (const value of output.secrets ?? []) redactor.add(value);
  }
  const reporter = createReporter({
    redactor,
    clock,
    loggers: loggersOf(context?.logger),
    onEvent: context?.onEvent,
  });
  const timings: Record<string, number> = {};

  reporter.emit({ type: "phase-start", phase: "validate" });
  let resolved: ResolvedOptions;
  let clients: { hetzner: HetznerClient; tailscale: TailscaleClient };
  try {
    resolved = resolveOptions(options, startedAt);
    for (const value of secretsIn(resolved.cloudInit)) redactor.add(value);
    checkCloudConfig({
      hostname: resolved.name,
      tags: resolved.tags,
      ssh: resolved.ssh,
      distribution: resolved.distribution,
      fragments: resolved.cloudInit,
    });
    clients = resolveClients(context, clock, redactor);
  } catch (error) {
    timings.validate = clock.now() - startedAt;
    reporter.emit({
      type: "phase-end",
      phase: "validate",
      durationMs: timings.validate,
      ok: false,
    });
    reporter.emit({
      type: "failure",
      phase: "validate",
      message: error instanceof Error ? error.message : String(error),
      code: "invalid_input",
      cleanup: { removed: [], failed: [] },
    });
    if (error instanceof ProvisionInputError) {
      // A credential pasted into the wrong option must not come back in the message.
      throw new ProvisionInputError(
        error.issues.map((issue) => ({
          field: issue.field,
          message: redactor.redact(issue.message),
        })),
      );
    }
    throw error;
  }
  timings.validate = clock.now() - startedAt;
  reporter.emit({ type: "phase-end", phase: "validate", durationMs: timings.validate, ok: true });

  const run: Run = {
    options: resolved,
    context,
    clock,
    reporter,
    hetzner: clients.hetzner,
    tailscale: clients.tailscale,
    startedAt,
    runId,
    timings,
    abandon: new AbortController(),
    state: {
      phase: "validate",
      keyId: undefined,
      pendingKey: undefined,
      serverId: undefined,
      createMaybeApplied: false,
      pendingServer: undefined,
      deviceId: undefined,
      adopted: false,
      seenServerId: undefined,
    },
  };
  return withRunScope(
    {
      onRetry: (event) =>
        reporter.emit({
          type: "retry",
          api: event.api,
          attempt: event.attempt,
          delayMs: event.delayMs,
          method: event.method,
          path: event.path,
          ...(event.status === undefined ? {} : { status: event.status }),
          ...(event.code === undefined ? {} : { code: event.code }),
          reason: event.reason,
        }),
    },
    () => execute(run),
  );
}

interface Run {
  options: ResolvedOptions;
  context: ProvisionContext;
  clock: Clock;
  reporter: Reporter;
  hetzner: HetznerClient;
  tailscale: TailscaleClient;
  startedAt: number;
  runId: string;
  timings: Record<string, number>;
  /**
   * The signal of the two creates (key and server). They do not get the run's signal: a create
   * abandoned mid-request may still be applied, so the run races it against its signal instead
   * and rollback awaits its answer. This aborts only when rollback stops waiting.
   */
  abandon: AbortController;
  state: RunState;
}

async function execute(run: Run): Promise<ProvisionResult> {
  const { options, clock, reporter, hetzner, tailscale, state, timings } = run;
  const total = startDeadline(clock, "total", options.timeouts.total);
  const runSignal = anySignal(options.signal, total.signal);

  const phase = async <T>(name: Phase, work: () => Promise<T>): Promise<T> => {
    state.phase = name;
    const started = clock.now();
    reporter.emit({ type: "phase-start", phase: name });
    let ok = false;
    try {
      runSignal.throwIfAborted();
      const value = await work();
      ok = true;
      return value;
    } finally {
      const durationMs = clock.now() - started;
      timings[name] = (timings[name] ?? 0) + durationMs;
      reporter.emit({ type: "phase-end", phase: name, durationMs, ok });
    }
  };

  /** Runs `work` under a phase deadline that also respects the run's signal. */
  const withDeadline = async <T>(
    name: "serverRunning" | "deviceJoin",
    work: (signal: AbortSignal, timeoutMs: number) => Promise<T>,
  ): Promise<T> => {
    const timeoutMs = Math.max(1, Math.min(options.timeouts[name], total.remaining()));
    const deadline = startDeadline(clock, name, timeoutMs);
    try {
      return await work(anySignal(runSignal, deadline.signal), timeoutMs);
    } catch (error) {
      if (deadline.signal.aborted && !runSignal.aborted) throw deadline.signal.reason;
      throw error;
    } finally {
      deadline.dispose();
    }
  };

  try {
    let adoptedServer: Server | undefined;
    let placement: PlacementCandidate[] = [];

    await phase("placement", async () => {
      if (options.jobId !== null) {
        adoptedServer = await findJobServer(run, runSignal);
        if (adoptedServer) return;
      }
      const serverTypes = await listServerTypesShared(hetzner, clock, runSignal);
      const { usable, skipped } = choosePlacement(options.candidates, serverTypes, clock.now());
      for (const { candidate, reason } of skipped) {
        reporter.emit({
          type: "warning",
          phase: "placement",
          message: `skipping ${candidate.serverType} in ${candidate.location}: ${reason}`,
        });
      }
      if (usable.length === 0) {
        throw new StepFailure(
          "resource_unavailable",
          `none of the candidates can be used (${skipped.map((item) => item.reason).join("; ")}).`,
          { isRetryable: true },
        );
      }
      placement = usable;
    });

    let server: Server;
    let actionIds: number[] = [];
    if (adoptedServer) {
      server = adoptedServer;
      state.adopted = true;
      state.seenServerId = server.id;
    } else {
      const authKey = await phase("auth-key", () => mintAuthKey(run, runSignal));
      await phase("stale-devices", async () => {
        const removed = await tailscale.removeStaleDevices({
          hostname: options.name,
          tags: options.tags,
          signal: runSignal,
        });
        if (removed.length > 0) {
          reporter.emit({
            type: "warning",
            phase: "stale-devices",
            message: `removed ${removed.length} offline tailnet device(s) named ${options.name} left by an earlier run`,
          });
        }
      });
      const userData = await phase("cloud-init", async () => {
        const config = buildCloudConfig({
          authKey,
          hostname: options.name,
          tags: options.tags,
          ssh: options.ssh,
          distribution: options.distribution,
          fragments: options.cloudInit,
        });
        reporter.log("debug", `cloud-config (secrets shown as ***):\n${preview(config)}`);
        return render(config);
      });
      const created = await phase("create-server", () =>
        createServer(run, placement, userData, runSignal),
      );
      server = created.server;
      actionIds = created.actionIds;
    }

    server = await phase("server-running", () =>
      withDeadline("serverRunning", async (signal, timeoutMs) => {
        if (actionIds.length === 0) return waitForRunning(hetzner, clock, server.id, signal);
        // The create answer already holds the addresses, and the actions' success (start_server
        // among them) means running: reading the server again would only spend rate limit.
        // A create takes tens of seconds: the first poll waits 3 s, not 1 s.
        await hetzner.waitForAction(actionIds, { signal, timeoutMs, initialIntervalMs: 3_000 });
        return server;
      }),
    );

    const device = await phase("device-join", () =>
      withDeadline("deviceJoin", (signal, timeoutMs) =>
        tailscale.waitForDevice({
          hostname: options.name,
          tags: options.tags,
          createdAfter: state.adopted ? Date.parse(server.created) : run.startedAt,
          requireConnected: true,
          signal,
          timeoutMs,
        }),
      ),
    );
    if (!state.adopted) {
      state.deviceId = device.nodeId;
      reporter.emit({
        type: "resource-created",
        resource: "device",
        id: device.nodeId,
        name: device.hostname,
      });
    }

    const keyId = state.keyId;
    if (keyId !== undefined) {
      await phase("revoke-key", async () => {
        try {
          const { deleted } = await withRetries({ clock, signal: runSignal }, () =>
            tailscale.deleteAuthKey(keyId, { signal: runSignal }),
          );
          if (deleted) reporter.emit({ type: "resource-deleted", resource: "auth-key", id: keyId });
        } catch (error) {
          reporter.emit({
            type: "warning",
            phase: "revoke-key",
            message: `could not revoke auth key ${keyId} (it expires on its own): ${error instanceof Error ? error.message : String(error)}`,
          });
        }
        state.keyId = undefined;
      });
    }

    total.dispose();
    return await succeed(run, server, device);
  } catch (error) {
    total.dispose();
    if (error instanceof ProvisionOutputError) throw error;
    throw await fail(run, error, { caller: options.signal, total: total.signal });
  }
}

/** The server already labelled with this job, if any; refuses one that belongs to another agent. */
async function findJobServer(run: Run, signal: AbortSignal): Promise<Server | undefined> {
  const { options, hetzner, reporter } = run;
  const servers = await hetzner.listServers({
    labelSelector: labelSelector({
      [LABEL_KEYS.managedBy]: MANAGED_BY_VALUE,
      [LABEL_KEYS.jobId]: options.jobId ?? "",
    }),
    signal,
  });
  if (servers.length === 0) return undefined;
  const [server] = [...servers].sort((a, b) => Date.parse(a.created) - Date.parse(b.created));
  if (!server) return undefined;
  if (server.labels[LABEL_KEYS.agentId] !== options.agentId) {
    throw new StepFailure(
      "job_conflict",
      `server ${server.name} (${server.id}) already carries job id ${options.jobId} but belongs to agent ${server.labels[LABEL_KEYS.agentId] ?? "(none)"}; use a new job id, or deprovision that server first.`,
    );
  }
  if (server.name !== options.name) {
    // The adopted server keeps its name; the device is looked up by it.
    options.name = server.name;
  }
  reporter.emit({
    type: "warning",
    phase: "placement",
    message: `job ${options.jobId} already has server ${server.name} (${server.id}); adopting it instead of creating another`,
  });
  return server;
}

async function mintAuthKey(run: Run, signal: AbortSignal): Promise<string> {
  const { options, tailscale, state } = run;
  const waitSeconds =
    Math.min(options.timeouts.total, options.timeouts.serverRunning + options.timeouts.deviceJoin) /
    1000;
  const pending = tailscale.createAuthKey({
    tags: options.tags,
    ephemeral: options.ephemeral,
    preauthorized: true,
    reusable: false,
    expirySeconds: authKeyExpirySeconds(waitSeconds),
    description: `tailvm ${options.name}`.slice(0, 50).replace(/[^A-Za-z0-9 -]/g, "-"),
    signal: run.abandon.signal,
  });
  state.pendingKey = pending;
  let created: CreatedAuthKey;
  try {
    created = await raceSignal(pending, signal);
  } catch (error) {
    // Still in flight: rollback awaits it. Settled with an error: no key was made.
    if (!isAbortOf(error, signal)) state.pendingKey = undefined;
    throw error;
  }
  state.pendingKey = undefined;
  recordAuthKey(run, created);
  return created.key;
}

/** Makes a minted key the run's (so rollback revokes it) and announces it. */
function recordAuthKey(run: Run, created: CreatedAuthKey): void {
  const { reporter, context, state } = run;
  // The caller hears about the secret before anything could print it; then every later event
  // and log line has it redacted.
  reporter.redactor.add(created.key);
  state.keyId = created.id;
  context.onSecret?.(created.key);
  reporter.emit({ type: "resource-created", resource: "auth-key", id: created.id });
}

/** Makes a created server the run's (so rollback deletes it) and announces it. */
function recordServer(run: Run, created: CreatedServer): void {
  const { reporter, context, state } = run;
  if (created.rootPassword) reporter.redactor.add(created.rootPassword);
  state.serverId = created.server.id;
  state.seenServerId = created.server.id;
  if (created.rootPassword) context.onSecret?.(created.rootPassword);
  reporter.emit({
    type: "resource-created",
    resource: "server",
    id: String(created.server.id),
    name: created.server.name,
  });
}

/** Whether the server's tailvm labels say it is this run's (or this job's) server. */
function labelsMatch(server: Server, options: ResolvedOptions): boolean {
  for (const [key, value] of Object.entries(options.labels)) {
    if (key === LABEL_KEYS.expiresAt) continue;
    if (server.labels[key] !== value) return false;
  }
  return options.jobId !== null || server.labels[LABEL_KEYS.jobId] === undefined;
}

function mayHaveBeenApplied(error: unknown): boolean {
  return (
    error instanceof HetznerNetworkError ||
    (isHetznerApiError(error) && (error.status >= 500 || error.code === "timeout"))
  );
}

async function createServer(
  run: Run,
  placement: PlacementCandidate[],
  userData: string,
  signal: AbortSignal,
): Promise<{ server: Server; actionIds: number[] }> {
  const { options, hetzner, reporter, state } = run;
  const tried: string[] = [];
  for (const candidate of placement) {
    // Until Hetzner answers, the server may exist: an abort or a lost answer must still roll it back.
    state.createMaybeApplied = true;
    try {
      const pending = hetzner.createServer(
        {
          name: options.name,
          server_type: candidate.serverType,
          image: options.image,
          location: candidate.location,
          labels: options.labels,
          user_data: userData,
          start_after_create: true,
          ...(options.sshKeys.length > 0 ? { ssh_keys: options.sshKeys.map(String) } : {}),
        },
        { signal: run.abandon.signal },
      );
      state.pendingServer = pending;
      const created = await raceSignal(pending, signal);
      state.pendingServer = undefined;
      recordServer(run, created);
      return {
        server: created.server,
        actionIds: [created.action.id, ...created.nextActions.map((action) => action.id)],
      };
    } catch (error) {
      // Still in flight: rollback awaits it.
      if (isAbortOf(error, signal)) throw error;
      state.pendingServer = undefined;
      if (isHetznerApiError(error) && !mayHaveBeenApplied(error)) state.createMaybeApplied = false;
      if (
        isHetznerApiError(error, "resource_unavailable") ||
        isHetznerApiError(error, "placement_error")
      ) {
        tried.push(`${candidate.serverType} in ${candidate.location}: ${error.code}`);
        reporter.emit({
          type: "warning",
          phase: "create-server",
          message: `${candidate.serverType} in ${candidate.location} is unavailable (${error.code}); trying the next candidate`,
        });
        continue;
      }
      if (isHetznerApiError(error, "uniqueness_error")) {
        const [existing] = await hetzner.listServers({ name: options.name, signal });
        if (existing && labelsMatch(existing, options)) {
          state.adopted = true;
          state.seenServerId = existing.id;
          reporter.emit({
            type: "warning",
            phase: "create-server",
            message: `server ${existing.name} (${existing.id}) already exists with this run's labels; adopting it`,
          });
          return { server: existing, actionIds: [] };
        }
        throw new StepFailure(
          "name_conflict",
          `a server named ${options.name} already exists${existing ? ` (${existing.id})` : ""} and its labels do not match this agent and job; choose another name, or delete that server.`,
          { cause: error },
        );
      }
      if (mayHaveBeenApplied(error)) {
        // The request may have created the server although the answer was lost.
        state.createMaybeApplied = true;
        const found = await hetzner
          .listServers({ name: options.name, signal })
          .catch(() => [] as Server[]);
        const existing = found.find((server) => labelsMatch(server, options));
        if (existing) {
          state.serverId = existing.id;
          state.seenServerId = existing.id;
          reporter.emit({
            type: "warning",
            phase: "create-server",
            message: `POST /servers failed (${error instanceof Error ? error.message : String(error)}) but server ${existing.id} was created; continuing with it`,
          });
          reporter.emit({
            type: "resource-created",
            resource: "server",
            id: String(existing.id),
            name: existing.name,
          });
          return { server: existing, actionIds: [] };
        }
      }
      throw error;
    }
  }
  throw new StepFailure(
    "resource_unavailable",
    `every candidate was unavailable when creating the server (${tried.join("; ")}).`,
    { isRetryable: true },
  );
}

async function waitForRunning(
  hetzner: HetznerClient,
  clock: Clock,
  id: number,
  signal: AbortSignal,
): Promise<Server> {
  let delayMs = 1000;
  for (;;) {
    const server = await hetzner.getServer(id, { signal });
    if (server.status === "running") return server;
    await clock.sleep(delayMs, signal);
    delayMs = Math.min(5000, Math.round(delayMs * 1.5));
  }
}

function runInfo(run: Run): RunInfo {
  return {
    runId: run.runId,
    agentId: run.options.agentId,
    jobId: run.options.jobId,
    startedAt: run.startedAt,
    finishedAt: run.clock.now(),
  };
}

async function succeed(run: Run, server: Server, device: EnrolledDevice): Promise<ProvisionResult> {
  const { options, clock, reporter, timings } = run;
  const result: ProvisionResult = reporter.redactor.redactValue({
    serverId: server.id,
    serverName: server.name,
    serverIpv4: server.public_net.ipv4?.ip ?? null,
    serverIpv6: server.public_net.ipv6?.ip ?? null,
    location: server.location.name,
    serverType: server.server_type.name,
    tailscaleIp: device.ipv4,
    tailscaleIpv6: device.ipv6 ?? null,
    tailscaleHostname: device.hostname,
    tailscaleDeviceId: device.nodeId,
    agentId: options.agentId,
    jobId: options.jobId,
    adopted: run.state.adopted,
    timings: { ...timings },
    totalMs: clock.now() - run.startedAt,
  });
  reporter.emit({ type: "result", result });

  const failures: { output: string; message: string }[] = [];
  let firstCause: unknown;
  const info = runInfo(run);
  for (const output of run.context.outputs ?? []) {
    try {
      await output.success?.(result, info);
    } catch (error) {
      firstCause ??= error;
      const message = reporter.redactor.redact(
        error instanceof Error ? error.message : String(error),
      );
      failures.push({ output: output.name, message });
      reporter.emit({ type: "warning", message: `output ${output.name} failed: ${message}` });
    }
  }
  if (failures.length > 0) throw new ProvisionOutputError(result, failures, firstCause);
  return result;
}

async function rollback(run: Run): Promise<CleanupReport> {
  const { context, clock, reporter, hetzner, tailscale, state, options } = run;
  const deadline = startDeadline(
    clock,
    "rollback",
    context.rollbackTimeoutMs ?? DEFAULT_ROLLBACK_TIMEOUT_MS,
  );
  const cleanup = createCleanup({ hetzner, tailscale, clock, reporter, signal: deadline.signal });
  try {
    // Key first, so that nothing new can join while the rest is removed.
    if (state.keyId === undefined && state.pendingKey !== undefined) {
      const outcome = await awaitPendingCreate(state.pendingKey, deadline.signal);
      state.pendingKey = undefined;
      if (outcome.status === "created") {
        recordPending(run, () => recordAuthKey(run, outcome.value));
      } else if (outcome.status === "gave-up") {
        cleanup.fail(
          "auth-key",
          options.name,
          new Error(
            "the key request had not answered when the rollback deadline passed; a key it made expires on its own, or revoke it in the Tailscale admin console",
          ),
        );
      }
    }
    if (state.keyId !== undefined) await cleanup.deleteAuthKey(state.keyId);

    if (state.serverId === undefined && state.pendingServer !== undefined) {
      const outcome = await awaitPendingCreate(state.pendingServer, deadline.signal);
      state.pendingServer = undefined;
      if (outcome.status === "created") {
        recordPending(run, () => recordServer(run, outcome.value));
      } else if (outcome.status === "gave-up") {
        state.createMaybeApplied = false;
        cleanup.fail(
          "server",
          options.name,
          new Error(
            "the create request had not answered when the rollback deadline passed; delete the server by hand, or run reap() after its expires-at",
          ),
        );
      } else if (isHetznerApiError(outcome.error) && !mayHaveBeenApplied(outcome.error)) {
        state.createMaybeApplied = false;
      }
    }
    let serverId = state.serverId;
    if (serverId === undefined && state.createMaybeApplied) {
      // The answer was lost (network error, 5xx): look the server up by its name and labels.
      try {
        const found = await withRetries({ clock, signal: deadline.signal }, () =>
          hetzner.listServers({ name: options.name, signal: deadline.signal }),
        );
        serverId = found.find((server) => labelsMatch(server, options))?.id;
      } catch (error) {
        cleanup.fail("server", options.name, error);
      }
    }
    if (serverId !== undefined) await cleanup.deleteServer(serverId);

    if (state.keyId !== undefined || serverId !== undefined) {
      const nodeIds = new Set<string>();
      if (state.deviceId !== undefined) nodeIds.add(state.deviceId);
      try {
        const devices = await withRetries({ clock, signal: deadline.signal }, () =>
          tailscale.findDevices({
            hostname: options.name,
            tags: options.tags,
            createdAfter: run.startedAt,
            signal: deadline.signal,
          }),
        );
        for (const device of devices) if (device.nodeId) nodeIds.add(device.nodeId);
      } catch (error) {
        if (nodeIds.size === 0) cleanup.fail("device", options.name, error);
      }
      for (const nodeId of nodeIds) await cleanup.deleteDevice(nodeId);
    }
  } finally {
    deadline.dispose();
    // A create still unanswered now is given up on; rollback has reported it.
    run.abandon.abort(new Error("rollback stopped waiting for the create request"));
  }
  return cleanup.report;
}

/** Waits, until `signal` aborts, for a create the run stopped waiting for. */
async function awaitPendingCreate<T>(
  pending: Promise<T>,
  signal: AbortSignal,
): Promise<
  { status: "created"; value: T } | { status: "failed"; error: unknown } | { status: "gave-up" }
> {
  try {
    return { status: "created", value: await raceSignal(pending, signal) };
  } catch (error) {
    return isAbortOf(error, signal) ? { status: "gave-up" } : { status: "failed", error };
  }
}

/** Records a resource whose create answered during rollback; a throwing `onSecret` must not stop the deletes. */
function recordPending(run: Run, record: () => void): void {
  try {
    record();
  } catch (error) {
    run.reporter.emit({
      type: "warning",
      phase: "rollback",
      message: `onSecret failed during rollback: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

async function fail(
  run: Run,
  error: unknown,
  signals: { caller: AbortSignal | undefined; total: AbortSignal },
): Promise<ProvisionError> {
  const { reporter, state, clock, timings, options } = run;
  const failedPhase = state.phase;
  const classified = classifyFailure(error, failedPhase, signals);

  let cleanup: CleanupReport = { removed: [], failed: [] };
  const needsRollback =
    state.keyId !== undefined ||
    state.pendingKey !== undefined ||
    state.serverId !== undefined ||
    state.pendingServer !== undefined ||
    state.createMaybeApplied;
  if (needsRollback) {
    const started = clock.now();
    state.phase = "rollback";
    reporter.emit({ type: "phase-start", phase: "rollback" });
    cleanup = await rollback(run);
    const durationMs = clock.now() - started;
    timings.rollback = durationMs;
    reporter.emit({
      type: "phase-end",
      phase: "rollback",
      durationMs,
      ok: cleanup.failed.length === 0,
    });
  }
  if (state.adopted && state.serverId === undefined && state.seenServerId !== undefined) {
    reporter.emit({
      type: "warning",
      message: `the adopted server ${state.seenServerId} was kept: an earlier run created it; delete it with deprovisionVM({ serverId: ${state.seenServerId}, name: "${options.name}" }) if it is not wanted`,
    });
  }

  const leftovers =
    cleanup.failed.length > 0
      ? ` Rollback could NOT delete: ${cleanup.failed.map((item) => `${item.resource} ${item.id}`).join(", ")}; delete them by hand or run reap().`
      : "";
  const message = reporter.redactor.redact(`${classified.message}${leftovers}`);
  reporter.emit({
    type: "failure",
    phase: failedPhase,
    message,
    code: classified.code,
    cleanup,
  });

  const failure: ProvisionFailure = reporter.redactor.redactValue({
    phase: failedPhase,
    message,
    code: classified.code,
    cleanup,
    agentId: options.agentId,
    jobId: options.jobId,
    serverName: options.name,
    serverId: state.seenServerId ?? null,
    timings: { ...timings },
    totalMs: clock.now() - run.startedAt,
  });
  const info = runInfo(run);
  for (const output of run.context.outputs ?? []) {
    try {
      await output.failure?.(failure, info);
    } catch (outputError) {
      reporter.emit({
        type: "warning",
        message: `output ${output.name} failed: ${outputError instanceof Error ? outputError.message : String(outputError)}`,
      });
    }
  }

  return new ProvisionError(message, {
    phase: failedPhase,
    cause: error instanceof ProvisionInputError ? error : redactCause(error, run),
    cleanup,
    code: classified.code,
    serverId: state.seenServerId,
    isRetryable: classified.isRetryable,
  });
}

/** The cause as thrown, unless its message holds a secret: then a redacted copy. */
function redactCause(error: unknown, run: Run): unknown {
  if (!(error instanceof Error)) return error;
  const redacted = run.reporter.redactor.redact(error.message);
  if (redacted === error.message) return error;
  const copy = new Error(redacted);
  copy.name = error.name;
  return copy;
}
