import * as core from "@actions/core";
import type { Reporter } from "./reporter.js";

/**
 * The {@link Reporter} for a GitHub Actions step, on top of `@actions/core`: masks with
 * `::add-mask::`, writes outputs and state to the `GITHUB_OUTPUT` / `GITHUB_STATE` files (a random
 * heredoc delimiter per value, so a value holding newlines stays one output) and the summary to
 * `GITHUB_STEP_SUMMARY`.
 *
 * @example
 * ```ts
 * const reporter = createActionsReporter();
 * reporter.mask(token);
 * reporter.setOutput("server_id", "42");
 * ```
 */
export function createActionsReporter(): Reporter {
  return {
    mask(value) {
      // The runner masks line by line, so a multi-line secret is registered one line at a time.
      for (const line of value.split(/\r?\n/)) {
        if (line.trim() !== "") core.setSecret(line);
      }
    },
    info: (line) => core.info(line),
    warning: (line) => core.warning(line),
    debug: (line) => core.debug(line),
    startGroup: (title) => core.startGroup(title),
    endGroup: () => core.endGroup(),
    setOutput: (name, value) => core.setOutput(name, value),
    saveState: (name, value) => core.saveState(name, value),
    fail: (message) => core.setFailed(message),
    async writeSummary(markdown) {
      if (!process.env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown, true).write();
    },
  };
}
