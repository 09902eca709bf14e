import {
  type Clock,
  type DeprovisionedVm,
  type Output,
  type ProvisionOutcome,
  type WebhookMetadata,
  webhookOutput,
} from "@tailvm/provisioner";

/** Options of {@link createCallbackOutput}. */
export interface CallbackOutputOptions {
  url: string;
  /** The signing secret (Standard Webhooks). */
  secret: string;
  /** Sent in every payload's `data.metadata`. */
  metadata: WebhookMetadata;
  /** Drives the backoff and Retry-After waits between attempts. */
  clock: Clock;
  /** Ends the delivery at once, mid-request or mid-wait: the callback then fails. */
  signal: AbortSignal;
  fetch?: typeof fetch;
  /** Told when the callback could not be delivered (also when `signal` cut it short). */
  onError?: (error: unknown) => void;
}

/**
 * The signed callback as a provisioner output: `webhookOutput` (the versioned payload, retries,
 * Retry-After, Standard Webhooks signature) whose every request and wait also ends when `signal`
 * aborts, so the run can bound how long it waits for a slow receiver. `deprovisioned()` sends the
 * `vm.deprovisioned` payload the same way.
 *
 * @example
 * ```ts
 * const output = createCallbackOutput({
 *   url: "https://example.com/hooks/vm",
 *   secret,
 *   metadata: githubMetadata(process.env),
 *   clock: systemClock,
 *   signal: AbortSignal.timeout(60_000),
 * });
 * await provisionVM(options, { ...context, outputs: [output] });
 * ```
 */
export function createCallbackOutput(
  options: CallbackOutputOptions,
): Output & { deprovisioned(vm: DeprovisionedVm): Promise<void> } {
  const { signal, clock } = options;
  const fetcher = options.fetch ?? globalThis.fetch;
  const bounded = (other: AbortSignal | null | undefined) =>
    other ? AbortSignal.any([other, signal]) : signal;
  // webhookOutput takes no signal: its fetch and its clock are where it waits.
  const hook = webhookOutput({
    url: options.url,
    secret: options.secret,
    metadata: options.metadata,
    clock: {
      now: () => clock.now(),
      sleep: (ms: number, other?: AbortSignal) => clock.sleep(ms, bounded(other)),
    },
    fetch: (input, init) => fetcher(input, { ...init, signal: bounded(init?.signal) }),
  });
  const reported = async (delivery: Promise<void>) => {
    try {
      await delivery;
    } catch (error) {
      options.onError?.(error);
      throw error;
    }
  };
  const send = (outcome: ProvisionOutcome) => reported(hook.send(outcome));
  return {
    name: hook.name,
    secrets: hook.secrets ?? [],
    success: (result, run) => send({ status: "success", result, run }),
    failure: (failure, run) => send({ status: "failure", failure, run }),
    deprovisioned: (vm) => reported(hook.deprovisioned(vm)),
  };
}
