import createClient, { type Client } from "openapi-fetch";
import { buildCreateKeyBody } from "./auth-key-request.js";
import { type Clock, systemClock } from "./clock.js";
import { matchesDevice } from "./device-matching.js";
import { TailscaleApiError, TailscaleError, TailscaleInputError } from "./errors.js";
import type { paths } from "./generated/tailscale.js";
import { createOAuthAccessTokenSource } from "./oauth-access-token.js";
import { createSecretRedactor, type SecretRedactor } from "./redact-secrets.js";
import { type RetryEvent, type RetryOptions, resolveRetryPolicy } from "./retry.js";
import { type Authorization, createTransportMiddleware } from "./transport-middleware.js";
import type {
  AuthKey,
  CreateAuthKeyOptions,
  CreatedAuthKey,
  Device,
  DeviceCriteria,
  EnrolledDevice,
  ListDevicesOptions,
  RequestOptions,
  TailscaleAuth,
  WaitForDeviceOptions,
} from "./types.js";
import { validateDeviceCriteria, waitForDevice } from "./wait-for-device.js";

/**
 * Tailscale's public API, the default `baseUrl`.
 *
 * @example
 * ```ts
 * import { DEFAULT_TAILSCALE_BASE_URL } from "@tailvm/tailscale-client";
 *
 * const tokenUrl = `${DEFAULT_TAILSCALE_BASE_URL}/oauth/token`;
 * ```
 */
export const DEFAULT_TAILSCALE_BASE_URL = "https://api.tailscale.com/api/v2";
const DEFAULT_USER_AGENT = "@tailvm/tailscale-client";

/**
 * Options of {@link createTailscaleClient}.
 *
 * @example
 * ```ts
 * const options: TailscaleClientOptions = {
 *   auth: { apiKey: process.env.TAILSCALE_API_KEY ?? "" },
 *   tailnet: "-",
 *   onRetry: (event) => console.warn(event.reason),
 * };
 * ```
 */
export interface TailscaleClientOptions {
  auth: TailscaleAuth;
  /** The tailnet to act on; "-" (the default) is the one the credentials belong to. */
  tailnet?: string;
  /** Default https://api.tailscale.com/api/v2. The OAuth token endpoint is `{baseUrl}/oauth/token`. */
  baseUrl?: string;
  /** Used for every request, the token request included. Default: the global `fetch`. */
  fetch?: typeof fetch;
  userAgent?: string;
  /** Retry policy, or false to send every request once. */
  retry?: RetryOptions | false;
  /** Time source for backoff, `Retry-After`, token expiry and deadlines. Default {@link systemClock}. */
  clock?: Clock;
  /** Called before each retry; the event never contains a secret. */
  onRetry?: (event: RetryEvent) => void;
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
  /** The raw openapi-fetch client, with the same authentication and retries. Returns `{ data, error }`. */
  readonly api: Client<paths>;
  readonly tailnet: string;
  /** Mints an auth key (single-use, ephemeral and pre-approved unless told otherwise). */
  createAuthKey(options: CreateAuthKeyOptions): Promise<CreatedAuthKey>;
  /**
   * A key's metadata, or undefined when Tailscale knows no key of that id (404). A revoked or
   * expired key still comes back, with `invalid: true`.
   */
  getAuthKey(id: string, options?: RequestOptions): Promise<AuthKey | undefined>;
  /** Revokes a key; false when Tailscale knows no key of that id (404). */
  deleteAuthKey(id: string, options?: RequestOptions): Promise<boolean>;
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
  /** Removes a device from the tailnet; false when it was already gone. */
  deleteDevice(nodeId: string, options?: RequestOptions): Promise<boolean>;
  /** Deletes the offline devices with this host name and tags, and returns them. */
  removeStaleDevices(options: {
    hostname: string;
    tags?: string[];
    signal?: AbortSignal;
  }): Promise<Device[]>;
}

