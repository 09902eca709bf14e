import { createRedactor, systemClock } from "@tailvm/internal";
import { authKeyHelpers } from "./auth-keys.js";
import { createAuthorization, validateAuth } from "./authorization.js";
import type { ClientContext } from "./client-context.js";
import type { TailscaleClient, TailscaleClientOptions } from "./client-types.js";
import { createApi } from "./create-api.js";
import { deviceHelpers } from "./devices.js";
import { TailscaleInputError } from "./errors.js";
import { resolveRetryOptions } from "./retry-options.js";

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
 * Creates a Tailscale API client authenticated with an API access token or an OAuth client.
 * Requests are retried on 429 and, for idempotent methods, on 5xx, honouring `Retry-After`.
 * Options are checked at once: a bad one throws `TailscaleInputError` naming it.
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
 * ```
 */
export function createTailscaleClient(options: TailscaleClientOptions): TailscaleClient {
  const auth = validateAuth(options?.auth);
  const tailnet = options.tailnet ?? "-";
  if (typeof tailnet !== "string" || tailnet.trim() === "") {
    throw new TailscaleInputError(
      "tailnet",
      'tailnet must be a tailnet name, or "-" for the tailnet the credentials belong to.',
    );
  }
  const baseUrl = (options.baseUrl ?? DEFAULT_TAILSCALE_BASE_URL).replace(/\/+$/, "");
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    throw new TailscaleInputError(
      "baseUrl",
      `baseUrl must be an absolute http(s) URL such as ${DEFAULT_TAILSCALE_BASE_URL}.`,
    );
  }
  const clock = options.clock ?? systemClock;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const policy = resolveRetryOptions(options.retry);
  const redactor = createRedactor("apiKey" in auth ? [auth.apiKey] : [auth.oauthClientSecret]);
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
  const api = createApi({
    baseUrl,
    fetch: sendRequest,
    userAgent,
    authorization,
    clock,
    policy,
    redactor,
    onRetry: options.onRetry,
  });
  const context: ClientContext = {
    api,
    tailnet,
    clock,
    redactor,
    auth: "apiKey" in auth ? "apiKey" : "oauth",
  };

  return { api, tailnet, ...authKeyHelpers(context), ...deviceHelpers(context) };
}
