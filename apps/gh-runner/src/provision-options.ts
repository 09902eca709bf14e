import { readFileSync } from "node:fs";
import { ProvisionInputError, type ProvisionOptions, plan } from "@tailvm/provisioner";
import { parseAllDocuments } from "yaml";
import type { InputIssue } from "./errors.js";
import { parseMachine } from "./machine-setting.js";
import type { RawSettings } from "./read-settings.js";
import { SETTINGS, type SettingName, settingEntries } from "./settings.js";

type Issues = InputIssue[];

/** What the provisioner is asked to create, with the server name fixed by its dry run. */
export interface PlannedOptions {
  options: ProvisionOptions & { name: string };
  plan: ReturnType<typeof plan>;
}

/**
 * Turns settings into `provisionVM` options in one pass over the settings table (each setting's
 * `option` says where its value goes), then lets the provisioner's own dry run (`plan`: every
 * option, the cloud-config fragments, the server name) judge them. Its problems come back named by
 * setting through the same table. Returns undefined when anything was wrong (see `issues`).
 *
 * @example
 * ```ts
 * const issues: InputIssue[] = [];
 * const planned = provisionOptions(readSettings("provision", sources), issues);
 * if (planned) await provisionVM(planned.options, context);
 * ```
 */
export function provisionOptions(raw: RawSettings, issues: Issues): PlannedOptions | undefined {
  const options: Record<string, unknown> = { tailscale: {} };
  const before = issues.length;
  const problem = (input: SettingName, message: string) => issues.push({ input, message });
  for (const [name, setting] of settingEntries()) {
    const text = raw[name];
    const target = setting.option?.[0];
    if (text === undefined || target === undefined || !setting.modes.includes("provision")) {
      continue;
    }
    const value = settingValue(name, text, problem);
    if (value !== undefined) setAt(options, target, value);
  }
  const candidates = serverTypeCandidates(raw.server_type, problem);
  if (candidates !== undefined) {
    delete options.serverType;
    delete options.region;
    options.candidates = candidates;
  }
  // The provisioner judges what could be read, also when something could not: every problem is
  // reported at once, each setting once.
  const unreadable = new Set(issues.slice(before).map((issue) => issue.input));
  try {
    const dryRun = plan(options as unknown as ProvisionOptions);
    if (unreadable.size > 0) return undefined;
    return {
      options: { ...(options as unknown as ProvisionOptions), name: dryRun.name },
      plan: dryRun,
    };
  } catch (error) {
    const mapped = settingIssues(error);
    if (mapped === undefined) throw error;
    issues.push(...mapped.filter((issue) => !unreadable.has(issue.input)));
    return undefined;
  }
}

/**
 * The problems of a `ProvisionInputError` (from any provisioner call) named by setting; undefined
 * for any other error.
 *
 * @example
 * ```ts
 * settingIssues(new ProvisionInputError([{ field: "tailscale.tags[0]", message: "..." }]));
 * // [{ input: "tailscale_tags", message: "tailscale.tags[0] ..." }]
 * ```
 */
export function settingIssues(error: unknown): InputIssue[] | undefined {
  if (!(error instanceof ProvisionInputError)) return undefined;
  return error.issues.map((issue) => {
    const input = settingOfField(issue.field);
    const detail =
      input !== undefined && isWholeOption(input, issue.field) ? "" : `${issue.field} `;
    const end = /[.!?]$/.test(issue.message) ? "" : ".";
    return { input: input ?? issue.field, message: `${detail}${issue.message}${end}` };
  });
}

function settingOfField(field: string): SettingName | undefined {
  let best: { name: SettingName; length: number } | undefined;
  for (const [name, setting] of settingEntries()) {
    for (const option of setting.option ?? []) {
      const matches =
        field === option || new RegExp(`^${escapeRegExp(option)}(?![A-Za-z0-9_])`).test(field);
      if (matches && option.length > (best?.length ?? -1)) best = { name, length: option.length };
    }
  }
  return best?.name;
}

function isWholeOption(name: SettingName, field: string): boolean {
  return ((SETTINGS[name] as { option?: readonly string[] }).option ?? []).includes(field);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1) ?? path] = value;
}

