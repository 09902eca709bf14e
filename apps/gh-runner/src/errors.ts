/**
 * The base class of every error the gh-runner raises itself (errors from the provisioner keep their
 * own classes). Messages never contain a secret.
 *
 * @example
 * ```ts
 * try {
 *   await runPost({ reporter });
 * } catch (error) {
 *   if (error instanceof GhRunnerError) console.error(error.message);
 * }
 * ```
 */
export class GhRunnerError extends Error {
  override name = "GhRunnerError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** One problem with one setting. */
export interface InputIssue {
  /** The setting (its action input name) the problem is about, e.g. `tailscale_tags`. */
  input: string;
  /** What is wrong and what is allowed; never contains a secret value. */
  message: string;
}

/**
 * Thrown when the inputs are missing or malformed. Carries every problem found, not only the first;
 * nothing has been sent to any API when it is thrown.
 *
 * @example
 * ```ts
 * try {
 *   parseInputs(readInputs());
 * } catch (error) {
 *   if (error instanceof GhRunnerInputError) {
 *     for (const issue of error.issues) console.error(`${issue.input}: ${issue.message}`);
 *   }
 * }
 * ```
 */
export class GhRunnerInputError extends GhRunnerError {
  override name = "GhRunnerInputError";
  readonly issues: InputIssue[];

  constructor(issues: InputIssue[], options?: { cause?: unknown }) {
    super(
      describeIssues(issues, (input) => input),
      options,
    );
    this.issues = issues;
  }
}

/**
 * The message of an input error, each problem on its line, named by `nameOf` (the action names
 * inputs, the CLI its flags and environment variables).
 *
 * @example
 * ```ts
 * describeIssues(error.issues, (input) => `--${input.replaceAll("_", "-")}`);
 * ```
 */
export function describeIssues(issues: InputIssue[], nameOf: (input: string) => string): string {
  const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
  const lines = issues.map((issue) => `  - ${nameOf(issue.input)}: ${issue.message}`);
  return `Invalid settings (${count}); fix them and run again. Nothing was sent to Hetzner or Tailscale.\n${lines.join("\n")}`;
}
