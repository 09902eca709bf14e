// The run shared by the action (dist/) and the `tailvm` CLI (packages/cli), which bundles it.
export { describeIssues, GhRunnerError, GhRunnerInputError, type InputIssue } from "./errors.js";
export { OUTPUTS, type OutputName } from "./outputs.js";
export type { Reporter } from "./reporter.js";
export { ROLLBACK_GRACE_MS, type RunModeOptions, runMode } from "./run-mode.js";
export type { RunOutcome, SignalSource } from "./run-types.js";
export {
  ACTION_MODES,
  flagOf,
  type Mode,
  SETTINGS,
  type SettingDefinition,
  type SettingName,
  settingEntries,
  settingsOf,
} from "./settings.js";
export { createTerminalReporter, type TerminalReporterOptions } from "./terminal-reporter.js";