/** A comma or newline separated list, without empty items. */
export function splitList(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/**
 * `true` or `false` (any case); undefined after reporting anything else.
 *
 * @example
 * ```ts
 * parseBoolean("dry_run", "TRUE", problem); // true
 * ```
 */
export function parseBoolean(
  name: SettingName,
  text: string,
  problem: (input: SettingName, message: string) => void,
): boolean | undefined {
  const lower = text.toLowerCase();
  if (lower === "true" || lower === "false") return lower === "true";
  problem(name, `${JSON.stringify(text)} is not allowed: use true or false.`);
  return undefined;
}

/**
 * Minutes (fractions allowed) as milliseconds; undefined after reporting a bad value.
 *
 * @example
 * ```ts
 * parseMinutes("0.5", problem); // 30000
 * ```
 */
export function parseMinutes(
  text: string,
  problem: (input: SettingName, message: string) => void,
): number | undefined {
  const minutes = Number(text);
  if (/^(?:\d+(?:\.\d+)?|\.\d+)$/.test(text) && minutes > 0 && minutes <= 1440) {
    return Math.round(minutes * 60_000);
  }
  problem(
    "timeout_minutes",
    `${JSON.stringify(text)} is not allowed: use a positive number of minutes up to 1440; fractions are allowed (0.5 is thirty seconds).`,
  );
  return undefined;
}

function settingValue(
  name: SettingName,
  text: string,
  problem: (input: SettingName, message: string) => void,
): unknown {
  switch (name) {
    case "tailscale_tags":
      return splitList(text);
    case "hetzner_ssh_key_id":
    case "firewalls":
    case "networks":
      return splitList(text).map((item) => (/^\d+$/.test(item) ? Number(item) : item));
    case "labels":
      return parseLabels(text, problem);
    case "tailscale_ssh":
    case "ephemeral":
    case "public_ssh":
    case "ipv4":
    case "ipv6":
      return parseBoolean(name, text, problem);
    case "cloud_init":
      return parseCloudInit(text, problem);
    case "machine":
      return parseMachine(text, problem);
    case "ttl":
      return /^\d+$/.test(text) ? Number(text) : text;
    case "timeout_minutes":
      // Its problems are reported once, by the run's own deadline (run-config.ts).
      return parseMinutes(text, () => undefined);
    default:
      return text;
  }
}

function serverTypeCandidates(
  text: string | undefined,
  problem: (input: SettingName, message: string) => void,
): { serverType: string; location: string }[] | undefined {
  if (text === undefined || (!text.includes(",") && !text.includes("@"))) return undefined;
  return splitList(text).flatMap((item) => {
    const [serverType, location, ...rest] = item.split("@");
    if (serverType && location && rest.length === 0) return [{ serverType, location }];
    problem(
      "server_type",
      `${JSON.stringify(item)} is not a type@location candidate: write e.g. cx23@nbg1,cpx22@fsn1.`,
    );
    return [];
  });
}

function parseLabels(
  text: string,
  problem: (input: SettingName, message: string) => void,
): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of splitList(text)) {
    const equals = item.indexOf("=");
    if (equals <= 0) {
      problem("labels", `${JSON.stringify(item)} is not key=value.`);
      continue;
    }
    labels[item.slice(0, equals).trim()] = item.slice(equals + 1).trim();
  }
  return labels;
}

function parseCloudInit(
  text: string,
  problem: (input: SettingName, message: string) => void,
): unknown[] | undefined {
  let source = text;
  if (text.startsWith("@")) {
    try {
      source = readFileSync(text.slice(1), "utf8");
    } catch (error) {
      problem("cloud_init", `cannot read ${text.slice(1)}: ${(error as Error).message}`);
      return undefined;
    }
  }
  const fragments: unknown[] = [];
  for (const document of parseAllDocuments(source)) {
    if (!("errors" in document) || document.errors.length > 0) {
      const first = "errors" in document ? document.errors[0]?.message : "unreadable YAML";
      problem("cloud_init", `is not valid YAML: ${first}`);
      return undefined;
    }
    const value = document.toJS();
    if (value !== null && value !== undefined) fragments.push(value);
  }
  return fragments;
}
