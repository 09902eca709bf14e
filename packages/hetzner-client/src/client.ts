import createClient, { type Client } from "openapi-fetch";
import { type Clock, systemClock } from "./clock";
import { HetznerApiError, HetznerInputError, isHetznerApiError } from "./errors";
import type { paths } from "./generated/hetzner";
import { type PageItem, type PaginatedPath, type PaginateInit, paginateList } from "./paginate";
import { createRedactor } from "./redact";
import {
  createRetryMiddleware,
  describeResponse,
  type RateLimitState,
  RETRYABLE_CODES,
  type RetryEvent,
  type RetryOptions,
} from "./retry";
import type { Action, CreateServerBody, Location, Server, ServerType } from "./types";
import { type WaitForActionOptions, waitForActions } from "./wait-for-action";

/**
 * Hetzner Cloud's public API, the default `baseUrl`.
 *
 * @example
 * ```ts
 * import { createHetznerClient, DEFAULT_BASE_URL } from "@tailvm/hetzner-client";
 *
 * createHetznerClient({ token, baseUrl: process.env.HCLOUD_ENDPOINT ?? DEFAULT_BASE_URL });
 * ```
 */
export const DEFAULT_BASE_URL = "https://api.hetzner.cloud/v1";
const LIBRARY_USER_AGENT = "tailvm-hetzner-client";

/**
 * Options of `createHetznerClient`.
 *
 * @example
 * ```ts
 * const options: HetznerClientOptions = { token: process.env.HCLOUD_TOKEN ?? "", userAgent: "my-app/1.0" };
 * ```
 */
export interface HetznerClientOptions {
  /** A Hetzner Cloud API token (Read & Write to create servers). Never appears in errors. */
  token: string;
  /** Default `https://api.hetzner.cloud/v1`; override for proxies, simulators and tests. */
  baseUrl?: string;
  /** Default: the global `fetch`, looked up on every request. */
  fetch?: typeof fetch;
  /** Prepended to this library's own `User-Agent`, e.g. `"my-app/1.0"`. */
  userAgent?: string;
  /** Retry policy; `false` sends every request once. */
  retry?: RetryOptions | false;
  /** Time source for backoff, rate-limit waits and polling. Default `systemClock`. */
  clock?: Clock;
  /** Called before each retry wait. */
  onRetry?: (event: RetryEvent) => void;
}

/**
 * Options every helper accepts.
 *
 * @example
 * ```ts
 * await hetzner.getServer(42, { signal: AbortSignal.timeout(30_000) });
 * ```
 */