/**
 * Creates a Tailscale API client authenticated with an API access token or an OAuth client.
 * Requests are retried on 429 and, for idempotent methods, on 5xx, honouring `Retry-After`.
 *
 * @example
 * ```ts
 * import { createTailscaleClient } from "@tailvm/tailscale-client";
 *
 * const tailscale = createTailscaleClient({
 *   auth: {
 *     oauthClientId: process.env.TS_OAUTH_CLIENT_ID ?? "",
 *     oauthClientSecret: process.env.TS_OAUTH_CLIENT_SECRET ?? "",
 *   },
 * });
 * const startedAt = Date.now();
 * const { key } = await tailscale.createAuthKey({ tags: ["tag:ci"], expirySeconds: 600 });
 * // ... boot a machine that runs `tailscale up --auth-key=<key> --hostname=runner-1` ...
 * const device = await tailscale.waitForDevice({ hostname: "runner-1", tags: ["tag:ci"], createdAfter: startedAt });
 * console.log(device.ipv4);
 * ```
 */
export function createTailscaleClient(options: TailscaleClientOptions): TailscaleClient {
  const auth = validateAuth(options.auth);
  const tailnet = options.tailnet ?? "-";
  if (typeof tailnet !== "string" || tailnet.trim() === "") {
    throw new TailscaleInputError(
      "tailnet",
      'tailnet must be a tailnet name, or "-" for the tailnet the credentials belong to.',
    );
  }
  const baseUrl = (options.baseUrl ?? DEFAULT_TAILSCALE_BASE_URL).replace(/\/+$/, "");
  if (!URL.canParse(baseUrl)) {
    throw new TailscaleInputError(
      "baseUrl",
      `baseUrl must be an absolute URL such as ${DEFAULT_TAILSCALE_BASE_URL}.`,
    );
  }
  const clock = options.clock ?? systemClock;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const policy = resolveRetryPolicy(options.retry);
  const redactor = createSecretRedactor(
    "apiKey" in auth ? [auth.apiKey] : [auth.oauthClientSecret],
  );
  // Resolved per call so that a fetch patched after creation (for example by MSW) is used.
  const customFetch = options.fetch;
  const sendRequest = (request: Request) =>
    customFetch ? customFetch(request) : globalThis.fetch(request);

  const authorization = createAuthorization(auth, {
    tokenUrl: `${baseUrl}/oauth/token`,
    fetch: sendRequest,
    userAgent,
    clock,
    policy,
    redactor,
    onRetry: options.onRetry,
  });

  const api = createClient<paths>({
    baseUrl,
    fetch: sendRequest,
    headers: { Accept: "application/json", "User-Agent": userAgent },
  });
  api.use(
    createTransportMiddleware({
      baseUrl,
      authorization,
      clock,
      policy,
      redactor,
      onRetry: options.onRetry,
    }),
  );

  const usesOAuth = !("apiKey" in auth);
  const fail = (method: string, path: string, response: Response, body: unknown) =>
    apiError({ method, path, response, body, redactor, usesOAuth });
  const tailnetPath = `/tailnet/${encodeURIComponent(tailnet)}`;

  const listDevices: TailscaleClient["listDevices"] = async (listOptions = {}) => {
    // The document names its filter parameter `<field>=<value> filters`, which no type can spell.
    const query = {
      ...listOptions.filters,
      ...(listOptions.fields ? { fields: listOptions.fields } : {}),
    } as { fields?: "default" | "all" };
    const { data, error, response } = await api.GET("/tailnet/{tailnet}/devices", {
      params: { path: { tailnet }, query },
      ...signalOption(listOptions.signal),
    });
    if (error !== undefined || !response.ok) {
      throw fail("GET", `${tailnetPath}/devices`, response, error);
    }
    return data?.devices ?? [];
  };

  const findDevices: TailscaleClient["findDevices"] = async (criteria) => {
    validateDeviceCriteria(criteria);
    const devices = await listDevices({
      filters: deviceFilters(criteria),
      ...signalOption(criteria.signal),
    });
    return devices.filter((device) => matchesDevice(device, criteria));
  };

  const deleteDevice: TailscaleClient["deleteDevice"] = async (nodeId, requestOptions = {}) => {
    requireId("nodeId", nodeId);
    const { error, response } = await api.DELETE("/device/{deviceId}", {
      params: { path: { deviceId: nodeId } },
      ...signalOption(requestOptions.signal),
    });
    if (response.status === 404) return false;
    if (error !== undefined || !response.ok) {
      throw fail("DELETE", `/device/${encodeURIComponent(nodeId)}`, response, error);
    }
    return true;
  };

  return {
    api,
    tailnet,

    async createAuthKey(keyOptions) {
      const body = buildCreateKeyBody(keyOptions, { usesOAuth });
      const { data, error, response } = await api.POST("/tailnet/{tailnet}/keys", {
        params: { path: { tailnet } },
        body,
        ...signalOption(keyOptions.signal),
      });
      if (error !== undefined || !response.ok) {
        throw fail("POST", `${tailnetPath}/keys`, response, error);
      }
      if (typeof data?.id !== "string" || typeof data.key !== "string") {
        throw new TailscaleError(
          `Tailscale answered POST ${tailnetPath}/keys with HTTP ${response.status} but no key id ` +
            "or key; check that baseUrl points at the Tailscale API.",
        );
      }
      redactor.add(data.key);
      const lifetimeSeconds = data.expirySeconds ?? keyOptions.expirySeconds ?? 90 * 24 * 60 * 60;
      return {
        id: data.id,
        key: data.key,
        expires: data.expires ?? new Date(clock.now() + lifetimeSeconds * 1000).toISOString(),
      };
    },

    async getAuthKey(id, requestOptions = {}) {
      requireId("id", id);
      const { data, error, response } = await api.GET("/tailnet/{tailnet}/keys/{keyId}", {
        params: { path: { tailnet, keyId: id } },
        ...signalOption(requestOptions.signal),
      });
      if (response.status === 404) return undefined;
      if (error !== undefined || !response.ok || data === undefined) {
        throw fail("GET", `${tailnetPath}/keys/${encodeURIComponent(id)}`, response, error);
      }
      return data;
    },

    async deleteAuthKey(id, requestOptions = {}) {
      requireId("id", id);
      const { error, response } = await api.DELETE("/tailnet/{tailnet}/keys/{keyId}", {
        params: { path: { tailnet, keyId: id } },
        ...signalOption(requestOptions.signal),
      });
      if (response.status === 404) return false;
      if (error !== undefined || !response.ok) {
        throw fail("DELETE", `${tailnetPath}/keys/${encodeURIComponent(id)}`, response, error);
      }
      return true;
    },

    listDevices,
    findDevices,

    waitForDevice(waitOptions) {
      const filters = deviceFilters(waitOptions);
      return waitForDevice(waitOptions, {
        clock,
        listDevices: (listOptions) => listDevices({ ...listOptions, filters }),
      });
    },

    deleteDevice,

    async removeStaleDevices(staleOptions) {
      const candidates = await findDevices({
        hostname: staleOptions.hostname,
        ...(staleOptions.tags ? { tags: staleOptions.tags } : {}),
        ...signalOption(staleOptions.signal),
      });
      const removed: Device[] = [];
      for (const device of candidates) {
        const nodeId = device.nodeId ?? device.id;
        if (device.connectedToControl === true || !nodeId) continue;
        if (await deleteDevice(nodeId, signalOption(staleOptions.signal))) removed.push(device);
      }
      return removed;
    },
  };
}

