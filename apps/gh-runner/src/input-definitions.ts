/** How one action input is declared: the single source for action.yml, the README and the parser. */
export interface InputDefinition {
  /** The environment variable the CLI reads when the input is not set. */
  env: string;
  /** Masked in logs and never echoed in messages. */
  secret: boolean;
  required: boolean;
  /** The default, written to action.yml as well; absent when there is none. */
  default?: string;
  description: string;
}

/**
 * Every input of the action, in action.yml order. Secrets fall back to their environment variable
 * everywhere; the other inputs fall back to theirs only outside GitHub Actions.
 *
 * @example
 * ```ts
 * for (const [name, definition] of Object.entries(INPUTS)) {
 *   console.log(name, definition.env, definition.required);
 * }
 * ```
 */
export const INPUTS = {
  agent_id: {
    env: "AGENT_ID",
    secret: false,
    required: true,
    description:
      "The agent this VM is for. Written to the server's labels; the default server name starts with its first 8 characters.",
  },
  job_id: {
    env: "JOB_ID",
    secret: false,
    required: false,
    description:
      "Your job id. Written to the server's labels and sent back in the callback; a re-run with the same job id adopts the server it already created.",
  },
  region: {
    env: "REGION",
    secret: false,
    required: false,
    default: "eu-central",
    description:
      "A region (eu-central, eu-north, us-east, us-west, ap-southeast) or a Hetzner location code (nbg1, fsn1, hel1, ash, hil, sin).",
  },
  server_type: {
    env: "SERVER_TYPE",
    secret: false,
    required: false,
    description:
      "A Hetzner server type (cx23), or a comma list of type@location candidates tried in order (cx23@nbg1,cpx22@fsn1), which override region. Empty: the provisioner's default.",
  },
  image: {
    env: "IMAGE",
    secret: false,
    required: false,
    description: "The Hetzner image. Empty: a current Ubuntu LTS.",
  },
  tailscale_tags: {
    env: "TAILSCALE_TAGS",
    secret: false,
    required: true,
    description:
      "Comma list of Tailscale tags for the device (tag:ci,tag:agent); your OAuth client must own them.",
  },
  callback_url: {
    env: "CALLBACK_URL",
    secret: false,
    required: false,
    description:
      "Where to POST the signed result (success or failure). https only, except http://127.0.0.1 and http://localhost.",
  },
  ttl: {
    env: "TTL",
    secret: false,
    required: false,
    description:
      "How long the VM may live, as seconds or with a unit (90m, 2h, 1d); written as an expires-at label for the reaper.",
  },
  timeout_minutes: {
    env: "TIMEOUT_MINUTES",
    secret: false,
    required: false,
    default: "10",
    description:
      "Upper bound for the whole run in minutes, rollback included (fractions allowed: 0.5 is thirty seconds).",
  },
  hetzner_api_token: {
    env: "HETZNER_API_TOKEN",
    secret: true,
    required: true,
    description: "Hetzner Cloud API token (read & write). Environment fallback: HETZNER_API_TOKEN.",
  },
  hetzner_ssh_key_id: {
    env: "HETZNER_SSH_KEY_ID",
    secret: true,
    required: false,
    description:
      "One or a comma list of Hetzner SSH key ids or names to install for root. Environment fallback: HETZNER_SSH_KEY_ID.",
  },
  tailscale_oauth_client_id: {
    env: "TAILSCALE_OAUTH_CLIENT_ID",
    secret: true,
    required: true,
    description:
      "Tailscale OAuth client id (scopes: auth_keys, devices:core). Environment fallback: TAILSCALE_OAUTH_CLIENT_ID.",
  },
  tailscale_oauth_client_secret: {
    env: "TAILSCALE_OAUTH_CLIENT_SECRET",
    secret: true,
    required: true,
    description:
      "Tailscale OAuth client secret. Environment fallback: TAILSCALE_OAUTH_CLIENT_SECRET.",
  },
  callback_secret: {
    env: "GITHUB_CALLBACK_SECRET",
    secret: true,
    required: false,
    description:
      "Signs the callback (Standard Webhooks); required when callback_url is set. Environment fallback: GITHUB_CALLBACK_SECRET.",
  },
} as const satisfies Record<string, InputDefinition>;

/** The name of an action input. */
export type InputName = keyof typeof INPUTS;

/**
 * Environment-only settings (no action input), with what each does.
 *
 * @example
 * ```ts
 * Object.keys(ENVIRONMENT_SETTINGS); // ["HETZNER_API_URL", "TAILSCALE_API_URL", "TAILSCALE_TAILNET"]
 * ```
 */
export const ENVIRONMENT_SETTINGS = {
  HETZNER_API_URL:
    "Overrides the Hetzner Cloud API base URL (default https://api.hetzner.cloud/v1).",
  TAILSCALE_API_URL:
    "Overrides the Tailscale API base URL (default https://api.tailscale.com/api/v2).",
  TAILSCALE_TAILNET: "The tailnet (default `-`, the OAuth client's own tailnet).",
} as const;

/**
 * Every output of the action, in action.yml order.
 *
 * @example
 * ```ts
 * const names = Object.keys(OUTPUTS); // ["server_id", "server_name", ...]
 * ```
 */
export const OUTPUTS = {
  server_id: {
    description:
      "The Hetzner server id. Written as soon as the server exists, so a later if: always() step can clean up.",
  },
  server_name: { description: "The server name, also its Tailscale hostname." },
  server_ip: { description: "The server's public IPv4 address (empty when it has none)." },
  tailscale_ip: { description: "The device's tailnet IPv4 address (100.x.y.z)." },
  tailscale_hostname: { description: "The device's hostname on the tailnet." },
  location: { description: "The Hetzner location the server was placed in, e.g. nbg1." },
} as const satisfies Record<string, { description: string }>;

/** The name of an action output. */
export type OutputName = keyof typeof OUTPUTS;