export interface RequestOptions {
  signal?: AbortSignal;
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
 * The shape of every openapi-fetch result, as `unwrap` accepts it.
 *
 * @example
 * ```ts
 * const result: ApiResult<unknown> = await hetzner.api.GET("/ssh_keys");
 * ```
 */
export interface ApiResult<Data> {
  data?: Data;
  error?: unknown;
  response: Response;
}

/**
 * A typed Hetzner Cloud client: thin helpers for the calls a provisioner needs, plus the raw
 * openapi-fetch client (`api`) for everything else. Both share one retry middleware.
 *
 * @example
 * ```ts
 * const hetzner: HetznerClient = createHetznerClient({ token });
 * const keys = hetzner.unwrap(await hetzner.api.GET("/ssh_keys", { params: { query: { name: "ci" } } }));
 * ```
 */
export interface HetznerClient {
  /** The raw typed client; it returns `{ data, error, response }` and never throws on 4xx/5xx. */
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
  listServers(
    options?: { labelSelector?: string; name?: string } & RequestOptions,
  ): Promise<Server[]>;
  /** `DELETE /servers/{id}`; resolves `undefined` when the server is already gone. */
  deleteServer(id: number, options?: RequestOptions): Promise<Action | undefined>;
  /** Every server type, each with `locations[]` carrying `name`, `available` and `deprecation`. */
  listServerTypes(options?: RequestOptions): Promise<ServerType[]>;
  /** Every location. */
  listLocations(options?: RequestOptions): Promise<Location[]>;
  /** Polls until every action succeeded; see `WaitForActionOptions`. */
  waitForAction(ids: number | readonly number[], options?: WaitForActionOptions): Promise<Action[]>;
  /** Iterates every item of a list endpoint across pages. */
  paginate<Path extends PaginatedPath>(
    path: Path,
    init?: PaginateInit<Path>,
  ): AsyncIterable<PageItem<Path>>;
}

/**
 * Creates a Hetzner Cloud client.
 *
 * @example
 * ```ts
 * import { createHetznerClient } from "@tailvm/hetzner-client";
 *
 * const hetzner = createHetznerClient({ token: process.env.HCLOUD_TOKEN ?? "" });
 * const { server, action, nextActions } = await hetzner.createServer({
 *   name: "runner-1",
 *   server_type: "cx23",
 *   image: "ubuntu-24.04",
 *   location: "nbg1",
 * });
 * await hetzner.waitForAction([action.id, ...nextActions.map((next) => next.id)]);
 * ```
 */
export function createHetznerClient(options: HetznerClientOptions): HetznerClient {
  if (typeof options?.token !== "string" || options.token.trim() === "") {
    throw new HetznerInputError(
      "token",
      "expected a non-empty Hetzner Cloud API token (create one in the Hetzner Console under Security > API tokens)",
    );
  }
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  if (!URL.canParse(baseUrl)) {
    throw new HetznerInputError("baseUrl", "expected an absolute http(s) URL");
  }
  const clock = options.clock ?? systemClock;
  const redact = createRedactor([options.token]);
  const customFetch = options.fetch;
  let rateLimit: RateLimitState | undefined;

  const api = createClient<paths>({
    baseUrl,
    fetch: (request) => (customFetch ?? globalThis.fetch)(request),
    headers: {
      Authorization: `Bearer ${options.token}`,
      "User-Agent": options.userAgent
        ? `${options.userAgent} ${LIBRARY_USER_AGENT}`
        : LIBRARY_USER_AGENT,
    },
  });
  api.use(
    createRetryMiddleware({
      retry: options.retry,
      clock,
      onRetry: options.onRetry,
      onRateLimit: (state) => {
        rateLimit = state;
      },
      redact,
    }),
  );

  function unwrap<Data>(result: ApiResult<Data>): Data {
    if (result.response.ok && result.error === undefined) return result.data as Data;
    throw toApiError(result.response, result.error, baseUrl, redact);
  }

  const context = { api, clock, unwrap };

  async function collect<Path extends PaginatedPath>(
    path: Path,
    init: PaginateInit<Path>,
  ): Promise<PageItem<Path>[]> {
    const items: PageItem<Path>[] = [];
    for await (const item of paginateList(context, path, init)) items.push(item);
    return items;
  }

  async function getServer(id: number, requestOptions: RequestOptions = {}): Promise<Server> {
    assertId(id, "id");
    const data = unwrap(
      await api.GET("/servers/{id}", { params: { path: { id } }, ...signalOf(requestOptions) }),
    );
    if (data.server === undefined) {
      throw new HetznerApiError({
        status: 404,
        code: "not_found",
        apiMessage: `server ${id} not found`,
        method: "GET",
        path: `/servers/${id}`,
      });
    }
    return data.server;
  }

  return {
    api,
    get rateLimit() {
      return rateLimit;
    },
    unwrap,
    async createServer(body, requestOptions = {}) {
      validateCreateServerBody(body);
      const data = unwrap(await api.POST("/servers", { body, ...signalOf(requestOptions) }));
      return {
        server: data.server,
        action: data.action,
        nextActions: data.next_actions,
        rootPassword: data.root_password,
      };
    },
    getServer,
    async findServer(id, requestOptions) {
      try {
        return await getServer(id, requestOptions);
      } catch (error) {
        if (isHetznerApiError(error, "not_found")) return undefined;
        throw error;
      }
    },
    async listServers(listOptions = {}) {
      const query: { label_selector?: string; name?: string } = {};
      if (listOptions.labelSelector !== undefined) {
        assertText(listOptions.labelSelector, "labelSelector");
        query.label_selector = listOptions.labelSelector;
      }
      if (listOptions.name !== undefined) {
        assertText(listOptions.name, "name");
        query.name = listOptions.name;
      }
      return collect("/servers", { params: { query }, ...signalOf(listOptions) });
    },
    async deleteServer(id, requestOptions = {}) {
      assertId(id, "id");
      try {
        const data = unwrap(
          await api.DELETE("/servers/{id}", {
            params: { path: { id } },
            ...signalOf(requestOptions),
          }),
        );
        return data.action;
      } catch (error) {
        if (isHetznerApiError(error, "not_found")) return undefined;
        throw error;
      }
    },
    listServerTypes(requestOptions = {}) {
      return collect("/server_types", signalOf(requestOptions));
    },
    listLocations(requestOptions = {}) {
      return collect("/locations", signalOf(requestOptions));
    },
    waitForAction(ids, waitOptions) {
      return waitForActions(context, ids, waitOptions);
    },
    paginate(path, init) {
      return paginateList(context, path, init);
    },
  };
}

function signalOf(options: RequestOptions): { signal?: AbortSignal } {
  return options.signal === undefined ? {} : { signal: options.signal };
}

function toApiError(
  response: Response,
  body: unknown,
  baseUrl: string,
  redact: (text: string) => string,
): HetznerApiError {
  const info = describeResponse(response) ?? {
    method: "GET",
    path: response.url ? new URL(response.url).pathname.replace(new URL(baseUrl).pathname, "") : "",
  };
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } })
    ?.error;
  const code = typeof error?.code === "string" ? error.code : `http_${response.status}`;
  const requestId = response.headers.get("x-correlation-id") ?? undefined;
  return new HetznerApiError({
    status: response.status,
    code,
    ...(typeof error?.message === "string" ? { apiMessage: redact(error.message) } : {}),
    ...(error?.details === undefined || error.details === null ? {} : { details: error.details }),
    method: info.method,
    path: info.path,
    ...(requestId === undefined ? {} : { requestId }),
    isRetryable: isRetryableAnswer(response.status, code, info.method),
  });
}

