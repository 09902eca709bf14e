import type { ApiClientOptions } from "@tailvm/internal";
import type { Client } from "openapi-fetch";
import type { paths } from "./generated/tailscale.js";
import type { RetryOptions } from "./retry-options.js";
import type {
  AuthKey,
  CreateAuthKeyOptions,
  CreatedAuthKey,
  DeleteResult,
  Device,
  DeviceCriteria,
  EnrolledDevice,
  ListDevicesOptions,
  RemoveStaleDevicesOptions,
  RequestOptions,
  TailscaleAuth,
  WaitForDeviceOptions,
} from "./types.js";

/**
 * Options of {@link createTailscaleClient}: the credentials, the tailnet, and the transport
 * options `baseUrl` (default `https://api.tailscale.com/api/v2`; the OAuth token endpoint is
 * `{baseUrl}/oauth/token`), `fetch` (used for the token request too), `userAgent` (default
 * `@tailvm/tailscale-client`), `retry` (see {@link RetryOptions}), `clock` and `onRetry`. Every
 * optional field also accepts `undefined`, so `tailnet: process.env.TS_TAILNET` compiles under
 * `exactOptionalPropertyTypes`.
 *
 * @example
 * ```ts
 * const options: TailscaleClientOptions = {
 *   auth: { apiKey: process.env.TAILSCALE_API_KEY ?? "" },
 *   tailnet: process.env.TS_TAILNET,
 *   onRetry: (event) => log.warn(event.reason),
 * };
 * ```
 */
export interface TailscaleClientOptions extends ApiClientOptions<RetryOptions> {
  auth: TailscaleAuth;
  /** The tailnet to act on; "-" (the default) is the one the credentials belong to. */
  tailnet?: string | undefined;
}

/**
 * A typed Tailscale API client; see {@link createTailscaleClient}.
 *
 * @example
 * ```ts
 * async function enrol(tailscale: TailscaleClient) {
 *   const { key } = await tailscale.createAuthKey({ tags: ["tag:ci"] });
 *   return key;
 * }
 * ```
 */
export interface TailscaleClient {
  /**
   * The typed openapi-fetch client, with the same authentication and retries; it returns
   * `{ data, error, response }`. Middleware added with `api.use()` runs on every attempt.
   */
  readonly api: Client<paths>;
  readonly tailnet: string;
  /** Mints an auth key (single-use, ephemeral and pre-approved unless told otherwise). */
  createAuthKey(options: CreateAuthKeyOptions): Promise<CreatedAuthKey>;
  /**
   * A key's metadata, or undefined when Tailscale knows no key of that id (404). A revoked or
   * expired key still comes back, with `invalid: true`.
   */
  getAuthKey(id: string, options?: RequestOptions): Promise<AuthKey | undefined>;
  /** Revokes a key: `{ deleted: false }` when Tailscale knows no key of that id (404). */
  deleteAuthKey(id: string, options?: RequestOptions): Promise<DeleteResult>;
  /**
   * The tailnet's devices. `filters` are Tailscale's server-side `<field>=<value>` filters on
   * top-level device properties (exact matches, ANDed; a list property such as `tags` must contain
   * every value given), so that a large tailnet does not have to be listed whole.
   */
  listDevices(options?: ListDevicesOptions): Promise<Device[]>;
  /** Devices whose host name (not MagicDNS name), tags and creation time match. */
  findDevices(options: DeviceCriteria): Promise<Device[]>;
  /** Polls until a matching device has joined; throws TailscaleTimeoutError at the deadline. */
  waitForDevice(options: WaitForDeviceOptions): Promise<EnrolledDevice>;
  /** Removes a device from the tailnet: `{ deleted: false }` when it was already gone. */
  deleteDevice(nodeId: string, options?: RequestOptions): Promise<DeleteResult>;
  /** Deletes the offline devices with this host name and tags, and returns them. */
  removeStaleDevices(options: RemoveStaleDevicesOptions): Promise<Device[]>;
}
