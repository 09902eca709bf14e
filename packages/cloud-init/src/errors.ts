/**
 * Base class of every error this package throws.
 *
 * @example
 * ```ts
 * try { render(config); } catch (error) {
 *   if (error instanceof CloudConfigError) console.error(error.message);
 * }
 * ```
 */
export class CloudConfigError extends Error {
  override name = "CloudConfigError";
  /** Building user data is deterministic: trying again with the same input fails again. */
  readonly isRetryable = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * One problem `validate()` found: the field path (e.g. `write_files[2].permissions`) and what is allowed.
 *
 * @example
 * ```ts
 * error.issues; // [{ path: "write_files[2].permissions", message: "must be an octal string ..." }]
 * ```
 */
export interface CloudConfigIssue {
  path: string;
  message: string;
}

/**
 * Thrown by `validate()` and by modules given bad options. `issues` lists every problem found, each
 * naming the field path. Messages never contain a secret value.
 *
 * @example
 * ```ts
 * try { validate({ hostname: "-bad-" }); } catch (error) {
 *   if (error instanceof CloudConfigValidationError) error.issues[0]?.path; // "hostname"
 * }
 * ```
 */
export class CloudConfigValidationError extends CloudConfigError {
  override name = "CloudConfigValidationError";
  readonly issues: CloudConfigIssue[];

  constructor(issues: CloudConfigIssue[], options?: { cause?: unknown; subject?: string }) {
    const subject = options?.subject ?? "cloud-config";
    const lines = issues.map((issue) => `  - ${issue.path}: ${issue.message}`);
    super(
      `Invalid ${subject} (${issues.length} ${issues.length === 1 ? "problem" : "problems"}); fix these fields and try again:\n${lines.join("\n")}`,
      options,
    );
    this.issues = issues;
  }
}
