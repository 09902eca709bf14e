import { randomUUID } from "node:crypto";
import { errorMessage } from "@tailvm/internal";
import { checkCloudConfig, secretsIn } from "./build-cloud-config.js";
import { ProvisionInputError } from "./errors.js";
import { executeRun } from "./execute-run.js";
import type { ProvisionCallOptions } from "./provisioner.js";
import { type ResolvedOptions, resolveOptions } from "./resolve-options.js";
import { createRun } from "./run.js";
import type { Operation, Scope } from "./scope.js";
import { cloudInitParameters } from "./steps/cloud-init.js";
import type { ProvisionOptions, ProvisionResult } from "./types.js";

/** The validate phase: options resolved, secrets registered, cloud-config checked; throws redacted. */
function validate(operation: Operation, input: ProvisionOptions, now: number): ResolvedOptions {
  const { reporter } = operation;
  try {
    const options = resolveOptions(input, now);
    for (const value of secretsIn(options.cloudInit)) reporter.redactor.add(value);
    checkCloudConfig(cloudInitParameters(options));
    return options;
  } catch (error) {
    if (error instanceof ProvisionInputError) {
      // A credential pasted into the wrong option must not come back in the message.
      throw new ProvisionInputError(
        error.issues.map((issue) => ({
          field: issue.field,
          message: reporter.redactor.redact(issue.message),
        })),
      );
    }
    throw error;
  }
}

/** `provisionVM` within a scope: validation, then the steps of one run. */
export async function provisionInScope(
  scope: Scope,
  input: ProvisionOptions,
  call: ProvisionCallOptions = {},
): Promise<ProvisionResult> {
  const { clock, context } = scope;
  const startedAt = clock.now();
  const callOutputs = call.outputs ?? [];
  const operation = scope.open({
    secrets: callOutputs.flatMap((output) => output.secrets ?? []),
    onEvent: call.onEvent,
  });
  const { reporter } = operation;
  try {
    reporter.emit({ type: "phase-start", phase: "validate" });
    let options: ResolvedOptions;
    try {
      options = validate(operation, input, startedAt);
    } catch (error) {
      const durationMs = clock.now() - startedAt;
      reporter.emit({ type: "phase-end", phase: "validate", durationMs, ok: false });
      reporter.emit({
        type: "failure",
        phase: "validate",
        message: errorMessage(error),
        code: "invalid_input",
        cleanup: { removed: [], failed: [] },
      });
      throw error;
    }
    const timings = { validate: clock.now() - startedAt };
    reporter.emit({ type: "phase-end", phase: "validate", durationMs: timings.validate, ok: true });

    const run = createRun({
      options,
      scope,
      operation,
      outputs: [...(context.outputs ?? []), ...callOutputs],
      onSecret: (value) => {
        context.onSecret?.(value);
        call.onSecret?.(value);
      },
      runId: randomUUID(),
      startedAt,
      timings,
    });
    return await executeRun(run);
  } finally {
    operation.close();
  }
}
