import { TailscaleInputError } from "./errors.js";
import {
  createOAuthAccessTokenSource,
  type OAuthAccessTokenOptions,
} from "./oauth-access-token.js";
import type { TailscaleAuth } from "./types.js";

/** Supplies the `Authorization` header and says whether a 401 is worth one more try. */
export interface Authorization {
  headerValue(signal?: AbortSignal): Promise<string>;
  /** Called after a 401 with the header that was rejected; true when a fresh credential may help. */
  rejected(headerValue: string): boolean;
}

/** {@link TailscaleAuth} after its checks. */
export type ValidatedAuth =
  | { apiKey: string }
  | { oauthClientId: string; oauthClientSecret: string; scopes: string[] | undefined };

/** Checks the `auth` option, naming the field at fault. */
export function validateAuth(auth: TailscaleAuth | undefined): ValidatedAuth {
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

/** The `Authorization` header source: a fixed API key, or OAuth tokens refreshed after a 401. */
export function createAuthorization(
  auth: ValidatedAuth,
  context: Omit<OAuthAccessTokenOptions, "clientId" | "clientSecret" | "scopes">,
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
