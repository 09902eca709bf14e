import * as core from "@actions/core";
import {
  createRedactor,
  LOCATIONS,
  ProvisionInputError,
  type ProvisionOptions,
  plan,
  REGIONS,
  webhookOutput,
} from "@tailvm/provisioner";
import { GhRunnerInputError, type InputIssue } from "./errors.js";
import { INPUTS, type InputName } from "./input-definitions.js";

/** The raw, trimmed inputs; `undefined` when neither the input nor its environment variable is set. */
export type RawInputs = Record<InputName, string | undefined>;

/** Where inputs come from; both default to the real process. */
export interface InputSources {
  /** Reads an action input the way the runner passes it (`INPUT_<NAME>`). Default: `core.getInput`. */
  getInput?: (name: string) => string;
  /** The environment for fallbacks and environment-only settings. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Reads every input: the action input first, then its environment variable. Secrets fall back to
 * their environment variable everywhere; other inputs only outside GitHub Actions
 * (`GITHUB_ACTIONS` is not `true`), where the CLI reads them from the environment.
 *
 * @example
 * ```ts
 * const raw = readInputs();
 * raw.agent_id; // "agent-42" from INPUT_AGENT_ID, or AGENT_ID when run as a CLI
 * ```
 */
export function readInputs(sources: InputSources = {}): RawInputs {
  const env = sources.env ?? process.env;
  const getInput = sources.getInput ?? ((name: string) => core.getInput(name));
  const insideActions = env.GITHUB_ACTIONS === "true";
  const raw = {} as RawInputs;
  for (const [name, definition] of Object.entries(INPUTS) as [
    InputName,
    (typeof INPUTS)[InputName],
  ][]) {
    const fromInput = getInput(name).trim();
    const fromEnv = insideActions && !definition.secret ? "" : (env[definition.env] ?? "").trim();
    const value = fromInput !== "" ? fromInput : fromEnv;
    raw[name] = value === "" ? undefined : value;
  }
  return raw;
}

/**
 * The secret values among the raw inputs (to mask before anything is logged).
 *
 * @example
 * ```ts
 * for (const value of secretValues(readInputs())) core.setSecret(value);
 * ```
 */
export function secretValues(raw: RawInputs): string[] {
  const values: string[] = [];
  for (const [name, definition] of Object.entries(INPUTS) as [
    InputName,
    (typeof INPUTS)[InputName],
  ][]) {
    const value = raw[name];
    if (definition.secret && value !== undefined) values.push(value);
  }
  return values;
}

/** Everything a run needs, parsed and validated. */
export interface RunnerConfig {
  /** Options for `provisionVM`, with the server `name` fixed (everything but `signal`). */
  provision: ProvisionOptions;
  hetzner: { token: string; baseUrl?: string };
  tailscale: {
    auth: { oauthClientId: string; oauthClientSecret: string };
    tailnet: string;
    baseUrl?: string;
  };
  callback: { url: string; secret: string } | undefined;
  /** The whole run's budget, rollback included. */
  timeoutMs: number;
  /** Every credential value, for masking and for the redaction checks. */
  secrets: string[];
}

const LABEL_VALUE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const TAG = /^tag:[A-Za-z][A-Za-z0-9-]*$/;
const SERVER_TYPE = /^[a-z][a-z0-9-]*$/;
const TTL = /^[1-9][0-9]*[smhd]?$/;
const DECIMAL = /^(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)$/;
const MAX_TIMEOUT_MINUTES = 360;
const DEFAULT_TAILNET = "-";

/**
 * Parses and validates raw inputs and environment-only settings, collecting every problem, then runs
 * the provisioner's own validation (its dry run, `plan`) over the result and fixes the server name. Throws one {@link GhRunnerInputError} naming
 * every bad input; sends nothing anywhere.
 *
 * @example
 * ```ts
 * const config = parseInputs(readInputs());
 * await provisionVM({ ...config.provision, signal }, context);
 * ```
 */
export function parseInputs(raw: RawInputs, env: NodeJS.ProcessEnv = process.env): RunnerConfig {
  const issues: InputIssue[] = [];
  const problem = (input: string, message: string) => issues.push({ input, message });
  const required = (name: InputName): string | undefined => {
    const value = raw[name];
    if (value === undefined) problem(name, "is required.");
    return value;
  };

  const agentId = required("agent_id");
  if (agentId !== undefined && !LABEL_VALUE.test(agentId)) {
    problem(
      "agent_id",
      `${quote(agentId)} is not allowed: use 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit.`,
    );
  }
  const jobId = raw.job_id;
  if (jobId !== undefined && !LABEL_VALUE.test(jobId)) {
    problem(
      "job_id",
      `${quote(jobId)} is not allowed: use 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit.`,
    );
  }

  const regions = Object.keys(REGIONS);
  const locations = [...LOCATIONS];
  const region = raw.region;
  if (region !== undefined && !regions.includes(region) && !locations.includes(region)) {
    problem(
      "region",
      `${quote(region)} is not a known region: use one of ${regions.join(", ")} or a location code (${locations.join(", ")}).`,
    );
  }

  const placement = parseServerType(raw.server_type, locations, problem);

  const tagsText = required("tailscale_tags");
  const tags: string[] = [];
  if (tagsText !== undefined) {
    for (const tag of splitList(tagsText)) {
      if (TAG.test(tag)) tags.push(tag);
      else {
        problem(
          "tailscale_tags",
          `${quote(tag)} is not a tag: write tag:<name> (a letter, then letters, digits or '-'), comma-separated.`,
        );
      }
    }
    if (tags.length === 0 && !issues.some((issue) => issue.input === "tailscale_tags")) {
      problem("tailscale_tags", "needs at least one tag, e.g. tag:ci.");
    }
  }

  let callbackUrl: string | undefined;
  if (raw.callback_url !== undefined) {
    callbackUrl = parseCallbackUrl(raw.callback_url, problem);
    if (raw.callback_secret === undefined) {
      problem(
        "callback_secret",
        "is required when callback_url is set: set the input callback_secret or the environment variable GITHUB_CALLBACK_SECRET.",
      );
    } else if (callbackUrl !== undefined) {
      // The webhook output checks the secret's form (a whsec_ secret must be base64).
      try {
        webhookOutput({ url: callbackUrl, secret: raw.callback_secret });
      } catch (error) {
        if (!(error instanceof ProvisionInputError)) throw error;
        for (const issue of error.issues) {
          problem(issue.field === "secret" ? "callback_secret" : "callback_url", issue.message);
        }
      }
    }
  }

  let ttl: string | number | undefined;
  if (raw.ttl !== undefined) {
    if (TTL.test(raw.ttl)) ttl = /^[0-9]+$/.test(raw.ttl) ? Number(raw.ttl) : raw.ttl;
    else
      problem(
        "ttl",
        `${quote(raw.ttl)} is not a duration: use whole seconds (3600) or a number with s, m, h or d (90m, 2h, 1d).`,
      );
  }

  const timeoutText = raw.timeout_minutes ?? INPUTS.timeout_minutes.default;
  let timeoutMs = Number(INPUTS.timeout_minutes.default) * 60_000;
  const minutes = Number(timeoutText);
  if (!DECIMAL.test(timeoutText) || !(minutes > 0) || minutes > MAX_TIMEOUT_MINUTES) {
    problem(
      "timeout_minutes",
      `${quote(timeoutText)} is not allowed: use a positive number of minutes up to ${MAX_TIMEOUT_MINUTES}; fractions are allowed (0.5 is thirty seconds).`,
    );
  } else {
    timeoutMs = Math.round(minutes * 60_000);
  }

  const sshKeys = parseSshKeys(raw.hetzner_ssh_key_id, problem);
  const credentials = parseCredentialsInto(raw, env, problem);

  const provision: ProvisionOptions = {
    agentId: agentId ?? "",
    tailscale: { tags },
    timeouts: { total: timeoutMs },
  };
  if (jobId !== undefined) provision.jobId = jobId;
  // type@location candidates name their locations, so the region (which has a default) only
  // applies to a single server type.
  if (placement.candidates === undefined) provision.region = region ?? INPUTS.region.default;
  if (placement.serverType !== undefined) provision.serverType = placement.serverType;
  if (placement.candidates !== undefined) provision.candidates = placement.candidates;
  if (raw.image !== undefined) provision.image = raw.image;
  if (sshKeys.length > 0) provision.sshKeys = sshKeys;
  if (ttl !== undefined) provision.ttl = ttl;

  // The provisioner's validation runs too, so that whatever it rejects is reported here, together
  // with everything found above, before any request.
  const reported = new Set(issues.map((issue) => issue.input));
  const planned = planIssues(provision);
  for (const issue of planned.issues) {
    if (!reported.has(issue.input)) issues.push(issue);
  }

  if (issues.length > 0) {
    // Messages quote bad values; a secret input's value must never be among them.
    const redactor = createRedactor(secretValues(raw));
    throw new GhRunnerInputError(
      issues.map((issue) => ({ input: issue.input, message: redactor.redact(issue.message) })),
    );
  }

  return {
    // The name is fixed now, before any request, so the post step can find the server by it.
    provision: { ...provision, name: planned.name ?? "" },
    hetzner: credentials.hetzner,
    tailscale: credentials.tailscale,
    callback:
      callbackUrl !== undefined && raw.callback_secret !== undefined
        ? { url: callbackUrl, secret: raw.callback_secret }
        : undefined,
    timeoutMs,
    secrets: secretValues(raw),
  };
}

/** The API credentials and endpoints, which is all the post step needs. */
export interface Credentials {
  hetzner: RunnerConfig["hetzner"];
  tailscale: RunnerConfig["tailscale"];
}

/**
 * Parses only the credentials and API endpoints (for the post step, which must clean up even when
 * other inputs were bad). Throws a {@link GhRunnerInputError} naming every missing one.
 *
 * @example
 * ```ts
 * const { hetzner, tailscale } = parseCredentials(readInputs());
 * await deprovisionVM({ serverId }, { hetzner, tailscale });
 * ```
 */
export function parseCredentials(
  raw: RawInputs,
  env: NodeJS.ProcessEnv = process.env,
): Credentials {
  const issues: InputIssue[] = [];
  const credentials = parseCredentialsInto(raw, env, (input, message) =>
    issues.push({ input, message }),
  );
  if (issues.length > 0) throw new GhRunnerInputError(issues);
  return credentials;
}

type Problem = (input: string, message: string) => void;

function splitList(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function quote(value: string): string {
  const shown = value.length > 64 ? `${value.slice(0, 61)}...` : value;
  return JSON.stringify(shown);
}

function parseServerType(
  text: string | undefined,
  locations: string[],
  problem: Problem,
): { serverType?: string; candidates?: { serverType: string; location: string }[] } {
  if (text === undefined) return {};
  if (!text.includes(",") && !text.includes("@")) {
    if (SERVER_TYPE.test(text)) return { serverType: text };
    problem(
      "server_type",
      `${quote(text)} is not a server type: use a Hetzner type such as cx23, or type@location candidates such as cx23@nbg1,cpx22@fsn1.`,
    );
    return {};
  }
  const candidates: { serverType: string; location: string }[] = [];
  const items = text.split(",").map((item) => item.trim());
  for (const item of items) {
    const [serverType = "", location = "", ...rest] = item.split("@");
    if (!SERVER_TYPE.test(serverType) || rest.length > 0 || !locations.includes(location)) {
      problem(
        "server_type",
        `${quote(item)} is not a type@location candidate: write e.g. cx23@nbg1, with a location among ${locations.join(", ")}.`,
      );
    } else {
      candidates.push({ serverType, location });
    }
  }
  return { candidates };
}

function parseCallbackUrl(text: string, problem: Problem): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
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
      `uses ${url.protocol.replace(/:$/, "")}://${url.hostname}: only https:// is allowed, except http://127.0.0.1 and http://localhost for tests.`,
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
  return url.href;
}

function parseCredentialsInto(
  raw: RawInputs,
  env: NodeJS.ProcessEnv,
  problem: Problem,
): Credentials {
  const secret = (
    name: "hetzner_api_token" | "tailscale_oauth_client_id" | "tailscale_oauth_client_secret",
  ) => {
    const value = raw[name];
    if (value === undefined) {
      problem(
        name,
        `is required: set the input ${name} or the environment variable ${INPUTS[name].env}.`,
      );
    }
    return value ?? "";
  };
  const token = secret("hetzner_api_token");
  const oauthClientId = secret("tailscale_oauth_client_id");
  const oauthClientSecret = secret("tailscale_oauth_client_secret");
  const hetznerBaseUrl = parseBaseUrl(env, "HETZNER_API_URL", problem);
  const tailscaleBaseUrl = parseBaseUrl(env, "TAILSCALE_API_URL", problem);
  const hetzner: Credentials["hetzner"] = { token };
  if (hetznerBaseUrl !== undefined) hetzner.baseUrl = hetznerBaseUrl;
  const tailscale: Credentials["tailscale"] = {
    auth: { oauthClientId, oauthClientSecret },
    tailnet: (env.TAILSCALE_TAILNET ?? "").trim() || DEFAULT_TAILNET,
  };
  if (tailscaleBaseUrl !== undefined) tailscale.baseUrl = tailscaleBaseUrl;
  return { hetzner, tailscale };
}

function parseSshKeys(text: string | undefined, problem: Problem): (string | number)[] {
  if (text === undefined) return [];
  const keys: (string | number)[] = [];
  const items = text.split(",").map((item) => item.trim());
  items.forEach((item, index) => {
    if (item === "") {
      problem(
        "hetzner_ssh_key_id",
        `entry ${index + 1} is empty: give one or a comma list of SSH key ids or names.`,
      );
    } else if (/^[0-9]+$/.test(item)) {
      const id = Number(item);
      if (Number.isSafeInteger(id) && id > 0) keys.push(id);
      else problem("hetzner_ssh_key_id", `entry ${index + 1} is not a valid SSH key id.`);
    } else if (item.length > 128 || /\p{Cc}/u.test(item)) {
      problem(
        "hetzner_ssh_key_id",
        `entry ${index + 1} is not a valid SSH key name: use at most 128 printable characters.`,
      );
    } else {
      keys.push(item);
    }
  });
  return keys;
}

function parseBaseUrl(
  env: NodeJS.ProcessEnv,
  name: "HETZNER_API_URL" | "TAILSCALE_API_URL",
  problem: Problem,
): string | undefined {
  const text = (env[name] ?? "").trim();
  if (text === "") return undefined;
  try {
    const url = new URL(text);
    if (url.protocol === "https:" || url.protocol === "http:") return text.replace(/\/+$/, "");
  } catch {
    // reported below
  }
  problem(name, "is not an http(s) URL: give the API base URL, e.g. https://api.hetzner.cloud/v1.");
  return undefined;
}

const FIELD_TO_INPUT: [prefix: string, input: InputName][] = [
  ["agentId", "agent_id"],
  ["name", "agent_id"],
  ["jobId", "job_id"],
  ["region", "region"],
  ["serverType", "server_type"],
  ["candidates", "server_type"],
  ["image", "image"],
  ["sshKeys", "hetzner_ssh_key_id"],
  ["tailscale", "tailscale_tags"],
  ["ttl", "ttl"],
  ["timeouts", "timeout_minutes"],
];

/** Runs the provisioner's dry run (`plan`: validation, placement, cloud-config) over the options. */
function planIssues(options: ProvisionOptions): { name?: string; issues: InputIssue[] } {
  try {
    return { name: plan(options).name, issues: [] };
  } catch (error) {
    if (!(error instanceof ProvisionInputError)) throw error;
    const issues = error.issues.map((issue) => {
      const match = FIELD_TO_INPUT.find(
        ([prefix]) =>
          issue.field === prefix ||
          issue.field.startsWith(`${prefix}.`) ||
          issue.field.startsWith(`${prefix}[`),
      );
      return { input: match?.[1] ?? issue.field, message: issue.message };
    });
    return { issues };
  }
}
