import type { Output, ProvisionOutcome } from "./output.js";

/**
 * An output that calls `fn` with the outcome, success or failure.
 *
 * @example
 * ```ts
 * const outcomes: ProvisionOutcome[] = [];
 * await provisionVM(options, { ...context, outputs: [functionOutput((outcome) => outcomes.push(outcome))] });
 * ```
 */
export function functionOutput(
  fn: (outcome: ProvisionOutcome) => unknown,
  options: { name?: string } = {},
): Output {
  return {
    name: options.name ?? "function",
    success: async (result, run) => {
      await fn({ status: "success", result, run });
    },
    failure: async (failure, run) => {
      await fn({ status: "failure", failure, run });
    },
  };
}
