import { createRedactor, errorMessage, formatDuration } from "@tailvm/internal";
import { type Clock, type ProvisionPlan, systemClock } from "@tailvm/provisioner";
import { runDeprovision, runReap } from "./cleanup-runs.js";
import { describeIssues, GhRunnerInputError, type InputIssue } from "./errors.js";
import { githubMetadata } from "./github-metadata.js";
import { createOutputWriter } from "./output-writer.js";
import { STATE } from "./provision-events.js";
import { createProvisionLifecycle } from "./provision-lifecycle.js";
import { settingIssues } from "./provision-options.js";
import { readSettings, type SettingSources, secretValues } from "./read-settings.js";
import type { Reporter } from "./reporter.js";
import { parseRunConfig, type RunConfig } from "./run-config.js";
import type { RunOutcome, SignalSource } from "./run-types.js";
import type { Mode } from "./settings.js";
import { failureSummary } from "./summary.js";

/**
 * How long a rollback may run after the deadline or a signal before the run gives up on it.
 *
 * @example
 * ```ts
 * await runMode("provision", { reporter, sources, rollbackGraceMs: ROLLBACK_GRACE_MS / 2 });
 * ```
 */
export const ROLLBACK_GRACE_MS = 30_000;

/** Options of {@link runMode}. */
export interface RunModeOptions {
  reporter: Reporter;
  sources: SettingSources;
  /** Default: the system clock. */
  clock?: Clock;
  /** Where SIGTERM and SIGINT come from. Default: `process`. */
  signals?: SignalSource;
  /** Default {@link ROLLBACK_GRACE_MS}. */
  rollbackGraceMs?: number;
  /** How an input problem names its setting. Default: the action input name. */
  nameSetting?: (name: string) => string;
}

/**
 * Runs one mode the way the action and the CLI both do: reads its settings (input or flag, then
 * environment, then default), masks every credential before anything is printed, checks every
 * setting (every problem in one message, nothing sent), then provisions, deprovisions or reaps.
 * `plan` only shows what provision would do. Never exits the process itself.
 *
 * @example
 * ```ts
 * const outcome = await runMode("provision", {
 *   reporter: createActionsReporter(),
 *   sources: { given: (name) => core.getInput(name) },
 * });
 * if (outcome.abandoned) process.exit(1);
 * ```
 */
export async function runMode(mode: Mode, options: RunModeOptions): Promise<RunOutcome> {
  const { reporter, sources } = options;
  const outputs = createOutputWriter(reporter);
  const raw = readSettings(mode, sources);
  // Masks go out before anything else is printed: masking only affects later lines.
  const secrets = secretValues(mode, raw);
  for (const secret of secrets) reporter.mask(secret);

  const invalid = async (issues: InputIssue[]): Promise<RunOutcome> => {
    const message = describeIssues(issues, options.nameSetting ?? ((name) => name));
    if (mode === "provision") reporter.saveState(STATE.outcome, "invalid-inputs");
    reporter.fail(message);
    await reporter.writeSummary(failureSummary({ phase: "inputs", message }, []));
    return { status: "invalid-inputs", outputs: outputs.values, abandoned: false };
  };

  let config: RunConfig;
  try {
    config = parseRunConfig(mode, raw);
  } catch (error) {
    if (error instanceof GhRunnerInputError) return invalid(error.issues);
    throw error;
  }

  const clock = options.clock ?? systemClock;
  const metadata = githubMetadata(sources.env ?? process.env);
  switch (config.mode) {
    case "plan":
      return { status: "success", plan: config.plan, outputs: outputs.values, abandoned: false };
    case "provision": {
      const name = config.options.name;
      // Saved before any request: if this step is killed, the post step deletes the server by name.
      reporter.saveState(STATE.serverName, name);
      reporter.info(
        `Provisioning ${name} for agent ${config.options.agentId}` +
          `${config.options.jobId ? ` (job ${config.options.jobId})` : ""}, ${placementText(config.plan)}; ` +
          `timeout ${formatDuration(config.timeoutMs)}, rollback included.`,
      );
      if (config.callback) {
        const target = new URL(config.callback.url);
        reporter.info(`The result will be sent to ${target.origin}${target.pathname}.`);
      }
      return createProvisionLifecycle({
        config,
        reporter,
        outputs,
        clock,
        signals: options.signals ?? process,
        graceMs: options.rollbackGraceMs ?? ROLLBACK_GRACE_MS,
        metadata,
        secrets,
      }).run();
    }
    default: {
      // Not provisioning: the post step has nothing of this step's to clean up.
      reporter.saveState(STATE.outcome, "not-provisioning");
      const stop = new AbortController();
      const cleanup = { reporter, outputs, clock, signal: stop.signal, metadata };
      const signals = options.signals ?? process;
      const onSignal = () => stop.abort(new Error("stopped by a signal"));
      signals.on("SIGTERM", onSignal);
      signals.on("SIGINT", onSignal);
      try {
        return config.mode === "deprovision"
          ? await runDeprovision(config, cleanup)
          : await runReap(config, cleanup);
      } catch (error) {
        // The provisioner checks a target's or tag's form before its first request.
        const issues = settingIssues(error);
        if (issues) return invalid(issues);
        const message = createRedactor(secrets).redact(
          `${mode === "reap" ? "Reap" : "Deprovisioning"} failed: ${errorMessage(error)}`,
        );
        reporter.fail(message);
        await reporter.writeSummary(failureSummary({ phase: config.mode, message }, []));
        return { status: "failure", outputs: outputs.values, abandoned: false };
      } finally {
        signals.off("SIGTERM", onSignal);
        signals.off("SIGINT", onSignal);
      }
    }
  }
}

function placementText(dryRun: ProvisionPlan): string {
  return `candidates ${dryRun.candidates.map((item) => `${item.serverType}@${item.location}`).join(", ")}`;
}
