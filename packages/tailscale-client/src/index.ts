export { type Clock, systemClock } from "@tailvm/internal";
export type { TailscaleClient, TailscaleClientOptions } from "./client-types.js";
export {
  isTailscaleApiError,
  TailscaleApiError,
  type TailscaleApiErrorOptions,
  TailscaleError,
  type TailscaleErrorOptions,
  TailscaleInputError,
  TailscaleNetworkError,
  TailscaleTimeoutError,
} from "./errors.js";
export type { components, operations, paths } from "./generated/tailscale.js";
export type { RetryEvent, RetryOptions } from "./retry-options.js";
export { createTailscaleClient, DEFAULT_TAILSCALE_BASE_URL } from "./tailscale-client.js";
export type * from "./types.js";
