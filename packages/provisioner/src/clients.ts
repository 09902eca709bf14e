import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import {
  createHetznerClient,
  type HetznerClient,
  type RetryEvent as HetznerRetryEvent,
} from "@tailvm/hetzner-client";
import {
  createTailscaleClient,
  type TailscaleAuth,
  type TailscaleClient,
  type RetryEvent as TailscaleRetryEvent,
} from "@tailvm/tailscale-client";
import type { Clock } from "./clock.js";
import { ProvisionInputError } from "./errors.js";
import type { Redactor } from "./redactor.js";

/**
 * Hetzner credentials, from which the provisioner creates (and caches) a client.
 *
 * @example
 * ```ts
 * const hetzner: HetznerCredentials = { token: process.env.HETZNER_API_TOKEN! };
 * ```
 */
export interface HetznerCredentials {
  token: string;
  baseUrl?: string;
  fetch?: typeof fetch;
}

/**
 * Tailscale credentials, from which the provisioner creates (and caches) a client.
 *
 * @example
 * ```ts
 * const tailscale: TailscaleCredentials = {
 *   auth: { oauthClientId: process.env.TS_CLIENT_ID!, oauthClientSecret: process.env.TS_CLIENT_SECRET! },
 * };
 * ```
 */
export interface TailscaleCredentials {
  auth: TailscaleAuth;
  tailnet?: string;
  baseUrl?: string;
  fetch?: typeof fetch;
}

/** A retry the clients report, routed to the run that caused it. */
export type ClientRetryEvent = (HetznerRetryEvent | TailscaleRetryEvent) & {
  api: "hetzner" | "tailscale";
};

interface RunScope {
  onRetry(event: ClientRetryEvent): void;
}

const runScope = new AsyncLocalStorage<RunScope>();

/** Runs `fn` so that retries reported through {@link routeRetryEvents} reach `scope`. */
export function withRunScope<T>(scope: RunScope, fn: () => Promise<T>): Promise<T> {
  return runScope.run(scope, fn);
}

/**
 * An `onRetry` handler for clients you create yourself: each retry becomes a `retry` event of the
 * `provisionVM` call whose request caused it (concurrent runs sharing the client each see their own).
 *
 * @example
 * ```ts
 * const hetzner = createHetznerClient({ token, onRetry: routeRetryEvents("hetzner") });
 * const tailscale = createTailscaleClient({ auth, onRetry: routeRetryEvents("tailscale") });
 * await Promise.all(jobs.map((job) => provisionVM(job, { hetzner, tailscale })));
 * ```
 */
