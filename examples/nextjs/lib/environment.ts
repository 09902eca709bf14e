import type { ProvisionContext } from "@tailvm/provisioner";
import { jsonLogger, parseTtl } from "@tailvm/provisioner";
import type { DatabaseOptions } from "./database/open-database.ts";
import type { JobMode } from "./database/schema.ts";

/** The server's environment is missing or has a bad setting; the message names it, never a value. */
export class ConfigurationError extends Error {
  override name = "ConfigurationError";
}

function required(names: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const value = process.env[name]?.trim();
    if (value) values[name] = value;
    else missing.push(name);
  }
  if (missing.length > 0) {
    throw new ConfigurationError(
      `The server is missing the environment variable${missing.length === 1 ? "" : "s"} ${missing.join(", ")}; set ${missing.length === 1 ? "it" : "them"} and restart.`,
    );
  }
  return values;
}

function optional(name: string): string | undefined {
  return process.env[name]?.trim() || undefined;
}

/** The app's logger: one JSON object per line on stdout, redacted by the provisioner. */
export const logger = jsonLogger();

/**
 * The provisioner's context from the environment. Read when needed rather than at import, so that
 * `next build` (which imports every route) needs no credentials. Each provisioner call made with
 * this context creates its own clients (and fetches its own OAuth token).
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
    logger,
  };
}

/** Hetzner's API for price look-ups, when a token is configured. */
export function hetznerApi(): { token: string; baseUrl: string } | undefined {
  const token = optional("HETZNER_API_TOKEN");
  if (!token) return undefined;
  return {
    token,
    baseUrl: (optional("HETZNER_API_URL") ?? "https://api.hetzner.cloud/v1").replace(/\/+$/, ""),
  };
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

/** PostgreSQL when `DATABASE_URL` is set, else PGlite in `TAILVM_DATA_DIR` (default `.data`). */
export function databaseOptions(): DatabaseOptions {
  return { url: optional("DATABASE_URL"), dataDirectory: optional("TAILVM_DATA_DIR") ?? ".data" };
}

/** `TAILVM_PROVISION_MODE`: `local` (default) provisions in this process, `dispatch` through GitHub. */
export function provisionMode(): JobMode {
  const mode = optional("TAILVM_PROVISION_MODE") ?? "local";
  if (mode !== "local" && mode !== "dispatch") {
    throw new ConfigurationError(
      "TAILVM_PROVISION_MODE must be local (provision in this process) or dispatch (run the GitHub workflow).",
    );
  }
  return mode;
}

/**
 * `TAILVM_RESUME_WITHIN`: a job a stopped server left `provisioning` that is younger than this is
 * resumed on start-up, an older one rolled back; `0` rolls back every one. Default `10m`.
 */
export function resumeWithinSeconds(): number {
  const value = optional("TAILVM_RESUME_WITHIN") ?? "10m";
  const seconds = /^0+[smhd]?$/i.test(value) ? 0 : parseTtl(value);
  if (seconds === undefined) {
    throw new ConfigurationError(
      'TAILVM_RESUME_WITHIN must be seconds or a number with s, m, h or d ("10m"); 0 rolls back every job left provisioning.',
    );
  }
  return seconds;
}

/** What dispatch mode needs: the workflow to run and where its callback reaches this app. */
export interface DispatchSettings {
  token: string;
  baseUrl: string;
  owner: string;
  repo: string;
  workflow: string;
  ref: string;
  callbackUrl: string;
}

/** The dispatch mode's settings; throws naming each one that is missing or malformed. */
export function dispatchSettings(): DispatchSettings {
  const values = required(["GITHUB_TOKEN", "TAILVM_GITHUB_REPOSITORY", "TAILVM_CALLBACK_URL"]);
  const [owner, repo, ...rest] = (values.TAILVM_GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo || rest.length > 0) {
    throw new ConfigurationError("TAILVM_GITHUB_REPOSITORY must be owner/name (acme/infra).");
  }
  return {
    token: values.GITHUB_TOKEN ?? "",
    // Octokit joins paths onto baseUrl as they are: a trailing slash would give //repos/...
    baseUrl: (optional("GITHUB_API_URL") ?? "https://api.github.com").replace(/\/+$/, ""),
    owner,
    repo,
    workflow: optional("TAILVM_WORKFLOW") ?? "provision-agent.yml",
    ref: optional("TAILVM_WORKFLOW_REF") ?? "main",
    callbackUrl: values.TAILVM_CALLBACK_URL ?? "",
  };
}
