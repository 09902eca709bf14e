import { createRedactor } from "@tailvm/internal";
import {
  type DeprovisionTarget,
  type HetznerCredentials,
  ProvisionInputError,
  type TailscaleCredentials,
  webhookOutput,
} from "@tailvm/provisioner";
import { GhRunnerInputError, type InputIssue } from "./errors.js";
import {
  type PlannedOptions,
  parseBoolean,
  parseMinutes,
  provisionOptions,
  splitList,
} from "./provision-options.js";
import { type RawSettings, secretValues } from "./read-settings.js";
import { type Mode, SETTINGS, type SettingName } from "./settings.js";

/** Where and as whom the run talks to Hetzner and Tailscale. */
export interface Connection {
  hetzner: HetznerCredentials;
  tailscale: TailscaleCredentials;
}

/** Where the signed result goes. */
export interface CallbackTarget {
  url: string;
  secret: string;
}

/**
 * Everything a run of one mode needs, parsed and checked; nothing has been sent when it exists.
 *
 * @example
 * ```ts
 * const config = parseRunConfig("deprovision", raw);
 * if (config.mode === "deprovision") console.log(config.target);
 * ```
 */
export type RunConfig =
  | ({ mode: "provision"; connection: Connection; callback?: CallbackTarget } & Timed &
      PlannedOptions)
  | ({ mode: "plan" } & Timed & PlannedOptions)
  | ({
      mode: "deprovision";
      connection: Connection;
      target: DeprovisionTarget;
      callback?: CallbackTarget;
    } & Timed)
  | ({ mode: "reap"; connection: Connection; tags: string[]; dryRun: boolean } & Timed);

interface Timed {
  /** The whole run's budget, rollback included. */
  timeoutMs: number;
}

type Problem = (input: SettingName, message: string) => void;

/**
 * Checks every setting `mode` reads and builds its run, collecting every problem into one
 * {@link GhRunnerInputError} (each naming its setting, no secret quoted) before any request.
 *
 * @example
 * ```ts
 * const config = parseRunConfig("provision", readSettings("provision", sources));
 * ```
 */
export function parseRunConfig(mode: Mode, raw: RawSettings): RunConfig {
  const issues: InputIssue[] = [];
  const problem: Problem = (input, message) => issues.push({ input, message });
  const timeoutMs = parseMinutes(raw.timeout_minutes ?? SETTINGS.timeout_minutes.default, problem);
  const connection = mode === "plan" ? undefined : parseConnection(raw, problem);
  const callback =
    mode === "provision" || mode === "deprovision" ? parseCallback(raw, problem) : undefined;

  let config: RunConfig | undefined;
  if (mode === "provision" || mode === "plan") {
    const planned = provisionOptions(raw, issues);
    if (planned && connection && mode === "provision") {
      config = { mode, connection, ...planned, timeoutMs: timeoutMs ?? 0 };
      if (callback) config.callback = callback;
    } else if (planned && mode === "plan") {
      config = { mode, ...planned, timeoutMs: timeoutMs ?? 0 };
    }
  } else if (mode === "deprovision") {
    const target = parseTarget(raw, problem);
    if (target && connection) {
      config = { mode, connection, target, timeoutMs: timeoutMs ?? 0 };
      if (callback) config.callback = callback;
    }
  } else {
    const dryRun = parseBoolean("dry_run", raw.dry_run ?? "false", problem);
    // reap() checks the tags itself, before any request.
    const tags = splitList(raw.tailscale_tags ?? "");
    if (connection && dryRun !== undefined) {
      config = { mode, connection, tags, dryRun, timeoutMs: timeoutMs ?? 0 };
    }
  }

  if (issues.length > 0 || config === undefined || timeoutMs === undefined) {
    // Messages may quote a bad value; a secret's value must never be among them.
    const redactor = createRedactor(secretValues(mode, raw));
    throw new GhRunnerInputError(
      issues.map((issue) => ({ input: issue.input, message: redactor.redact(issue.message) })),
    );
  }
  return config;
}

/**
 * Only the credentials and API endpoints (for the post step, which must clean up even when other
 * settings were bad). Throws a {@link GhRunnerInputError} naming every missing one.
 *
 * @example
 * ```ts
 * const connection = parseConnectionSettings(readSettings("deprovision", sources));
 * await deprovisionVM({ serverId }, connection);
 * ```
 */