export function routeRetryEvents(
  api: "hetzner" | "tailscale",
): (event: HetznerRetryEvent | TailscaleRetryEvent) => void {
  return (event) => runScope.getStore()?.onRetry({ ...event, api });
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;
function objectId(value: object | undefined): number {
  if (value === undefined) return 0;
  let id = objectIds.get(value);
  if (id === undefined) {
    id = nextObjectId++;
    objectIds.set(value, id);
  }
  return id;
}

function cacheKey(parts: unknown[], objects: (object | undefined)[]): string {
  const digest = createHash("sha256").update(JSON.stringify(parts)).digest("hex");
  return `${digest}:${objects.map(objectId).join(":")}`;
}

// One client per (credentials, base URL, fetch, clock): concurrent runs share one OAuth token and
// one view of Hetzner's rate limit. Keys are hashes; the cache never holds a secret in clear.
const hetznerClients = new Map<string, HetznerClient>();
const tailscaleClients = new Map<string, TailscaleClient>();
/** Oldest entries are dropped beyond this, so many short-lived fetch functions cannot grow it. */
const MAX_CACHED_CLIENTS = 64;

function remember<Client>(cache: Map<string, Client>, key: string, client: Client): void {
  cache.set(key, client);
  if (cache.size > MAX_CACHED_CLIENTS) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
}

function isHetznerClient(value: unknown): value is HetznerClient {
  return typeof (value as HetznerClient | undefined)?.createServer === "function";
}

function isTailscaleClient(value: unknown): value is TailscaleClient {
  return typeof (value as TailscaleClient | undefined)?.createAuthKey === "function";
}

/** Registers the secrets of credentials given in a context, so they are redacted from the start. */
export function registerContextSecrets(
  context: { hetzner?: unknown; tailscale?: unknown } | undefined,
  redactor: Redactor,
): void {
  const hetzner = context?.hetzner as Partial<HetznerCredentials> | undefined;
  if (typeof hetzner?.token === "string") redactor.add(hetzner.token);
  const auth = (context?.tailscale as Partial<TailscaleCredentials> | undefined)?.auth as
    | Record<string, unknown>
    | undefined;
  for (const value of [auth?.apiKey, auth?.oauthClientSecret]) {
    if (typeof value === "string") redactor.add(value);
  }
}

/** The clients a run uses, created from credentials (and cached) when not given as instances. */
export function resolveClients(
  context: {
    hetzner: HetznerClient | HetznerCredentials;
    tailscale: TailscaleClient | TailscaleCredentials;
  },
  clock: Clock,
  redactor: Redactor,
): { hetzner: HetznerClient; tailscale: TailscaleClient } {
  const issues: { field: string; message: string }[] = [];
  let hetzner: HetznerClient | undefined;
  let tailscale: TailscaleClient | undefined;

  const givenHetzner = context?.hetzner;
  if (isHetznerClient(givenHetzner)) {
    hetzner = givenHetzner;
  } else if (typeof givenHetzner?.token === "string" && givenHetzner.token.trim() !== "") {
    redactor.add(givenHetzner.token);
    const key = cacheKey(
      [givenHetzner.token, givenHetzner.baseUrl ?? null],
      [givenHetzner.fetch, clock],
    );
    hetzner = hetznerClients.get(key);
    if (!hetzner) {
      try {
        hetzner = createHetznerClient({
          token: givenHetzner.token,
          ...(givenHetzner.baseUrl === undefined ? {} : { baseUrl: givenHetzner.baseUrl }),
          ...(givenHetzner.fetch === undefined ? {} : { fetch: givenHetzner.fetch }),
          clock,
          userAgent: "tailvm-provisioner",
          onRetry: routeRetryEvents("hetzner"),
        });
        remember(hetznerClients, key, hetzner);
      } catch (error) {
        issues.push({
          field: "context.hetzner",
          message: redactor.redact(error instanceof Error ? error.message : String(error)),
        });
      }
    }
  } else {
    issues.push({
      field: "context.hetzner",
      message:
        "is required: a Hetzner client from createHetznerClient(), or { token } with a Read & Write API token",
    });
  }

  const givenTailscale = context?.tailscale;
  if (isTailscaleClient(givenTailscale)) {
    tailscale = givenTailscale;
  } else if (givenTailscale?.auth && typeof givenTailscale.auth === "object") {
    const auth = givenTailscale.auth;
    const secretPart = "apiKey" in auth ? auth.apiKey : auth.oauthClientSecret;
    redactor.add(secretPart);
    const key = cacheKey(
      [auth, givenTailscale.tailnet ?? "-", givenTailscale.baseUrl ?? null],
      [givenTailscale.fetch, clock],
    );
    tailscale = tailscaleClients.get(key);
    if (!tailscale) {
      try {
        tailscale = createTailscaleClient({
          auth,
          ...(givenTailscale.tailnet === undefined ? {} : { tailnet: givenTailscale.tailnet }),
          ...(givenTailscale.baseUrl === undefined ? {} : { baseUrl: givenTailscale.baseUrl }),
          ...(givenTailscale.fetch === undefined ? {} : { fetch: givenTailscale.fetch }),
          clock,
          userAgent: "tailvm-provisioner",
          onRetry: routeRetryEvents("tailscale"),
        });
        remember(tailscaleClients, key, tailscale);
      } catch (error) {
        issues.push({
          field: "context.tailscale",
          message: redactor.redact(error instanceof Error ? error.message : String(error)),
        });
      }
    }
  } else {
    issues.push({
      field: "context.tailscale",
      message:
        "is required: a Tailscale client from createTailscaleClient(), or { auth: { apiKey } | { oauthClientId, oauthClientSecret } }",
    });
  }

  if (issues.length > 0 || !hetzner || !tailscale) throw new ProvisionInputError(issues);
  return { hetzner, tailscale };
}
