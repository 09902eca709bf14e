import { createRedactor, type RateLimitState, systemClock } from "@tailvm/internal";
import { catalogHelpers } from "./catalog";
import type { ClientContext } from "./client-context";
import type { HetznerClient, HetznerClientOptions } from "./client-types";
import { createApi } from "./create-api";
import { HetznerInputError } from "./errors";
import { firewallHelpers } from "./firewalls";
import { networkHelpers } from "./networks";
import { paginateList } from "./paginate";
import { resolveRetryOptions } from "./retry-options";
import { serverHelpers } from "./servers";
import { createUnwrap } from "./unwrap";
import { waitForActions } from "./wait-for-action";

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

/**
 * Creates a Hetzner Cloud client. Options are checked at once: a bad one throws
 * `HetznerInputError` naming it, before any request.
 *
 * @example
 * ```ts
 * import { createHetznerClient } from "@tailvm/hetzner-client";
 *
 * const hetzner = createHetznerClient({ token: process.env.HCLOUD_TOKEN ?? "" });
 * const { server, action, nextActions } = await hetzner.createServer({
 *   name: "runner-1",
 *   server_type: "cpx22",
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
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    throw new HetznerInputError("baseUrl", "expected an absolute http(s) URL");
  }
  const clock = options.clock ?? systemClock;
  const redactor = createRedactor([options.token]);
  let rateLimit: RateLimitState | undefined;

  const api = createApi({
    baseUrl,
    token: options.token,
    userAgent: options.userAgent,
    fetch: options.fetch,
    clock,
    policy: resolveRetryOptions(options.retry),
    redactor,
    onRetry: options.onRetry,
    onRateLimit: (state) => {
      rateLimit = state;
    },
  });
  const unwrap = createUnwrap(baseUrl, redactor);
  const context: ClientContext = { api, clock, unwrap };

  return {
    api,
    get rateLimit() {
      return rateLimit;
    },
    unwrap,
    ...serverHelpers(context),
    ...catalogHelpers(context),
    ...firewallHelpers(context),
    ...networkHelpers(context),
    waitForAction: (ids, waitOptions) => waitForActions(context, ids, waitOptions),
    paginate: (path, init) => paginateList(context, path, init),
  };
}
