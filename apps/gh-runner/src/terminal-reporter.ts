import * as core from "@actions/core";
import type { Reporter } from "./reporter.js";

/** Options of {@link createTerminalReporter}. */
export interface TerminalReporterOptions {
  /** Where progress goes. Default: stderr. */
  write?: (line: string) => void;
  /** Default `process.env`: `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY` and `TAILVM_DEBUG` are read. */
  env?: NodeJS.ProcessEnv;
}

/**
 * A {@link Reporter} for a terminal or a workflow `run:` step: progress as plain lines (no workflow
 * commands), outputs to the `GITHUB_OUTPUT` file and the summary to `GITHUB_STEP_SUMMARY` when
 * those are set, through the same `@actions/core` writer the action uses. Failing sets the exit
 * code to 1.
 *
 * @example
 * ```ts
 * const outcome = await runMode("provision", { reporter: createTerminalReporter(), sources });
 * ```
 */
export function createTerminalReporter(options: TerminalReporterOptions = {}): Reporter {
  const env = options.env ?? process.env;
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  let inGroup = false;
  return {
    // Nothing to register: lines here never show a secret, and `::add-mask::` would print it.
    mask: () => undefined,
    info: (line) => write(inGroup ? `    ${line}` : line),
    warning: (line) => write(`warning: ${line}`),
    debug: (line) => {
      if (env.TAILVM_DEBUG === "1") write(`debug: ${line}`);
    },
    startGroup(title) {
      inGroup = true;
      write(`> ${title}`);
    },
    endGroup() {
      inGroup = false;
    },
    setOutput(name, value) {
      if (env.GITHUB_OUTPUT) core.setOutput(name, value);
    },
    saveState: () => undefined,
    fail(message) {
      process.exitCode = 1;
      write(`error: ${message}`);
    },
    async writeSummary(markdown) {
      if (!env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown, true).write();
    },
  };
}
