import type { HetznerClient } from "@tailvm/hetzner-client";
import type { TailscaleClient } from "@tailvm/tailscale-client";
import type { Clock } from "./clock.js";
import type { Logger } from "./logger.js";
import type { Output } from "./output.js";
import type { HetznerCredentials, TailscaleCredentials } from "./scope-clients.js";
import type { ProvisionEvent } from "./types.js";

/**
 * Where and how a run talks to the clouds, and who hears about it: what `createProvisioner` takes,
 * and the second argument of the plain `provisionVM`, `deprovisionVM` and `reap`.
 *
 * Give credentials and the provisioner creates its own clients (with its clock); give client
 * instances and it uses them. Calls made through one `createProvisioner(context)` share the
 * clients (one OAuth token, one view of Hetzner's rate limit) and one catalog (server types and images); each
 * plain call has its own scope (only client instances you pass yourself are shared).
 *
 * @example
 * ```ts
 * const context: ProvisionContext = {
 *   hetzner: { token: process.env.HETZNER_API_TOKEN! },
 *   tailscale: { auth: { oauthClientId: process.env.TS_CLIENT_ID!, oauthClientSecret: process.env.TS_CLIENT_SECRET! } },
 *   logger: consoleLogger(),
 * };
 * ```
 */
export interface ProvisionContext {
  hetzner: HetznerClient | HetznerCredentials;
  tailscale: TailscaleClient | TailscaleCredentials;
  /** Default: debug and info silent, warnings and errors to stderr. */
  logger?: Logger | Logger[];
  outputs?: Output[];
  /** Default the system clock. Clients created from credentials use it too. */
  clock?: Clock;
  /**
   * Called with each secret the run creates (the auth key, a root password) before anything could
   * log it, e.g. to mask it in CI logs. A throw fails the run (and rolls it back).
   */
  onSecret?: (value: string) => void;
  /** Every event of the run, already redacted. */
  onEvent?: (event: ProvisionEvent) => void;
  /** How long rollback may take, in ms, whatever the caller's signal says. Default 120 000. */
  rollbackTimeoutMs?: number;
}
