import type { ProvisionContext, Provisioner } from "@tailvm/provisioner";
import { createProvisioner, jsonLogger } from "@tailvm/provisioner";

/** A required environment variable is missing; the message names it, never a value. */
export class ConfigurationError extends Error {
  override name = "ConfigurationError";
  readonly missing: string[];

  constructor(missing: string[]) {
    super(
      `The server is missing the environment variable${missing.length === 1 ? "" : "s"} ${missing.join(", ")}; set ${missing.length === 1 ? "it" : "them"} and restart.`,
    );
    this.missing = missing;
  }
}

function required(names: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const value = process.env[name]?.trim();
    if (value) values[name] = value;
    else missing.push(name);
  }
  if (missing.length > 0) throw new ConfigurationError(missing);
  return values;
}

function optional(name: string): string | undefined {
  return process.env[name]?.trim() || undefined;
}

/**
 * The provisioner's context from the environment. Read on first use rather than at import, so that
 * `next build` (which imports every route) needs no credentials.
 */
export function provisioningContext(): ProvisionContext {
  const values = required([
    "HETZNER_API_TOKEN",
    "TAILSCALE_OAUTH_CLIENT_ID",
    "TAILSCALE_OAUTH_CLIENT_SECRET",
  ]);
  const hetznerUrl = optional("HETZNER_API_URL");
  const tailscaleUrl = optional("TAILSCALE_API_URL");
  const tailnet = optional("TAILSCALE_TAILNET");
  return {
    hetzner: {
      token: values.HETZNER_API_TOKEN ?? "",
      ...(hetznerUrl ? { baseUrl: hetznerUrl } : {}),
    },
    tailscale: {
      auth: {
        oauthClientId: values.TAILSCALE_OAUTH_CLIENT_ID ?? "",
        oauthClientSecret: values.TAILSCALE_OAUTH_CLIENT_SECRET ?? "",
      },
      ...(tailscaleUrl ? { baseUrl: tailscaleUrl } : {}),
      ...(tailnet ? { tailnet } : {}),
    },
    logger: jsonLogger(),
  };
}

let provisioner: Provisioner | undefined;

/**
 * The app's one provisioner, created by the first request that needs it: concurrent requests share
 * its clients, so one OAuth token and one view of Hetzner's rate limit.
 */
export function sharedProvisioner(): Provisioner {
  provisioner ??= createProvisioner(provisioningContext());
  return provisioner;
}

/** The tags every VM this app provisions joins the tailnet with: the server decides, not the caller. */
export function tailscaleTags(): string[] {
  return (optional("TAILVM_TAILSCALE_TAGS") ?? "tag:agent")
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "");
}

/** The secret callbacks are signed with (`whsec_...` or any string). */
export function webhookSecret(): string {
  return required(["TAILVM_WEBHOOK_SECRET"]).TAILVM_WEBHOOK_SECRET ?? "";
}
