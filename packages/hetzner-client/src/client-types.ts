import type { ApiClientOptions, RateLimitState } from "@tailvm/internal";
import type { Client } from "openapi-fetch";
import type { paths } from "./generated/hetzner";
import type { PageItem, PaginatedPath, PaginateInit } from "./paginate";
import type { RetryOptions } from "./retry-options";
import type {
  Action,
  CreateFirewallBody,
  CreateServerBody,
  Firewall,
  Image,
  Location,
  Network,
  Server,
  ServerType,
} from "./types";
import type { ApiResult } from "./unwrap";
import type { WaitForActionOptions } from "./wait-for-action";

/**
 * Options of `createHetznerClient`: the token, and the transport options `baseUrl` (default
 * `https://api.hetzner.cloud/v1`), `fetch`, `userAgent` (prepended to this library's own),
 * `retry` (see {@link RetryOptions}), `clock` and `onRetry`. Every optional field also accepts
 * `undefined`, so `baseUrl: process.env.HCLOUD_ENDPOINT` compiles under
 * `exactOptionalPropertyTypes`.
 *
 * @example
 * ```ts
 * const options: HetznerClientOptions = {
 *   token: process.env.HCLOUD_TOKEN ?? "",
 *   baseUrl: process.env.HCLOUD_ENDPOINT,
 *   userAgent: "my-app/1.0",
 * };
 * ```
 */
export interface HetznerClientOptions extends ApiClientOptions<RetryOptions> {
  /** A Hetzner Cloud API token (Read & Write to create servers). Never appears in errors. */
  token: string;
}

/**
 * The last options object every helper takes: an AbortSignal.
 *
 * @example
 * ```ts
 * await hetzner.getServer(42, { signal: AbortSignal.timeout(30_000) });
 * ```
 */
export interface RequestOptions {
  signal?: AbortSignal | undefined;
}

/**
 * Options of `listServers`: Hetzner's label selector and exact name filters.
 *
 * @example
 * ```ts
 * await hetzner.listServers({ labelSelector: "team=ci", name: "runner-1" });
 * ```
 */
export interface ListServersOptions extends RequestOptions {
  /** A label selector, e.g. `team=ci,env!=prod`. */
  labelSelector?: string | undefined;
  /** The exact server name. */
  name?: string | undefined;
}

/**
 * Options of `listImages`.
 *
 * @example
 * ```ts
 * await hetzner.listImages({ name: "ubuntu-24.04", architecture: "arm", type: "system" });
 * ```
 */
export interface ListImagesOptions extends RequestOptions {
  /** The exact image name, e.g. `ubuntu-24.04`. */
  name?: string | undefined;
  architecture?: "x86" | "arm" | undefined;
  /** One image type or several. */
  type?: ImageType | readonly ImageType[] | undefined;
}

/**
 * The kinds of image Hetzner lists.
 *
 * @example
 * ```ts
 * const wanted: ImageType[] = ["system", "snapshot"];
 * ```
 */
export type ImageType = "system" | "app" | "snapshot" | "backup";

/**
 * Options of `listFirewalls`.
 *
 * @example
 * ```ts
 * await hetzner.listFirewalls({ labelSelector: "tailvm.dev/agent" });
 * ```
 */
export interface ListFirewallsOptions extends RequestOptions {
  /** The exact firewall name. */
  name?: string | undefined;
  /** A label selector, e.g. `tailvm.dev/agent=a1`. */
  labelSelector?: string | undefined;
}

/**
 * What `createServer` resolves with: the server, its `create_server` action, the actions that
 * follow (e.g. `start_server`) and the root password (`null` when SSH keys were given).
 *
 * @example
 * ```ts
 * const { server, action, nextActions } = await hetzner.createServer(body);
 * await hetzner.waitForAction([action.id, ...nextActions.map((next) => next.id)]);
 * ```
 */
export interface CreateServerResult {
  server: Server;
  action: Action;
  nextActions: Action[];
  rootPassword: string | null;
}

/**
 * What `createFirewall` resolves with: the firewall and the actions that apply it (if any).
 *
 * @example
 * ```ts
 * const { firewall, actions } = await hetzner.createFirewall({ name: "runners" });
 * await hetzner.waitForAction(actions.map((action) => action.id));
 * ```
 */
