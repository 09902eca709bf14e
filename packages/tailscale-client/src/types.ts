import type { components } from "./generated/tailscale.js";

/**
 * A device as Tailscale's API describes it (`GET /tailnet/{tailnet}/devices`).
 *
 * @example
 * ```ts
 * import type { Device } from "@tailvm/tailscale-client";
 *
 * const offline = (devices: Device[]) => devices.filter((device) => !device.connectedToControl);
 * ```
 */
export type Device = components["schemas"]["Device"];

/**
 * A key as Tailscale's API describes it (`GET /tailnet/{tailnet}/keys/{keyId}`); the secret `key`
 * field is only present in the answer that created it.
 *
 * @example
 * ```ts
 * import type { AuthKey } from "@tailvm/tailscale-client";
 *
 * const isUsable = (key: AuthKey) => !key.revoked && !key.invalid;
 * ```
 */
export type AuthKey = components["schemas"]["Key"];

/**
 * The capabilities part of a key-creation request, exactly as the API spells it.
 *
 * @example
 * ```ts
 * import type { KeyCapabilities } from "@tailvm/tailscale-client";
 *
 * const capabilities: KeyCapabilities = {
 *   devices: { create: { reusable: false, ephemeral: true, preauthorized: true, tags: ["tag:ci"] } },
 * };
 * ```
 */
export type KeyCapabilities = components["schemas"]["KeyCapabilities"];

/**
 * A device that joined the tailnet, as {@link TailscaleClient.waitForDevice} returns it.
 *
 * @example
 * ```ts
 * const device: EnrolledDevice = await tailscale.waitForDevice({ hostname: "runner-1" });
 * console.log(`ssh root@${device.ipv4}`);
 * ```
 */
export interface EnrolledDevice {
  /** The stable node id (use it with {@link TailscaleClient.deleteDevice}). */
  nodeId: string;
  /** The machine's own host name. */
  hostname: string;
  /** The MagicDNS name, e.g. `runner-1.tail1234.ts.net` (may carry a `-1` suffix on a clash). */
  name: string;
  addresses: string[];
  /** The device's address in 100.64.0.0/10. */
  ipv4: string;
  /** The device's address in fd7a:115c:a1e0::/48, when it has one. */
  ipv6: string | undefined;
}

/**
 * Credentials: an API access token, or an OAuth client (trust credential) whose access tokens the
 * client fetches and refreshes itself.
 *
 * @example
 * ```ts
 * import type { TailscaleAuth } from "@tailvm/tailscale-client";
 *
 * const auth: TailscaleAuth = {
 *   oauthClientId: process.env.TS_OAUTH_CLIENT_ID ?? "",
 *   oauthClientSecret: process.env.TS_OAUTH_CLIENT_SECRET ?? "",
 *   scopes: ["auth_keys", "devices:core"],
 * };
 * ```
 */
export type TailscaleAuth =
  | { apiKey: string }
  | { oauthClientId: string; oauthClientSecret: string; scopes?: string[] | undefined };

/**
 * Options of {@link TailscaleClient.createAuthKey}.
 *
 * @example
 * ```ts
 * const options: CreateAuthKeyOptions = { tags: ["tag:ci"], expirySeconds: 600, description: "runner 42" };
 * ```
 */
export interface CreateAuthKeyOptions {
  /** Tags every device that uses the key gets, each `tag:<name>`. Required with OAuth. */
  tags: string[];
  /** The device disappears from the tailnet once it goes offline. Default true. */
  ephemeral?: boolean | undefined;
  /** The device needs no approval by an admin. Default true. */
  preauthorized?: boolean | undefined;
  /** The key can enrol more than one device. Default false. */
  reusable?: boolean | undefined;
  /** Key lifetime in seconds, 1 to 7 776 000 (90 days). Tailscale's default is 90 days. */
  expirySeconds?: number | undefined;
  /** Up to 50 letters, digits, spaces or hyphens. */
  description?: string | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * The answer of {@link TailscaleClient.createAuthKey}. `key` is a secret: never log it.
 *
 * @example
 * ```ts
 * const { id, key, expires }: CreatedAuthKey = await tailscale.createAuthKey({ tags: ["tag:ci"] });
 * ```
 */
export interface CreatedAuthKey {
  id: string;
  key: string;
  /** ISO 8601 time at which the key stops working. */
  expires: string;
}

/**
 * Which devices {@link TailscaleClient.findDevices} returns.
 *
 * @example
 * ```ts
 * const criteria: DeviceCriteria = { hostname: "runner-1", tags: ["tag:ci"], createdAfter: startedAt };
 * ```
 */
export interface DeviceCriteria {
  /**
   * The machine's host name (`Device.hostname`), not the MagicDNS name. Tailscale filters on it
   * server-side, as an exact match.
   */
  hostname: string;
  /** The device must carry every one of these tags. */
  tags?: string[] | undefined;
  /** Only devices whose `created` time is at or after this (a Date or epoch milliseconds). */
  createdAfter?: Date | number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Options of {@link TailscaleClient.waitForDevice}.
 *
 * @example
 * ```ts
 * const options: WaitForDeviceOptions = { hostname: "runner-1", tags: ["tag:ci"], timeoutMs: 300_000 };
 * ```
 */
export interface WaitForDeviceOptions extends DeviceCriteria {
  /** Wait until the device is connected to Tailscale's control plane. Default true. */
  requireConnected?: boolean | undefined;
  /**
   * Give up after this long, measured with the client's clock; the deadline also aborts a poll in
   * flight. Default 300 000 ms (5 minutes).
   */
  timeoutMs?: number | undefined;
  /**
   * The delay before the next look at the device list, given the looks so far (`attempt`, 1
   * after the first) and the milliseconds since the wait started. Default: 1 s, doubling up to 5 s.
   *
   * @example
   * ```ts
   * await tailscale.waitForDevice({ hostname: "runner-1", pollDelayMs: ({ elapsedMs }) => (elapsedMs < 30_000 ? 5_000 : 500) });
   * ```
   */
  pollDelayMs?: ((progress: { attempt: number; elapsedMs: number }) => number) | undefined;
}

/**
 * Options of {@link TailscaleClient.listDevices}.
 *
 * @example
 * ```ts
 * const options: ListDevicesOptions = { fields: "all", filters: { hostname: "runner-1", tags: ["tag:ci"] } };
 * ```
 */
export interface ListDevicesOptions {
  /** `all` adds the heavier fields (client connectivity, enabled routes, ...). */
  fields?: "default" | "all" | undefined;
  /** Server-side `<field>=<value>` filters on top-level device properties; see listDevices. */
  filters?: Record<string, string | string[]> | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Options of {@link TailscaleClient.removeStaleDevices}: which devices count as stale copies of
 * the machine about to be created.
 *
 * @example
 * ```ts
 * const options: RemoveStaleDevicesOptions = { hostname: "runner-1", tags: ["tag:ci"] };
 * ```
 */
export interface RemoveStaleDevicesOptions {
  hostname: string;
  tags?: string[] | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * What every `delete*` method of both tailvm clients resolves with: `deleted` is true when this
 * call deleted the resource and false when it was already gone (404), which is not an error.
 *
 * @example
 * ```ts
 * const { deleted } = await tailscale.deleteDevice(nodeId);
 * ```
 */
export interface DeleteResult {
  deleted: boolean;
}

/**
 * Options of calls that only take an AbortSignal.
 *
 * @example
 * ```ts
 * const options: RequestOptions = { signal: AbortSignal.timeout(10_000) };
 * ```
 */
export interface RequestOptions {
  signal?: AbortSignal | undefined;
}
