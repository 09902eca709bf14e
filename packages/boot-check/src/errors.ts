import { causeOptions } from "@tailvm/internal";

/**
 * What a boot check was doing when it failed.
 *
 * @example
 * ```ts
 * if (error instanceof BootCheckError && error.phase === "tools") console.error(error.message);
 * ```
 */
export type BootCheckPhase =
  | "input"
  | "tools"
  | "image"
  | "repository"
  | "seed"
  | "boot"
  | "read-back";

/**
 * Base class of every error this package throws. The message says what to do next.
 *
 * @example
 * ```ts
 * try { await bootCheck({ userData }); } catch (error) {
 *   if (error instanceof BootCheckError) console.error(`${error.phase}: ${error.message}`);
 * }
 * ```
 */
export class BootCheckError extends Error {
  override name = "BootCheckError";
  readonly phase: BootCheckPhase;
  /** Whether the same call may succeed later (a mirror that was unreachable, a busy machine). */
  readonly isRetryable: boolean;

  constructor(
    message: string,
    options: { phase: BootCheckPhase; isRetryable?: boolean; cause?: unknown },
  ) {
    super(message, causeOptions(options.cause));
    this.phase = options.phase;
    this.isRetryable = options.isRetryable ?? false;
  }
}

/**
 * Thrown before anything is built or booted when this machine cannot run a boot check: `missing`
 * lists each missing tool or resource with how to get it. Tests skip on it outside CI.
 *
 * @example
 * ```ts
 * const problems = await findBootCheckProblems(); // the same list, without throwing
 * ```
 */
export class BootCheckUnavailableError extends BootCheckError {
  override name = "BootCheckUnavailableError";
  readonly missing: string[];

  constructor(missing: string[]) {
    super(
      `This machine cannot run a boot check:\n${missing.map((line) => `  - ${line}`).join("\n")}`,
      { phase: "tools" },
    );
    this.missing = missing;
  }
}
