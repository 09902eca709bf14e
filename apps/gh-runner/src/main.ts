import { createRedactor } from "@tailvm/internal";
import {
  type Phase,
  ProvisionError,
  type ProvisionEvent,
  ProvisionOutputError,
  type ProvisionResult,
  provisionVM,
  silentLogger,
} from "@tailvm/provisioner";
import { callbackBody, githubRunContext } from "./callback-body.js";
import { createCallbackOutput } from "./callback-output.js";
import { type Clock, systemClock } from "./clock.js";
import { GhRunnerError, GhRunnerInputError } from "./errors.js";
import { type InputSources, parseInputs, readInputs, secretValues } from "./inputs.js";
import { createOutputWriter, type OutputWriter } from "./output-writer.js";
import type { Reporter } from "./reporter.js";
import { failureSummary, formatDuration, type PhaseTiming, successSummary } from "./summary.js";

/**
 * Keys under which the main step leaves state for the post step.
 *
 * @example
 * ```ts
 * core.getState(STATE.outcome); // "success" in the post step of a successful run
 * ```
 */
export const STATE = {
  serverId: "server_id",
  serverName: "server_name",
  /**
   * `success` the moment the VM is on the tailnet (before the callback), `rolled-back` once a
   * rollback left nothing behind, `invalid-inputs`; empty otherwise.
   */
  outcome: "outcome",
} as const;

/**
 * How long a rollback may run after the deadline or a signal before the run gives up on it.
 *
 * @example
 * ```ts
 * await runProvisioning({ reporter, rollbackGraceMs: ROLLBACK_GRACE_MS / 2 });
 * ```
 */
export const ROLLBACK_GRACE_MS = 30_000;
/**
 * The provisioner's own deadlines (total timeout, rollback timeout) fire first; the hard stops here
 * follow this much later.
 */
const DEADLINE_SLACK_MS = 1_000;

const PHASE_TITLES: Record<Phase, string> = {
  validate: "Validate options",
  placement: "Choose server type and location",
  "auth-key": "Mint a single-use Tailscale auth key",
  "stale-devices": "Remove stale tailnet devices",
  "cloud-init": "Render cloud-init",
  "create-server": "Create the server",
  "server-running": "Wait for the server to run",
  "device-join": "Wait for the device to join the tailnet",
  "revoke-key": "Revoke the auth key",
  rollback: "Roll back",
};

/** A process-like emitter of termination signals. */
export interface SignalSource {
  on(event: "SIGTERM" | "SIGINT", listener: () => void): unknown;
  off(event: "SIGTERM" | "SIGINT", listener: () => void): unknown;
}

/** Options of {@link runProvisioning}. */
export interface RunOptions {
  reporter: Reporter;
  /** Where inputs and settings come from. Default: the real process. */
  sources?: InputSources;
  /** Default: the system clock. */
  clock?: Clock;
  /** Where SIGTERM and SIGINT come from. Default: `process`. */
  signals?: SignalSource;
  /** Default {@link ROLLBACK_GRACE_MS}. */
  rollbackGraceMs?: number;
}

/** How a run ended. */
export interface RunOutcome {
  status: "success" | "failure" | "invalid-inputs";
  /** The VM, when it was provisioned (also when only the callback failed). */
  result?: ProvisionResult;
  /** The outputs written. */
  outputs: Readonly<Record<string, string>>;
  /** True when the run stopped waiting for a rollback that overran its grace; exit now. */
  abandoned: boolean;
}

type Stage = "provisioning" | "callback";

type Settled =
  | { kind: "result"; result: ProvisionResult }
  | { kind: "error"; error: unknown }
  | { kind: "gave-up" };

/**
 * Runs one provisioning the way the Action and the CLI do: reads and validates the inputs (every
 * problem in one message, nothing sent), masks every credential, then calls `provisionVM` with each
 * phase in a log group, writes the outputs (server_id as soon as the server exists), the job summary
 * and the signed callback. A failure is rolled back by the provisioner and reported through
 * `reporter.fail`; the deadline (`timeout_minutes`) and SIGTERM/SIGINT abort the run, which then
 * rolls back. Once the VM is provisioned (or the rollback finished) they no longer roll anything
 * back: they only bound the wait for the callback. Never exits the process itself.
 *
 * @example
 * ```ts
 * const outcome = await runProvisioning({ reporter: createActionsReporter() });
 * if (outcome.abandoned) process.exit(1);
 * ```
 */
