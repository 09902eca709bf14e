/** Which credentials the client sends, so a hint can name the one that was refused. */
export type AuthKind = "apiKey" | "oauth";

const HINTS: Record<string, (auth: AuthKind, method: string) => string> = {
  http_401: (auth) =>
    auth === "oauth"
      ? "The Tailscale OAuth client's access token was refused even after fetching a new one: check that the OAuth client given to createTailscaleClient({ auth: { oauthClientId, oauthClientSecret } }) still exists and has not been revoked (admin console > Settings > Trust credentials)."
      : "The Tailscale API key was refused: check auth.apiKey given to createTailscaleClient (an API access token starting with tskey-api-, from the admin console under Settings > Keys); it may be mistyped, expired or revoked.",
  http_403: (auth) =>
    auth === "oauth"
      ? "The OAuth client lacks permission: check its scopes (auth_keys to mint keys, devices:core to list and delete devices) and that the tags you ask for are owned by the client's tags in the policy file's tagOwners."
      : "The API access token's owner lacks permission for this; use an admin's token or an OAuth client with the needed scopes.",
  http_404: () => 'Check the tailnet name ("-" means the credentials\' own tailnet) and the id.',
  http_429: () => "Tailscale is rate limiting these requests; slow down and retry later.",
};

const POST_SERVER_ERROR_HINT =
  "Tailscale may have applied the request anyway, so the auth key may already exist: list the tailnet's keys (GET /tailnet/-/keys) and look for its description before creating another.";

/** The next step for an API error, chosen by its code (`http_<status>` for the plain API). */
export function hintFor(code: string, status: number, method: string, auth: AuthKind): string {
  const hint = HINTS[code];
  if (hint) return hint(auth, method);
  if (status >= 500 && method === "POST") return POST_SERVER_ERROR_HINT;
  if (status >= 500) return "This is a problem on Tailscale's side; retry later.";
  return "Fix the request and send it again.";
}

/** The next step after the OAuth token endpoint refused, by its OAuth error code. */
export function tokenHintFor(
  code: string | undefined,
  context: { clientId: string; scopes?: readonly string[] | undefined },
): string {
  const scopes =
    context.scopes && context.scopes.length > 0
      ? `the requested scopes (${context.scopes.join(" ")})`
      : "its scopes";
  if (code === "invalid_scope") {
    return `Check that ${scopes} match what the OAuth client "${context.clientId}" was granted in the admin console (Settings > Trust credentials), or leave auth.scopes out to get all of them.`;
  }
  return (
    `The Tailscale OAuth client was refused: check that auth.oauthClientId ("${context.clientId}") and ` +
    "auth.oauthClientSecret given to createTailscaleClient are correct and not revoked, and that " +
    `${scopes} match what the OAuth client was granted in the admin console (Settings > Trust credentials).`
  );
}
