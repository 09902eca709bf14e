// Imports nothing relative, so plain `node` (bench/) can load it as well as vitest.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The files a GitHub runner gives a step for its file commands, by their variable names. */
export interface StepFiles {
  GITHUB_OUTPUT: string;
  GITHUB_STATE: string;
  GITHUB_STEP_SUMMARY: string;
}

/**
 * A fresh temporary directory holding a step's file-command files, each created empty, as the
 * runner prepares them before it starts the step. The caller removes `directory`.
 *
 * @example
 * ```ts
 * const { directory, files } = prepareStepFiles("my-run-");
 * spawn(process.execPath, ["dist/index.js"], { env: { GITHUB_ACTIONS: "true", ...files } });
 * ```
 */
export function prepareStepFiles(prefix: string): { directory: string; files: StepFiles } {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  const files: StepFiles = {
    GITHUB_OUTPUT: join(directory, "output"),
    GITHUB_STATE: join(directory, "state"),
    GITHUB_STEP_SUMMARY: join(directory, "summary"),
  };
  for (const path of Object.values(files)) writeFileSync(path, "");
  return { directory, files };
}
