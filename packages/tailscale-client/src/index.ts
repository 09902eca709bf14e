export { type Clock, systemClock } from "./clock.js";
export {
  isTailscaleApiError,
  TailscaleApiError,
  TailscaleError,
  TailscaleInputError,
  TailscaleNetworkError,
  TailscaleTimeoutError,
} from "./errors.js";
export type { components, operations, paths } from "./generated/tailscale.js";
export type { RetryEvent, RetryOptions } from "./retry.js";
export {
  createTailscaleClient,
  DEFAULT_TAILSCALE_BASE_URL,
  type TailscaleClient,
  type TailscaleClientOptions,
} from "./tailscale-client.js";
export type {
  AuthKey,
  CreateAuthKeyOptions,
  CreatedAuthKey,
  Device,
  DeviceCriteria,
  EnrolledDevice,
  KeyCapabilities,
  ListDevicesOptions,
  RequestOptions,
  TailscaleAuth,
  WaitForDeviceOptions,
} from "./types.js";