/** Tailscale's server-side filters for what {@link matchesDevice} then checks in full. */
function deviceFilters(criteria: DeviceCriteria): Record<string, string | string[]> {
  const tags = criteria.tags ?? [];
  return { hostname: criteria.hostname, ...(tags.length > 0 ? { tags } : {}) };
}

type ValidatedAuth =
  | { apiKey: string }
  | { oauthClientId: string; oauthClientSecret: string; scopes: string[] | undefined };

function validateAuth(auth: unknown): ValidatedAuth {
  if (typeof auth !== "object" || auth === null) {
    throw new TailscaleInputError(
      "auth",
      "auth is required: pass { apiKey } or { oauthClientId, oauthClientSecret, scopes? }.",
    );
  }
  const fields = auth as Record<string, unknown>;
  if ("apiKey" in fields) {
    if (typeof fields.apiKey !== "string" || fields.apiKey.trim() === "") {
      throw new TailscaleInputError(
        "auth.apiKey",
        "auth.apiKey is empty; pass a Tailscale API access token (it starts with tskey-api-).",
      );
    }
    return { apiKey: fields.apiKey };
  }
  for (const field of ["oauthClientId", "oauthClientSecret"] as const) {
    if (typeof fields[field] !== "string" || fields[field].trim() === "") {
      throw new TailscaleInputError(
        `auth.${field}`,
        `auth.${field} is missing or empty; pass { apiKey } or both oauthClientId and ` +
          "oauthClientSecret of a Tailscale OAuth client.",
      );
    }
  }
  const scopes = fields.scopes;
  if (
    scopes !== undefined &&
    !(
      Array.isArray(scopes) &&
      scopes.every((scope) => typeof scope === "string" && /^[A-Za-z0-9_:.-]+$/.test(scope))
    )
  ) {
    throw new TailscaleInputError(
      "auth.scopes",
      'auth.scopes must be a list of scope names such as ["auth_keys", "devices:core"].',
    );
  }
  return {
    oauthClientId: fields.oauthClientId as string,
    oauthClientSecret: fields.oauthClientSecret as string,
    scopes: scopes as string[] | undefined,
  };
}

