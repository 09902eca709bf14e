import { createRedactor, formatDuration } from "@tailvm/internal";
import {
  type Clock,
  type ProvisionEvent,
  type ProvisionResult,
  provisionVM,
  silentLogger,
  type WebhookMetadata,
} from "@tailvm/provisioner";
import { createCallbackOutput } from "./callback-output.js";
import { GhRunnerError } from "./errors.js";
import { type LifecycleEvent, type LifecycleState, nextState } from "./lifecycle-state.js";
import type { OutputWriter } from "./output-writer.js";
import { createEventRenderer, STATE, writeResultOutputs } from "./provision-events.js";
import { reportSettled, type Settled } from "./provision-report.js";
import type { Reporter } from "./reporter.js";
import type { RunConfig } from "./run-config.js";
import type { RunOutcome, SignalSource } from "./run-types.js";

/**
 * The provisioner's own deadlines (total timeout, rollback timeout) fire first; the hard stops here
 * follow this much later.
 */
const DEADLINE_SLACK_MS = 1_000;

/** Options of {@link createProvisionLifecycle}. */
export interface ProvisionLifecycleOptions {
  config: Extract<RunConfig, { mode: "provision" }>;
  reporter: Reporter;
  outputs: OutputWriter;
  clock: Clock;
  signals: SignalSource;
  /** How long a rollback (or the callback, once the outcome exists) may run after a stop. */
  graceMs: number;
  /** Sent in every callback's `data.metadata` (the GitHub run, in a workflow). */
  metadata: WebhookMetadata;
  /** Every credential, so no message shows one. */
  secrets: string[];
}

/**
 * One provisioning run as a small state machine ({@link LifecycleState}): `provisionVM` with each
 * phase in a log group, outputs and post-step state as they happen, and the signed callback. The
 * deadline (`timeout_minutes`) and SIGTERM/SIGINT move a run that is still provisioning to rolling
 * back; once the outcome exists they only bound the wait for the callback. A rollback or callback
 * that overruns its grace is given up on.
 *
 * @example
 * ```ts
 * const lifecycle = createProvisionLifecycle({ config, reporter, outputs, clock, signals, graceMs, metadata, secrets });
 * const outcome = await lifecycle.run();
 * ```
 */
export function createProvisionLifecycle(options: ProvisionLifecycleOptions) {
  const { config, reporter, outputs, clock, signals, graceMs } = options;
  const name = config.options.name;
  let state: LifecycleState = nextState({ phase: "validating" }, { type: "validated", name });
  const move = (event: LifecycleEvent) => {
    state = nextState(state, event);
  };
  /** Aborting it makes `provisionVM` stop and roll back. */
  const rollback = new AbortController();
  /** Ends every wait of this run: the deadline and grace timers, and the callback. */
  const release = new AbortController();
  let grace: { reason: string; endsAt: number } | undefined;
  const callback = { error: undefined as unknown, cutShort: false };
  let giveUp: (settled: Settled) => void = () => undefined;
  const gaveUp = new Promise<Settled>((resolve) => {
    giveUp = resolve;
  });

  const callbackName = () =>
    state.phase === "reporting" && state.outcome === "provisioned"
      ? "success callback"
      : "failure callback";

  const startGrace = (reason: string) => {
    if (grace) return;
    grace = { reason, endsAt: clock.now() + graceMs + DEADLINE_SLACK_MS };
    clock.sleep(graceMs + DEADLINE_SLACK_MS, release.signal).then(
      () => {
        if (state.phase !== "reporting") return giveUp({ kind: "gave-up" });
        callback.cutShort = true;
        release.abort(new GhRunnerError(`the ${callbackName()} did not finish in time`));
      },
      () => undefined,
    );
  };

  const stop = (reason: string) => {
    if (state.phase === "reporting") {
      startGrace(reason);
      const left = formatDuration(Math.max(0, (grace?.endsAt ?? 0) - clock.now()));
      const kept =
        state.outcome === "provisioned" ? "the VM is kept" : "the rollback already finished";
      reporter.warning(
        `${reason} while the ${callbackName()} was still in progress; ${kept}, waiting up to ${left} for it.`,
      );
      return;
    }
    if (state.phase === "rolling-back" && state.stopReason !== undefined) {
      reporter.info(`${reason}: the rollback is already running.`);
      return;
    }
    if (state.phase !== "provisioning" && state.phase !== "rolling-back") return;
    move({ type: "stop", reason });
    reporter.warning(`${reason}: stopping and rolling back what this run created.`);
    rollback.abort(new GhRunnerError(`${reason}.`));
    startGrace(reason);
  };

  const events = createEventRenderer(reporter, outputs);
  const onEvent = (event: ProvisionEvent) => {
    events.handle(event);
    if (event.type === "phase-start" && event.phase === "rollback") {
      move({ type: "rollback-started" });
    } else if (event.type === "result") {
      // Saved before any output runs: the VM is the agent's from here on, whatever the
      // callback does, and neither the deadline nor the post step may delete it.
      move({ type: "outcome", outcome: "provisioned" });
      writeResultOutputs(outputs, event.result);
      reporter.saveState(STATE.outcome, "success");
    } else if (event.type === "failure") {
      // The rollback has finished; only the callback runs after this. With nothing left behind
      // there is nothing for the post step to do.
      move({ type: "outcome", outcome: "failed" });
      if (event.cleanup.failed.length === 0) reporter.saveState(STATE.outcome, "rolled-back");
    }
  };

  const provision = (): Promise<ProvisionResult> =>
    provisionVM(
      { ...config.options, signal: rollback.signal },
      {
        hetzner: config.connection.hetzner,
        tailscale: config.connection.tailscale,
        // Events are rendered here (groups, outputs, state); the default logger would repeat them.
        logger: silentLogger,
        rollbackTimeoutMs: graceMs,
        onSecret: (value) => reporter.mask(value),
        onEvent,
        outputs: config.callback
          ? [
              createCallbackOutput({
                ...config.callback,
                metadata: options.metadata,
                clock,
                signal: release.signal,
                onError: (error) => {
                  callback.error = error;
                },
              }),
            ]
          : [],
      },
    );

  return {
    /** Where the run is now. */
    get state(): LifecycleState {
      return state;
    },
    stop,
    /** Runs to the end; resolves with how it ended, never rejects for a failed provisioning. */
    async run(): Promise<RunOutcome> {
      const onSigterm = () => stop("Received SIGTERM");
      const onSigint = () => stop("Received SIGINT");
      signals.on("SIGTERM", onSigterm);
      signals.on("SIGINT", onSigint);
      clock.sleep(config.timeoutMs + DEADLINE_SLACK_MS, release.signal).then(
        () => stop(`timeout_minutes (${formatDuration(config.timeoutMs)}) elapsed`),
        () => undefined,
      );
      const running = provision().then(
        (result): Settled => ({ kind: "result", result }),
        (error: unknown): Settled => ({ kind: "error", error }),
      );
      const settled = await Promise.race([running, gaveUp]);
      const last = state;
      move({ type: "settled" });
      release.abort();
      signals.off("SIGTERM", onSigterm);
      signals.off("SIGINT", onSigint);
      events.closeGroup();
      return reportSettled({
        settled,
        last,
        reporter,
        outputs,
        timings: events.timings,
        graceMs,
        lateReason: grace?.reason,
        callback,
        redactor: createRedactor(options.secrets),
      });
    },
  };
}
