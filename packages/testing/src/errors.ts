/**
 * The base class of every error this package throws (bad options, malformed label selectors).
 * Simulated API failures are never thrown: they are answered as HTTP errors.
 *
 * @example
 * ```ts
 * try {
 *   createSimulatedCloud({ rateLimit: { limit: 0 } });
 * } catch (error) {
 *   if (error instanceof SimulatedCloudError) console.error(error.message);
 * }
 * ```
 */
export class SimulatedCloudError extends Error {
  override name = "SimulatedCloudError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