export function parseConnectionSettings(raw: RawSettings): Connection {
  const issues: InputIssue[] = [];
  const connection = parseConnection(raw, (input, message) => issues.push({ input, message }));
  if (issues.length > 0) throw new GhRunnerInputError(issues);
  return connection;
}

function parseConnection(raw: RawSettings, problem: Problem): Connection {
  const required = (name: SettingName): string => {
    const value = raw[name];
    if (value === undefined) problem(name, "is required.");
    return value ?? "";
  };
  const token = required("hetzner_api_token");
  const oauthClientId = required("tailscale_oauth_client_id");
  const oauthClientSecret = required("tailscale_oauth_client_secret");
  const hetzner: HetznerCredentials = { token };
  const hetznerUrl = parseBaseUrl("hetzner_api_url", raw.hetzner_api_url, problem);
  if (hetznerUrl) hetzner.baseUrl = hetznerUrl;
  const tailscale: TailscaleCredentials = {
    auth: { oauthClientId, oauthClientSecret },
    tailnet: raw.tailscale_tailnet ?? SETTINGS.tailscale_tailnet.default,
  };
  const tailscaleUrl = parseBaseUrl("tailscale_api_url", raw.tailscale_api_url, problem);
  if (tailscaleUrl) tailscale.baseUrl = tailscaleUrl;
  return { hetzner, tailscale };
}

function parseBaseUrl(
  name: SettingName,
  text: string | undefined,
  problem: Problem,
): string | undefined {
  if (text === undefined) return undefined;
  if (URL.canParse(text) && /^https?:$/.test(new URL(text).protocol)) {
    return text.replace(/\/+$/, "");
  }
  problem(name, "is not an http(s) URL: give the API base URL, e.g. https://api.hetzner.cloud/v1.");
  return undefined;
}

function parseCallback(raw: RawSettings, problem: Problem): CallbackTarget | undefined {
  const text = raw.callback_url;
  if (text === undefined) return undefined;
  const secret = raw.callback_secret;
  if (secret === undefined) problem("callback_secret", "is required when callback_url is set.");
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url === undefined) {
    problem(
      "callback_url",
      "is not a URL: use an absolute https:// URL (http:// only for 127.0.0.1 or localhost).",
    );
    return undefined;
  }
  const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    problem(
      "callback_url",
      `uses ${url.protocol}//${url.hostname}: only https:// is allowed, except http://127.0.0.1 and http://localhost for tests.`,
    );
    return undefined;
  }
  if (url.username !== "" || url.password !== "") {
    problem(
      "callback_url",
      "must not carry credentials (user:password@): the callback is authenticated by its signature (callback_secret).",
    );
    return undefined;
  }
  if (secret === undefined) return undefined;
  try {
    // The webhook output checks the secret's form (a whsec_ secret must be base64).
    webhookOutput({ url: url.href, secret });
  } catch (error) {
    if (!(error instanceof ProvisionInputError)) throw error;
    for (const issue of error.issues) {
      problem(issue.field === "secret" ? "callback_secret" : "callback_url", `${issue.message}.`);
    }
    return undefined;
  }
  return { url: url.href, secret };
}

function parseTarget(raw: RawSettings, problem: Problem): DeprovisionTarget | undefined {
  const { job_id: jobId, server_id: idText, server_name: name } = raw;
  let serverId: number | undefined;
  if (idText !== undefined) {
    serverId = Number(idText);
    if (!/^\d+$/.test(idText) || !Number.isSafeInteger(serverId) || serverId <= 0) {
      problem("server_id", `${JSON.stringify(idText)} is not a server id: use a positive integer.`);
      return undefined;
    }
  }
  if (jobId !== undefined && (serverId !== undefined || name !== undefined)) {
    problem(
      "job_id",
      "finds the VM by itself: give job_id alone, or server_id and/or server_name without it.",
    );
    return undefined;
  }
  if (jobId !== undefined) return { jobId };
  if (serverId !== undefined) return name === undefined ? { serverId } : { serverId, name };
  if (name !== undefined) return { name };
  problem(
    "job_id",
    "deprovision needs the VM to delete: give the job id, or the server id (with the server name), or the server name.",
  );
  return undefined;
}
