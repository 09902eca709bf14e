/**
 * A time source. Inject one to control time in tests.
 *
 * @example
 * ```ts
 * import { createTailscaleClient, type Clock } from "@tailvm/tailscale-client";
 *
 * let now = 0;
 * const clock: Clock = {
 *   now: () => now,
 *   sleep: async (ms) => {
 *     now += ms;
 *   },
 * };
 * const tailscale = createTailscaleClient({ auth: { apiKey: "tskey-api-..." }, clock });
 * ```
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with `signal.reason` as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The real clock: `Date.now()` and `setTimeout`.
 *
 * @example
 * ```ts
 * import { systemClock } from "@tailvm/tailscale-client";
 *
 * const controller = new AbortController();
 * await systemClock.sleep(1_000, controller.signal); // rejects with the abort reason on abort
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};