export async function runProvisioning(options: RunOptions): Promise<RunOutcome> {
  const { reporter } = options;
  const env = options.sources?.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const signals = options.signals ?? process;
  const graceMs = options.rollbackGraceMs ?? ROLLBACK_GRACE_MS;
  const outputs = createOutputWriter(reporter);

  const raw = readInputs(options.sources);
  // Masks go out before anything else is printed: masking only affects later lines.
  const secrets = secretValues(raw);
  for (const secret of secrets) reporter.mask(secret);
  const redactor = createRedactor(secrets);

  let config: ReturnType<typeof parseInputs>;
  try {
    config = parseInputs(raw, env);
  } catch (error) {
    if (!(error instanceof GhRunnerInputError)) throw error;
    reporter.saveState(STATE.outcome, "invalid-inputs");
    reporter.fail(error.message);
    await reporter.writeSummary(failureSummary({ phase: "inputs", message: error.message }, []));
    return { status: "invalid-inputs", outputs: outputs.values, abandoned: false };
  }

  const name = config.provision.name ?? "";
  // Saved before any request: if this step is killed, the post step deletes the server by name.
  reporter.saveState(STATE.serverName, name);
  reporter.info(
    `Provisioning ${name} for agent ${config.provision.agentId}` +
      `${config.provision.jobId ? ` (job ${config.provision.jobId})` : ""}, ${placementText(config.provision)}; ` +
      `timeout ${formatDuration(config.timeoutMs)}, rollback included.`,
  );

  const abort = new AbortController();
  // Ends the callback: the only work left once the outcome exists.
  const cutShort = new AbortController();
  const finished = new AbortController();
  /** What is still running: the provisioner (a rollback, once stopped), or the callback. */
  let stage = "provisioning" as Stage;
  let outcome = undefined as "success" | "failure" | undefined;
  let stopReason: string | undefined;
  /** What started the grace period: the deadline or a signal. */
  let graceReason: string | undefined;
  let callbackCutShort = false;
  let callbackError: unknown;

  let settleGaveUp: (settled: Settled) => void = () => undefined;
  const gaveUp = new Promise<Settled>((resolve) => {
    settleGaveUp = resolve;
  });
  let giveUpAt: number | undefined;
  const armGiveUp = (reason: string) => {
    if (giveUpAt !== undefined) return;
    graceReason = reason;
    giveUpAt = clock.now() + graceMs + DEADLINE_SLACK_MS;
    clock.sleep(graceMs + DEADLINE_SLACK_MS, finished.signal).then(
      () => {
        if (stage === "provisioning") {
          settleGaveUp({ kind: "gave-up" });
          return;
        }
        callbackCutShort = true;
        cutShort.abort(new GhRunnerError(`the ${callbackName(outcome)} did not finish in time`));
        // Ending the callback settles the run at once; this only guards against a hang.
        clock.sleep(DEADLINE_SLACK_MS, finished.signal).then(
          () => settleGaveUp({ kind: "gave-up" }),
          () => undefined,
        );
      },
      () => undefined,
    );
  };
  const stop = (reason: string) => {
    if (stage !== "provisioning") {
      // The outcome exists: a provisioned VM is kept, a failed run has already rolled back.
      // Only the wait is bounded now.
      armGiveUp(reason);
      const left = formatDuration(Math.max(0, (giveUpAt ?? 0) - clock.now()));
      reporter.warning(
        `${reason} while the ${callbackName(outcome)} was still in progress; ` +
          `${outcome === "success" ? "the VM is kept" : "the rollback already finished"}, waiting up to ${left} for it.`,
      );
      return;
    }
    if (abort.signal.aborted) {
      reporter.info(`${reason}: the rollback is already running.`);
      return;
    }
    stopReason = reason;
    reporter.warning(`${reason}: stopping and rolling back what this run created.`);
    abort.abort(new GhRunnerError(`${reason}.`));
    armGiveUp(reason);
  };
  const onSigterm = () => stop("Received SIGTERM");
  const onSigint = () => stop("Received SIGINT");
  signals.on("SIGTERM", onSigterm);
  signals.on("SIGINT", onSigint);
  clock.sleep(config.timeoutMs + DEADLINE_SLACK_MS, finished.signal).then(
    () => stop(`timeout_minutes (${formatDuration(config.timeoutMs)}) elapsed`),
    () => undefined,
  );

  const timings: PhaseTiming[] = [];
  const events = createEventHandler(reporter, outputs, timings);
  const callback = config.callback;
  const github = githubRunContext(env);
  if (callback) {
    const target = new URL(callback.url);
    reporter.info(`The result will be sent to ${target.origin}${target.pathname}.`);
  }

  const running: Promise<Settled> = provisionVM(
    { ...config.provision, signal: abort.signal },
    {
      hetzner: config.hetzner,
      tailscale: config.tailscale,
      // Events are rendered here (groups, outputs, state); the default logger would repeat them.
      logger: silentLogger,
      rollbackTimeoutMs: graceMs,
      onSecret: (value) => reporter.mask(value),
      onEvent: (event) => {
        events.handle(event);
        if (event.type === "result") {
          // Saved before any output runs: the VM is the agent's from here on, whatever the
          // callback does, and neither the deadline nor the post step may delete it.
          outcome = "success";
          stage = "callback";
          writeResultOutputs(outputs, event.result);
          reporter.saveState(STATE.outcome, "success");
        } else if (event.type === "failure") {
          // The provisioner has finished its rollback; only the callback runs after this. With
          // nothing left behind there is nothing for the post step to do.
          outcome = "failure";
          stage = "callback";
          if (event.cleanup.failed.length === 0) reporter.saveState(STATE.outcome, "rolled-back");
        }
      },
      outputs: callback
        ? [
            createCallbackOutput({
              url: callback.url,
              secret: callback.secret,
              body: (value) => callbackBody(value, github),
              clock,
              signal: cutShort.signal,
              onError: (error) => {
                callbackError = error;
              },
            }),
          ]
        : [],
    },
  ).then(
    (result): Settled => ({ kind: "result", result }),
    (error: unknown): Settled => ({ kind: "error", error }),
  );

  const settled = await Promise.race([running, gaveUp]);
  finished.abort();
  signals.off("SIGTERM", onSigterm);
  signals.off("SIGINT", onSigint);
  events.closeGroup();

  if (settled.kind === "result") {
    writeResultOutputs(outputs, settled.result);
    reporter.saveState(STATE.outcome, "success");
    reporter.info(
      `${settled.result.serverName} is on the tailnet at ${settled.result.tailscaleIp} ` +
        `(server ${settled.result.serverId}, ${settled.result.location}) after ${formatDuration(settled.result.totalMs)}.`,
    );
    await reporter.writeSummary(successSummary(settled.result, timings));
    return {
      status: "success",
      result: settled.result,
      outputs: outputs.values,
      abandoned: false,
    };
  }

  const lateText = () => (graceReason ?? "The run was stopped").replace(/\.$/, "");

  if (settled.kind === "gave-up") {
    const serverId = outputs.values.server_id;
    let message: string;
    if (stage === "callback" && outcome === "success") {
      message =
        `The VM ${name} (server ${serverId}) was provisioned and is kept, but the callback did not finish in time ` +
        `(${lateText()}); gave up waiting for it.`;
    } else if (stage === "callback") {
      message =
        `Provisioning failed and was rolled back (${lateText()}), but the failure callback did not finish in time; ` +
        "gave up waiting for it.";
    } else {
      message =
        `${lateText()}, and the rollback did not finish within ${formatDuration(graceMs)}; ` +
        `gave up waiting for it. The post step deletes server ${serverId || name} if it still exists; ` +
        "`reap()` removes anything older than its ttl.";
    }
    reporter.fail(message);
    await reporter.writeSummary(failureSummary({ phase: "rollback", message }, timings));
    return { status: "failure", outputs: outputs.values, abandoned: true };
  }

  const error = settled.error;
  if (error instanceof ProvisionOutputError) {
    // The VM exists and is the agent's: it is kept, but the step fails so nobody waits for a
    // callback that never came.
    writeResultOutputs(outputs, error.result);
    reporter.saveState(STATE.outcome, "success");
    const failures = callbackCutShort
      ? `the callback did not finish in time (${lateText()})`
      : `the callback failed: ${redactor.redact(error.failures.map((failure) => failure.message).join("; "))}`;
    const message =
      `The VM ${error.result.serverName} (server ${error.result.serverId}, tailnet ${error.result.tailscaleIp}) ` +
      `was provisioned and is kept, but ${failures}`;
    reporter.fail(message);
    await reporter.writeSummary(
      `${successSummary(error.result, timings)}\n**The VM is kept, but ${failures.replace(/\r?\n/g, " ")}**\n`,
    );
    return { status: "failure", result: error.result, outputs: outputs.values, abandoned: false };
  }

  if (error instanceof ProvisionError) {
    const cleanup = error.cleanup;
    const failed = cleanup.failed;
    if (failed.length === 0) reporter.saveState(STATE.outcome, "rolled-back");
    const removed = cleanup.removed.map((item) => `${item.resource} ${item.id}`);
    const rollback =
      failed.length === 0
        ? `Rolled back: ${removed.length > 0 ? removed.join(", ") : "nothing had been created"}.`
        : `Rollback could not remove ${failed.map((item) => `${item.resource} ${item.id} (${item.reason})`).join(", ")}; the post step tries again.`;
    let callbackText = "";
    if (callbackError !== undefined) {
      callbackText = callbackCutShort
        ? ` The failure callback did not finish in time (${lateText()}).`
        : ` The failure callback could not be delivered: ${callbackError instanceof Error ? callbackError.message : String(callbackError)}`;
    }
    const cause = stopReason ? ` (${stopReason})` : "";
    const message = redactor.redact(
      `Provisioning failed in phase ${error.phase}${cause}: ${error.message} ${rollback}${callbackText}`,
    );
    reporter.fail(message);
    await reporter.writeSummary(
      failureSummary(
        { phase: error.phase, message: redactor.redact(error.message), cleanup },
        timings,
      ),
    );
    return { status: "failure", outputs: outputs.values, abandoned: false };
  }

  const message = redactor.redact(
    `Provisioning failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
  );
  reporter.fail(message);
  await reporter.writeSummary(failureSummary({ phase: "rollback", message }, timings));
  return { status: "failure", outputs: outputs.values, abandoned: false };
}

function callbackName(outcome: "success" | "failure" | undefined) {
  return outcome === "success" ? "success callback" : "failure callback";
}

function writeResultOutputs(outputs: OutputWriter, result: ProvisionResult): void {
  outputs.write("server_id", result.serverId);
  outputs.write("server_name", result.serverName);
  outputs.write("server_ip", result.serverIpv4);
  outputs.write("tailscale_ip", result.tailscaleIp);
  outputs.write("tailscale_hostname", result.tailscaleHostname);
  outputs.write("location", result.location);
}

function placementText(options: ReturnType<typeof parseInputs>["provision"]): string {
  if (options.candidates) {
    return `candidates ${options.candidates.map((item) => `${item.serverType}@${item.location}`).join(", ")}`;
  }
  return `${options.serverType ?? "default server type"} in ${options.region}`;
}

/** Turns provisioner events into log groups, outputs and state as they happen. */
function createEventHandler(reporter: Reporter, outputs: OutputWriter, timings: PhaseTiming[]) {
  let openPhase: Phase | undefined;
  const closeGroup = () => {
    if (openPhase !== undefined) reporter.endGroup();
    openPhase = undefined;
  };
  const handle = (event: ProvisionEvent) => {
    reporter.debug(JSON.stringify(event));
    switch (event.type) {
      case "phase-start":
        closeGroup();
        reporter.startGroup(PHASE_TITLES[event.phase] ?? event.phase);
        openPhase = event.phase;
        break;
      case "phase-end":
        timings.push({ phase: event.phase, durationMs: event.durationMs, ok: event.ok });
        reporter.info(`${event.ok ? "done" : "failed"} in ${formatDuration(event.durationMs)}`);
        if (openPhase === event.phase) closeGroup();
        break;
      case "retry":
        reporter.info(
          `${event.api} ${event.method} ${event.path}: ${event.reason}; retry ${event.attempt} in ${formatDuration(event.delayMs)}`,
        );
        break;
      case "warning":
        reporter.warning(event.message);
        break;
      case "resource-created":
        if (event.resource === "server") {
          // Saved now, not at the end: a later `if: always()` step, or the post step when this
          // one is killed, can still clean up.
          reporter.saveState(STATE.serverId, event.id);
          if (event.name) reporter.saveState(STATE.serverName, event.name);
          outputs.write("server_id", event.id);
          if (event.name) outputs.write("server_name", event.name);
        }
        reporter.info(
          `created ${event.resource} ${event.id}${event.name ? ` (${event.name})` : ""}`,
        );
        break;
      case "resource-deleted":
        reporter.info(`deleted ${event.resource} ${event.id}`);
        break;
      default:
        break;
    }
  };
  return { handle, closeGroup };
}
