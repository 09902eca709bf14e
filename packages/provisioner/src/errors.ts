import { causeOptions } from "@tailvm/internal";
import type { CleanupReport, Phase, ProvisionResult } from "./types.js";

/**
 * Base class of every error this package throws.
 *
 * @example
 * ```ts
 * try {
 *   await provisionVM(options, context);
 * } catch (error) {
 *   if (error instanceof ProvisionerError && error.isRetryable) {
 *     // safe to call again
 *   }
 * }
 * ```
 */
export class ProvisionerError extends Error {
  override name = "ProvisionerError";
  /** Whether calling again unchanged may succeed. */
  readonly isRetryable: boolean;

  constructor(message: string, options: { cause?: unknown; isRetryable?: boolean } = {}) {
    super(message, causeOptions(options.cause));
    this.isRetryable = options.isRetryable ?? false;
  }

  /**
   * What `JSON.stringify(error)` writes: name, message, code, phase, retryability and the cause
   * (already redacted by the run), so a logged error keeps its message.
   */
  toJSON(): {
    name: string;
    message: string;
    code: string | undefined;
    phase: Phase | undefined;
    isRetryable: boolean;
    cause: unknown;
  } {
    const own = this as { code?: string | undefined; phase?: Phase | undefined };
    return {
      name: this.name,
      message: this.message,
      code: own.code,
      phase: own.phase,
      isRetryable: this.isRetryable,
      cause: causeJson(this.cause),
    };
  }
}

function causeJson(cause: unknown): unknown {
  if (cause instanceof ProvisionerError) return cause.toJSON();
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return { name: cause.name, message: cause.message, ...(code === undefined ? {} : { code }) };
  }
  return cause;
}

/**
 * One problem with one field of the options.
 *
 * @example
 * ```ts
 * const issue: InputIssue = { field: "region", message: "must be one of the regions ..." };
 * ```
 */
export interface InputIssue {
  /** Dotted path of the field, e.g. `tailscale.tags[0]`. */
  field: string;
  /** What is wrong and what is allowed. */
  message: string;
}

/**
 * The options were rejected before any request was sent. `issues` lists every bad field.
 *
 * @example
 * ```ts
 * try {
 *   validateProvisionOptions({ agentId: "", tailscale: { tags: [] } });
 * } catch (error) {
 *   if (error instanceof ProvisionInputError) {
 *     for (const issue of error.issues) console.error(`${issue.field}: ${issue.message}`);
 *   }
 * }
 * ```
 */
export class ProvisionInputError extends ProvisionerError {
  override name = "ProvisionInputError";
  readonly issues: InputIssue[];
  /** Always `invalid_input`. */
  readonly code = "invalid_input";
  /**
   * `validate` for problems found in the options alone; `placement` for names the live catalog
   * does not know (server type, image), found before any key is minted or server created.
   */
  readonly phase: "validate" | "placement";

  constructor(issues: InputIssue[], options: { phase?: "validate" | "placement" } = {}) {
    const lines = issues.map((issue) => `  - ${issue.field}: ${issue.message}`);
    super(
      `Invalid provisioning options (${issues.length} ${issues.length === 1 ? "problem" : "problems"}); fix these and call again:\n${lines.join("\n")}`,
    );
    this.issues = issues;
    this.phase = options.phase ?? "validate";
  }
}

/**
 * A run failed. Everything it created has been rolled back, except what `cleanup.failed` lists.
 *
 * @example
 * ```ts
 * try {
 *   await provisionVM(options, context);
 * } catch (error) {
 *   if (error instanceof ProvisionError) {
 *     console.error(error.phase, error.message, error.cleanup.failed);
 *   }
 * }
 * ```
 */
export class ProvisionError extends ProvisionerError {
  override name = "ProvisionError";
  /** The phase that failed. */
  readonly phase: Phase;
  /** What rollback removed and what it could not. */
  readonly cleanup: CleanupReport;
  /** A machine-readable code: the API error code, `timeout`, `aborted`, `uniqueness_conflict`, ... */
  readonly code: string | undefined;
  /** The server id, when the server existed at some point. */
  readonly serverId: number | undefined;

  constructor(
    message: string,
    options: {
      phase: Phase;
      cause?: unknown;
      cleanup?: CleanupReport;
      code?: string | undefined;
      serverId?: number | undefined;
      isRetryable?: boolean;
    },
  ) {
    super(message, { cause: options.cause, isRetryable: options.isRetryable ?? false });
    this.phase = options.phase;
    this.cleanup = options.cleanup ?? { removed: [], failed: [] };
    this.code = options.code;
    this.serverId = options.serverId;
  }
}

/**
 * The VM was provisioned and is kept, but at least one output (webhook, file, function) failed.
 * `result` holds the VM; `failures` says which output failed and why.
 *
 * @example
 * ```ts
 * try {
 *   await provisionVM(options, { ...context, outputs: [webhookOutput({ url, secret })] });
 * } catch (error) {
 *   if (error instanceof ProvisionOutputError) {
 *     console.error(`VM ${error.result.serverId} is up, but:`, error.message);
 *   }
 * }
 * ```
 */
export class ProvisionOutputError extends ProvisionerError {
  override name = "ProvisionOutputError";
  readonly result: ProvisionResult;
  readonly failures: { output: string; message: string }[];

  constructor(
    result: ProvisionResult,
    failures: { output: string; message: string }[],
    cause?: unknown,
  ) {
    const list = failures.map((failure) => `${failure.output}: ${failure.message}`).join("; ");
    super(
      `The VM ${result.serverName} (server ${result.serverId}) was provisioned and is kept, but ${failures.length === 1 ? "an output" : "outputs"} failed (${list}). Deliver the result again, or delete the VM with deprovisionVM({ serverId: ${result.serverId} }).`,
      { cause },
    );
    this.result = result;
    this.failures = failures;
  }
}