/**
 * Whether sending the same request again may succeed. A POST that got a 5xx is not: Hetzner may
 * have applied it, which is also why the retry middleware never re-sends it.
 */
function isRetryableAnswer(status: number, code: string, method: string): boolean {
  if (status === 429) return true;
  if (status >= 500) return method.toUpperCase() !== "POST";
  return RETRYABLE_CODES.includes(code) || code === "locked";
}

function assertId(id: unknown, field: string): asserts id is number {
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id <= 0) {
    throw new HetznerInputError(field, `expected a positive integer, got ${String(id)}`);
  }
}

function assertText(value: unknown, field: string): asserts value is string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new HetznerInputError(field, "expected a non-empty string");
  }
}

const hostnameLabel = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

function isHostname(name: string): boolean {
  return name.length <= 253 && name.split(".").every((label) => hostnameLabel.test(label));
}

function validateCreateServerBody(body: CreateServerBody): void {
  if (typeof body !== "object" || body === null) {
    throw new HetznerInputError("body", "expected an object with name, server_type and image");
  }
  if (typeof body.name !== "string" || !isHostname(body.name)) {
    throw new HetznerInputError(
      "body.name",
      "expected an RFC 1123 hostname: dot-separated labels of 1-63 letters, digits and inner hyphens (e.g. runner-1)",
    );
  }
  assertText(body.server_type, "body.server_type");
  assertText(body.image, "body.image");
  if (body.location !== undefined) assertText(body.location, "body.location");
}