function createAuthorization(
  auth: ValidatedAuth,
  context: Omit<Parameters<typeof createOAuthAccessTokenSource>[0], "clientId" | "clientSecret">,
): Authorization {
  if ("apiKey" in auth) {
    const headerValue = `Bearer ${auth.apiKey}`;
    return { headerValue: async () => headerValue, rejected: () => false };
  }
  const tokens = createOAuthAccessTokenSource({
    ...context,
    clientId: auth.oauthClientId,
    clientSecret: auth.oauthClientSecret,
    scopes: auth.scopes,
  });
  return {
    headerValue: async (signal) => `Bearer ${await tokens.get(signal)}`,
    rejected: (headerValue) => {
      tokens.invalidate(headerValue.replace(/^Bearer /, ""));
      return true;
    },
  };
}

function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

function requireId(field: string, value: unknown): void {
  if (typeof value !== "string" || value.trim() === "") {
    throw new TailscaleInputError(field, `${field} must be a non-empty id string.`);
  }
}

function apiError(context: {
  method: string;
  path: string;
  response: Response;
  body: unknown;
  redactor: SecretRedactor;
  usesOAuth: boolean;
}): TailscaleApiError {
  const { method, path, response, redactor } = context;
  const status = response.status;
  const raw =
    typeof context.body === "object" && context.body !== null && "message" in context.body
      ? String(context.body.message)
      : typeof context.body === "string"
        ? context.body.slice(0, 300)
        : "";
  const apiMessage = raw ? redactor.redact(raw) : undefined;
  const what = `Tailscale answered ${method} ${path} with HTTP ${status}${apiMessage ? `: ${apiMessage}` : ""}`;
  return new TailscaleApiError(
    redactor.redact(`${what}. ${nextStep(status, method, context.usesOAuth)}`),
    {
      status,
      method,
      path,
      apiMessage,
    },
  );
}

function nextStep(status: number, method: string, usesOAuth: boolean): string {
  if (status === 401) {
    return usesOAuth
      ? "The OAuth access token was refused even after fetching a new one; check that the OAuth client still exists and has not been revoked."
      : "Check that the API access token is correct, not expired and not revoked.";
  }
  if (status === 403) {
    return usesOAuth
      ? "The OAuth client lacks permission: check its scopes (auth_keys to mint keys, devices:core to list and delete devices) and that the tags you ask for are owned by the client's tags in the policy file's tagOwners."
      : "The API access token's owner lacks permission for this; use an admin's token or an OAuth client with the needed scopes.";
  }
  if (status === 404) {
    return 'Check the tailnet name ("-" means the credentials\' own tailnet) and the id.';
  }
  if (status === 429)
    return "Tailscale is rate limiting these requests; slow down and retry later.";
  if (status >= 500 && method === "POST") {
    return "Tailscale may have applied the request anyway, so the auth key may already exist: list the tailnet's keys (GET /tailnet/-/keys) and look for its description before creating another.";
  }
  if (status >= 500) return "This is a problem on Tailscale's side; retry later.";
  return "Fix the request and send it again.";
}
