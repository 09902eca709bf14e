/** What to do next, by Hetzner error code (https://docs.hetzner.cloud/#errors). */
const HINTS: Record<string, string> = {
  unauthorized:
    "The Hetzner API token was refused: check the token given to createHetznerClient({ token }) " +
    "(often read from HCLOUD_TOKEN). It must be a valid, unrevoked token of the intended project " +
    "(Hetzner Console > Security > API tokens).",
  forbidden:
    "The Hetzner API token may not do this: it may be read-only. Give createHetznerClient({ token }) " +
    "a Read & Write token (Hetzner Console > Security > API tokens).",
  not_found: "Check the id or name; the resource may already have been deleted.",
  uniqueness_error:
    "A resource with this name already exists; pick another name or reuse the existing resource.",
  resource_unavailable:
    "This server type is not available in the chosen location right now; try another location or server type.",
  resource_limit_exceeded:
    "The project reached a resource limit; delete unused resources or ask Hetzner to raise the limit.",
  invalid_input: "Fix the fields listed in `details` and send the request again.",
  json_error: "The request body is not valid JSON for this endpoint.",
  rate_limit_exceeded: "Too many requests; wait until the rate limit resets, then try again.",
  conflict: "The resource changed during the request; try again.",
  locked: "Another action is running on this resource; wait for it to finish and try again.",
  placement_error: "No host could be found for this server; try another location or server type.",
  protected: "The resource is protected; disable its protection first.",
  resource_in_use:
    "The resource is still in use (for example a firewall applied to a server); detach it first.",
  deprecated_api_endpoint: "Hetzner removed this endpoint; update the client.",
  maintenance: "Hetzner Cloud is in maintenance; try again later.",
  unavailable: "The service is temporarily unavailable; try again later.",
  timeout: "The request timed out at Hetzner; try again.",
};

/** Hints for answers without a Hetzner error body, by status. */
const STATUS_CODES: Record<number, string> = {
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  429: "rate_limit_exceeded",
};

const POST_SERVER_ERROR_HINT =
  "Hetzner may have applied the request anyway, so the resource may already exist: look for it " +
  "(for example list servers by name or label selector) before sending the request again.";

/** The next step for an API error, chosen by its code (or its status when it has no code). */
export function hintFor(code: string, status: number, method: string): string {
  if (status >= 500 && method === "POST") return POST_SERVER_ERROR_HINT;
  const hint = HINTS[code] ?? HINTS[STATUS_CODES[status] ?? ""];
  if (hint !== undefined) return hint;
  return status >= 500 ? "Try again later." : "";
}
