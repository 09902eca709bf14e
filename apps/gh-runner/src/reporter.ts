/**
 * Where a run reports to: GitHub Actions (workflow commands, output files, job summary) or a
 * terminal. The run itself only talks to this interface.
 *
 * @example
 * ```ts
 * const reporter: Reporter = process.env.GITHUB_ACTIONS === "true"
 *   ? createActionsReporter()
 *   : createCliReporter();
 * await runProvisioning({ reporter });
 * ```
 */
export interface Reporter {
  /** Registers a secret so later lines never show it. Called before anything could print it. */
  mask(value: string): void;
  info(line: string): void;
  warning(line: string): void;
  debug(line: string): void;
  /** Opens a collapsible block; at most one is open at a time. */
  startGroup(title: string): void;
  endGroup(): void;
  setOutput(name: string, value: string): void;
  /** Remembers a value for the post step (no-op outside Actions). */
  saveState(name: string, value: string): void;
  /** Marks the run failed (exit code 1) with a message; does not exit. */
  fail(message: string): void;
  /** Writes the job summary (markdown) where there is one. */
  writeSummary(markdown: string): Promise<void>;
}
