import { type Output, type ProvisionOutcome, webhookOutput } from "@tailvm/provisioner";
import type { Clock } from "./clock.js";

/** Options of {@link createCallbackOutput}. */
export interface CallbackOutputOptions {
  url: string;
  /** The signing secret (Standard Webhooks). */
  secret: string;
  /** Builds the JSON body. */
  body: (outcome: ProvisionOutcome) => object;
  /** Drives the backoff and Retry-After waits between attempts. */
  clock: Clock;
  /** Ends the delivery at once, mid-request or mid-wait: the callback then fails. */
  signal: AbortSignal;
  fetch?: typeof fetch;
  /** Told when the callback could not be delivered (also when `signal` cut it short). */
  onError?: (error: unknown) => void;
}

/**
 * The signed callback as a provisioner output: `webhookOutput` (retries, Retry-After, Standard
 * Webhooks signature) whose every request and wait also ends when `signal` aborts, so the run can
 * bound how long it waits for a slow receiver.
 *
 * @example
 * ```ts
 * const output = createCallbackOutput({
 *   url: "https://example.com/hooks/vm",
 *   secret,
 *   body: (outcome) => callbackBody(outcome, undefined),
 *   clock: systemClock,
 *   signal: AbortSignal.timeout(60_000),
 * });
 * await provisionVM(options, { ...context, outputs: [output] });
 * ```
 */
export function createCallbackOutput(options: CallbackOutputOptions): Output {
  const { signal, clock } = options;
  const fetcher = options.fetch ?? globalThis.fetch;
  const bounded = (other: AbortSignal | null | undefined) =>
    other ? AbortSignal.any([other, signal]) : signal;
  // webhookOutput takes no signal: its fetch and its clock are where it waits.
  const hook = webhookOutput({
    url: options.url,
    secret: options.secret,
    body: options.body,
    clock: {
      now: () => clock.now(),
      sleep: (ms: number, other?: AbortSignal) => clock.sleep(ms, bounded(other)),
    },
    fetch: (input, init) => fetcher(input, { ...init, signal: bounded(init?.signal) }),
  });
  const send = async (outcome: ProvisionOutcome) => {
    try {
      await hook.send(outcome);
    } catch (error) {
      options.onError?.(error);
      throw error;
    }
  };
  return {
    name: hook.name,
    secrets: hook.secrets ?? [],
    success: (result, run) => send({ status: "success", result, run }),
    failure: (failure, run) => send({ status: "failure", failure, run }),
  };
}
