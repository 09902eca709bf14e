import type { Output, ProvisionOutcome } from "./output.js";

/**
 * An output that calls `fn` with the outcome, success or failure, and the run's signal.
 *
 * @example
 * ```ts
 * const outcomes: ProvisionOutcome[] = [];
 * await provisionVM(options, { ...context, outputs: [functionOutput((outcome) => outcomes.push(outcome))] });
 * ```
 */
export function functionOutput(
  fn: (outcome: ProvisionOutcome, signal: AbortSignal | undefined) => unknown,
  options: { name?: string } = {},
): Output {
  return {
    name: options.name ?? "function",
    success: async (result, run, signal) => {
      await fn({ status: "success", result, run }, signal);
    },
    failure: async (failure, run, signal) => {
      await fn({ status: "failure", failure, run }, signal);
    },
  };
}