export interface CreateFirewallResult {
  firewall: Firewall;
  actions: Action[];
}

/**
 * What every `delete*` method of both tailvm clients resolves with: `deleted` is true when this
 * call deleted the resource and false when it was already gone (404), which is not an error.
 *
 * @example
 * ```ts
 * const { deleted } = await hetzner.deleteFirewall(7);
 * ```
 */
export interface DeleteResult {
  deleted: boolean;
}

/**
 * What `deleteServer` resolves with: as {@link DeleteResult}, plus the `delete_server` action
 * when the server was deleted, so the caller can wait until it is gone.
 *
 * @example
 * ```ts
 * const result = await hetzner.deleteServer(42);
 * if (result.deleted) await hetzner.waitForAction(result.action.id);
 * ```
 */
export type DeleteServerResult =
  | { deleted: true; action: Action }
  | { deleted: false; action?: undefined };

/**
 * A typed Hetzner Cloud client: thin helpers for the calls a provisioner needs, plus the raw
 * openapi-fetch client (`api`) for everything else. Both retry by the same rules.
 *
 * @example
 * ```ts
 * const hetzner: HetznerClient = createHetznerClient({ token });
 * const keys = hetzner.unwrap(await hetzner.api.GET("/ssh_keys", { params: { query: { name: "ci" } } }));
 * ```
 */
export interface HetznerClient {
  /**
   * The typed openapi-fetch client; it returns `{ data, error, response }` and never throws on
   * 4xx/5xx. Every call is retried by the client's rules, and middleware added with `api.use()`
   * runs on every attempt.
   */
  readonly api: Client<paths>;
  /** The last `RateLimit-*` headers seen; `reset` is in epoch seconds. */
  readonly rateLimit: RateLimitState | undefined;
  /** Returns `result.data`, or throws `HetznerApiError` for a non-2xx response. */
  unwrap<Data>(result: ApiResult<Data>): Data;
  /** `POST /servers`. Never re-sent after a 5xx or a network error. */
  createServer(body: CreateServerBody, options?: RequestOptions): Promise<CreateServerResult>;
  /** `GET /servers/{id}`; a missing server throws `HetznerApiError` with code `not_found`. */
  getServer(id: number, options?: RequestOptions): Promise<Server>;
  /** `GET /servers/{id}`; a missing server resolves `undefined`. */
  findServer(id: number, options?: RequestOptions): Promise<Server | undefined>;
  /** Every server (all pages), optionally filtered by label selector and exact name. */
  listServers(options?: ListServersOptions): Promise<Server[]>;
  /** `DELETE /servers/{id}`: `{ deleted: true, action }`, or `{ deleted: false }` when already gone. */
  deleteServer(id: number, options?: RequestOptions): Promise<DeleteServerResult>;
  /** Every server type with its size, prices, deprecation and per-location availability. */
  listServerTypes(options?: RequestOptions): Promise<ServerType[]>;
  /** Every location. */
  listLocations(options?: RequestOptions): Promise<Location[]>;
  /** Every image (all pages) matching the name, architecture and type given. */
  listImages(options?: ListImagesOptions): Promise<Image[]>;
  /** Every firewall (all pages), optionally filtered by exact name and label selector. */
  listFirewalls(options?: ListFirewallsOptions): Promise<Firewall[]>;
  /** `POST /firewalls`. Never re-sent after a 5xx or a network error. */
  createFirewall(body: CreateFirewallBody, options?: RequestOptions): Promise<CreateFirewallResult>;
  /** `DELETE /firewalls/{id}`: `{ deleted: false }` when it was already gone. */
  deleteFirewall(id: number, options?: RequestOptions): Promise<DeleteResult>;
  /** `GET /networks/{id}`; a missing network throws `HetznerApiError` with code `not_found`. */
  getNetwork(id: number, options?: RequestOptions): Promise<Network>;
  /** Polls until every action succeeded; see `WaitForActionOptions`. */
  waitForAction(ids: number | readonly number[], options?: WaitForActionOptions): Promise<Action[]>;
  /** Iterates every item of a list endpoint across pages. */
  paginate<Path extends PaginatedPath>(
    path: Path,
    init?: PaginateInit<Path>,
  ): AsyncIterable<PageItem<Path>>;
}
