import {
  createHetznerClient,
  type HetznerClient,
  type RetryEvent as HetznerRetryEvent,
} from "@tailvm/hetzner-client";
import { errorMessage, type Redactor } from "@tailvm/internal";
import {
  createTailscaleClient,
  type TailscaleAuth,
  type TailscaleClient,
  type RetryEvent as TailscaleRetryEvent,
} from "@tailvm/tailscale-client";
import type { Clock } from "./clock.js";
import { type InputIssue, ProvisionInputError } from "./errors.js";

/**
 * Hetzner credentials, from which `createProvisioner` creates the scope's Hetzner client.
 *
 * @example
 * ```ts
 * const hetzner: HetznerCredentials = { token: process.env.HETZNER_API_TOKEN! };
 * ```
 */
export interface HetznerCredentials {
  token: string;
  baseUrl?: string | undefined;
  fetch?: typeof fetch | undefined;
}

/**
 * Tailscale credentials, from which `createProvisioner` creates the scope's Tailscale client.
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
  tailnet?: string | undefined;
  baseUrl?: string | undefined;
  fetch?: typeof fetch | undefined;
}

/** A retry one of the scope's clients reports, with the API it talked to. */
export type ClientRetryEvent = (HetznerRetryEvent | TailscaleRetryEvent) & {
  api: "hetzner" | "tailscale";
};

const USER_AGENT = "tailvm-provisioner";

function isHetznerClient(value: unknown): value is HetznerClient {
  return typeof (value as HetznerClient | undefined)?.createServer === "function";
}

function isTailscaleClient(value: unknown): value is TailscaleClient {
  return typeof (value as TailscaleClient | undefined)?.createAuthKey === "function";
}

/** The secrets of credentials given in place of clients, so they are redacted from the start. */
export function credentialSecrets(context: { hetzner?: unknown; tailscale?: unknown }): string[] {
  const hetzner = context.hetzner as Partial<HetznerCredentials> | undefined;
  const auth = (context.tailscale as Partial<TailscaleCredentials> | undefined)?.auth as
    | Record<string, unknown>
    | undefined;
  return [hetzner?.token, auth?.apiKey, auth?.oauthClientSecret].filter(
    (value): value is string => typeof value === "string",
  );
}

/** Where a scope's client for one API comes from: an instance given, or credentials to create it. */
interface ClientSource<Client, Credentials> {
  /** The context field named in input errors. */
  field: string;
  isClient(given: unknown): given is Client;
  isCredentials(given: unknown): given is Credentials;
  create(credentials: Credentials): Client;
  /** What the field must be, for the error when it is neither. */
  required: string;
}

function optional<Key extends string, Value>(key: Key, value: Value | undefined) {
  return (value === undefined ? {} : { [key]: value }) as Partial<Record<Key, Value>>;
}

/**
 * The clients of one scope: the instances given, or new ones created from the credentials (with
 * the scope's clock, and `onRetry` reporting to the scope).
 *
 * @throws {ProvisionInputError} naming `context.hetzner` and `context.tailscale` when unusable.
 */
export function createScopeClients(
  context: {
    hetzner: HetznerClient | HetznerCredentials;
    tailscale: TailscaleClient | TailscaleCredentials;
  },
  tools: { clock: Clock; redactor: Redactor; onRetry: (event: ClientRetryEvent) => void },
): { hetzner: HetznerClient; tailscale: TailscaleClient } {
  const issues: InputIssue[] = [];
  const attempt = <Client>(field: string, create: () => Client): Client | undefined => {
    try {
      return create();
    } catch (error) {
      issues.push({ field, message: tools.redactor.redact(errorMessage(error)) });
      return undefined;
    }
  };
  const sharedOptions = (
    api: ClientRetryEvent["api"],
    given: { baseUrl?: string | undefined; fetch?: typeof fetch | undefined },
  ) => ({
    ...optional("baseUrl", given.baseUrl),
    ...optional("fetch", given.fetch),
    clock: tools.clock,
    userAgent: USER_AGENT,
    onRetry: (event: HetznerRetryEvent | TailscaleRetryEvent) => tools.onRetry({ ...event, api }),
  });

  /** The client given, or one created from the credentials given; an issue when neither is usable. */
  const resolve = <Client, Credentials>(
    given: Client | Credentials | undefined,
    source: ClientSource<Client, Credentials>,
  ): Client | undefined => {
    if (source.isClient(given)) return given;
    if (source.isCredentials(given)) return attempt(source.field, () => source.create(given));
    issues.push({ field: source.field, message: `is required: ${source.required}` });
    return undefined;
  };

  const hetzner = resolve<HetznerClient, HetznerCredentials>(context?.hetzner, {
    field: "context.hetzner",
    isClient: isHetznerClient,
    isCredentials: (given): given is HetznerCredentials => {
      const token = (given as Partial<HetznerCredentials> | undefined)?.token;
      return typeof token === "string" && token.trim() !== "";
    },
    create: (given) =>
      createHetznerClient({ token: given.token, ...sharedOptions("hetzner", given) }),
    required:
      "a Hetzner client from createHetznerClient(), or { token } with a Read & Write API token",
  });
  const tailscale = resolve<TailscaleClient, TailscaleCredentials>(context?.tailscale, {
    field: "context.tailscale",
    isClient: isTailscaleClient,
    isCredentials: (given): given is TailscaleCredentials => {
      const auth = (given as Partial<TailscaleCredentials> | undefined)?.auth;
      return Boolean(auth) && typeof auth === "object";
    },
    create: (given) =>
      createTailscaleClient({
        auth: given.auth,
        ...optional("tailnet", given.tailnet),
        ...sharedOptions("tailscale", given),
      }),
    required:
      "a Tailscale client from createTailscaleClient(), or { auth: { apiKey } | { oauthClientId, oauthClientSecret } }",
  });

  if (issues.length > 0 || !hetzner || !tailscale) throw new ProvisionInputError(issues);
  return { hetzner, tailscale };
}
