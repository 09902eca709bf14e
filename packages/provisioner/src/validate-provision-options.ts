import { fragmentIssues } from "./build-cloud-config.js";
import { DEFAULTS } from "./defaults.js";
import { type InputIssue, ProvisionInputError } from "./errors.js";
import { isReservedLabelKey, labelKeyProblem, labelValueProblem } from "./labels.js";
import { describe, isPlainObject } from "./option-values.js";
import { LOCATIONS, REGIONS, resolveRegion } from "./regions.js";
import { isValidServerName } from "./server-name.js";
import {
  distributionProblem,
  TAILSCALE_DISTRIBUTIONS,
  type TailscaleDistribution,
} from "./tailscale-distribution.js";
import { MAX_TTL_SECONDS, parseTtl } from "./ttl.js";
import type { ProvisionOptions } from "./types.js";
import { validateBootReport } from "./validate-boot-report.js";
import { machineProblems } from "./validate-machine.js";
import { NETWORK_OPTIONS, validateNetworkOptions } from "./validate-network-options.js";
import { validateSshdOption } from "./validate-sshd-option.js";

const KNOWN_OPTIONS = [
  "agentId",
  "jobId",
  "name",
  "region",
  "serverType",
  "candidates",
  "machine",
  "image",
  "sshKeys",
  "labels",
  "tailscale",
  "cloudInit",
  "ttl",
  "timeouts",
  "signal",
  "bootReport",
  "sshd",
  ...NETWORK_OPTIONS,
];
const ID_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const SERVER_TYPE_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const IMAGE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const TAG_PATTERN = /^tag:[A-Za-z][A-Za-z0-9-]*$/;
const MAX_TIMEOUT_MS = 24 * 3600 * 1000;

const ID_RULE =
  "1-63 characters that start and end with a letter or digit, with only letters, digits, '-', '_' and '.' between (it is stored as a Hetzner label value)";

function regionHelp(): string {
  const regions = Object.entries(REGIONS)
    .map(([region, locations]) => `${region} (${locations.join(", ")})`)
    .join(", ");
  return `one of the regions ${regions}, or a location code: ${LOCATIONS.join(", ")}`;
}

/**
 * Checks options of {@link provisionVM} before anything is sent, and returns them typed. Every bad
 * field is reported at once, each with what is allowed.
 *
 * @throws {ProvisionInputError} listing every problem.
 * @example
 * ```ts
 * const options = validateProvisionOptions(JSON.parse(body)); // from an HTTP request
 * await provisionVM(options, context);
 * ```
 */
export function validateProvisionOptions(options: unknown): ProvisionOptions {
  const issues: InputIssue[] = [];
  const problem = (field: string, message: string) => issues.push({ field, message });

  if (!isPlainObject(options)) {
    throw new ProvisionInputError([
      {
        field: "options",
        message: `must be an object with at least agentId and tailscale.tags, got ${describe(options)}`,
      },
    ]);
  }

  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.includes(key)) {
      problem(key, `is not an option; the options are ${KNOWN_OPTIONS.join(", ")}`);
    }
  }

  const { agentId, jobId, name, region, serverType, candidates, image, sshKeys, labels } = options;

  if (agentId === undefined || agentId === "") {
    problem("agentId", `is required: ${ID_RULE}`);
  } else if (typeof agentId !== "string" || !ID_PATTERN.test(agentId)) {
    problem("agentId", `must be ${ID_RULE}; got ${describe(agentId)}`);
  }
  if (jobId !== undefined && (typeof jobId !== "string" || !ID_PATTERN.test(jobId))) {
    problem("jobId", `must be ${ID_RULE}; got ${describe(jobId)}`);
  }
  if (name !== undefined && (typeof name !== "string" || !isValidServerName(name))) {
    problem(
      "name",
      `must be one lower-case hostname label: 1-63 characters of a-z, 0-9 and '-', not starting or ending with '-'; got ${describe(name)}`,
    );
  }

  if (candidates !== undefined) {
    if (region !== undefined || serverType !== undefined) {
      problem(
        "candidates",
        "replaces region and serverType: give either candidates, or region and serverType",
      );
    }
    if (!Array.isArray(candidates) || candidates.length === 0) {
      problem(
        "candidates",
        `must be a non-empty array of { serverType, location }; got ${describe(candidates)}`,
      );
    } else {
      candidates.forEach((candidate: unknown, index) => {
        const field = `candidates[${index}]`;
        if (!isPlainObject(candidate)) {
          problem(field, `must be { serverType, location }; got ${describe(candidate)}`);
          return;
        }
        if (
          typeof candidate.serverType !== "string" ||
          !SERVER_TYPE_PATTERN.test(candidate.serverType)
        ) {
          problem(
            `${field}.serverType`,
            `must be a Hetzner server type name such as cx23 or cpx22; got ${describe(candidate.serverType)}`,
          );
        }
        if (typeof candidate.location !== "string" || !LOCATIONS.includes(candidate.location)) {
          problem(
            `${field}.location`,
            `must be a Hetzner location code: ${LOCATIONS.join(", ")}; got ${describe(candidate.location)}`,
          );
        }
      });
    }
  }
  if (region !== undefined && (typeof region !== "string" || !resolveRegion(region))) {
    problem("region", `must be ${regionHelp()}; got ${describe(region)}`);
  }
  if (
    serverType !== undefined &&
    (typeof serverType !== "string" || !SERVER_TYPE_PATTERN.test(serverType))
  ) {
    problem(
      "serverType",
      `must be a Hetzner server type name such as cx23 or cpx22; got ${describe(serverType)}`,
    );
  }
  machineProblems(options, problem);

  if (image !== undefined && (typeof image !== "string" || !IMAGE_PATTERN.test(image))) {
    problem("image", `must be a Hetzner image name such as ubuntu-24.04; got ${describe(image)}`);
  }

  if (sshKeys !== undefined) {
    if (!Array.isArray(sshKeys)) {
      problem("sshKeys", `must be an array of SSH key ids or names; got ${describe(sshKeys)}`);
    } else {
      sshKeys.forEach((key: unknown, index) => {
        const ok =
          (typeof key === "string" && key.trim() !== "") ||
          (typeof key === "number" && Number.isInteger(key) && key > 0);
        if (!ok) {
          problem(
            `sshKeys[${index}]`,
            `must be an SSH key name or a positive integer id; got ${describe(key)}`,
          );
        }
      });
    }
  }

  if (labels !== undefined) {
    if (!isPlainObject(labels)) {
      problem(
        "labels",
        `must be an object of string keys to string values; got ${describe(labels)}`,
      );
    } else {
      for (const [key, value] of Object.entries(labels)) {
        const field = `labels[${JSON.stringify(key)}]`;
        if (isReservedLabelKey(key)) {
          problem(field, "is written by tailvm itself: 'managed-by' and 'tailvm/*' are reserved");
          continue;
        }
        const keyProblem = labelKeyProblem(key);
        if (keyProblem) problem(field, `is not a valid Hetzner label key: ${keyProblem}`);
        if (typeof value !== "string") {
          problem(field, `must be a string value; got ${describe(value)}`);
        } else {
          const valueProblem = labelValueProblem(value);
          if (valueProblem) problem(field, `has an invalid value: it ${valueProblem}`);
        }
      }
    }
  }

  const tailscale = options.tailscale;
  if (!isPlainObject(tailscale)) {
    problem(
      "tailscale",
      `is required: { tags: ["tag:..."], ephemeral?, ssh?, distribution? }; got ${tailscale === undefined ? "nothing" : describe(tailscale)}`,
    );
  } else {
    for (const key of Object.keys(tailscale)) {
      if (!["tags", "ephemeral", "ssh", "distribution"].includes(key)) {
        problem(
          `tailscale.${key}`,
          "is not an option; the options are tags, ephemeral, ssh, distribution",
        );
      }
    }
    const tags = tailscale.tags;
    if (tags === undefined || (Array.isArray(tags) && tags.length === 0)) {
      problem("tailscale.tags", 'is required: at least one ACL tag such as "tag:ci"');
    } else if (!Array.isArray(tags)) {
      problem(
        "tailscale.tags",
        `must be an array of ACL tags such as ["tag:ci"]; got ${describe(tags)}`,
      );
    } else {
      tags.forEach((tag: unknown, index) => {
        if (typeof tag !== "string" || !TAG_PATTERN.test(tag)) {
          problem(
            `tailscale.tags[${index}]`,
            `must be "tag:" followed by a letter, then letters, digits or '-' (e.g. "tag:ci"); got ${describe(tag)}`,
          );
        }
      });
    }
    for (const flag of ["ephemeral", "ssh"] as const) {
      if (tailscale[flag] !== undefined && typeof tailscale[flag] !== "boolean") {
        problem(`tailscale.${flag}`, `must be true or false; got ${describe(tailscale[flag])}`);
      }
    }
  }
  const distribution = isPlainObject(tailscale) ? tailscale.distribution : undefined;
  const distributionValid =
    distribution === undefined ||
    TAILSCALE_DISTRIBUTIONS.includes(distribution as TailscaleDistribution);
  if (!distributionValid) {
    problem(
      "tailscale.distribution",
      `must be one of ${TAILSCALE_DISTRIBUTIONS.map((item) => `"${item}"`).join(", ")} (Tailscale's apt repository for the image); got ${describe(distribution)}`,
    );
  }
  if (image === undefined || (typeof image === "string" && IMAGE_PATTERN.test(image))) {
    const found = distributionProblem(
      image ?? DEFAULTS.image,
      distributionValid ? (distribution as TailscaleDistribution | undefined) : undefined,
    );
    if (found) problem(found.field, found.message);
  }

  const cloudInit = options.cloudInit;
  if (cloudInit !== undefined) {
    if (!Array.isArray(cloudInit)) {
      problem("cloudInit", `must be an array of cloud-config objects; got ${describe(cloudInit)}`);
    } else {
      cloudInit.forEach((fragment: unknown, index) => {
        if (fragment === null || typeof fragment !== "object" || Array.isArray(fragment)) {
          problem(
            `cloudInit[${index}]`,
            `must be a cloud-config object; got ${describe(fragment)}`,
          );
        }
      });
      const objects = cloudInit.map((fragment: unknown) =>
        isPlainObject(fragment) ? fragment : {},
      );
      issues.push(...fragmentIssues(objects));
    }
  }

  const ttl = options.ttl;
  if (
    ttl !== undefined &&
    ((typeof ttl !== "string" && typeof ttl !== "number") || parseTtl(ttl) === undefined)
  ) {
    problem(
      "ttl",
      `must be a duration such as "30m", "2h", "1d" or a whole number of seconds, at most ${MAX_TTL_SECONDS} s (a year); got ${describe(ttl)}`,
    );
  }

  const timeouts = options.timeouts;
  if (timeouts !== undefined) {
    if (!isPlainObject(timeouts)) {
      problem(
        "timeouts",
        `must be { total?, serverRunning?, deviceJoin? } in milliseconds; got ${describe(timeouts)}`,
      );
    } else {
      for (const [key, value] of Object.entries(timeouts)) {
        if (!["total", "serverRunning", "deviceJoin"].includes(key)) {
          problem(
            `timeouts.${key}`,
            "is not an option; the options are total, serverRunning, deviceJoin",
          );
        } else if (
          value !== undefined &&
          (typeof value !== "number" ||
            !Number.isFinite(value) ||
            value <= 0 ||
            value > MAX_TIMEOUT_MS)
        ) {
          problem(
            `timeouts.${key}`,
            `must be a positive number of milliseconds, at most ${MAX_TIMEOUT_MS} (a day); got ${describe(value)}`,
          );
        }
      }
    }
  }

  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    problem("signal", `must be an AbortSignal; got ${describe(options.signal)}`);
  }

  // Public network and firewall.
  validateNetworkOptions(options, problem);
  validateBootReport(options.bootReport, problem);
  validateSshdOption(options, problem);

  if (issues.length > 0) throw new ProvisionInputError(issues);
  return options as unknown as ProvisionOptions;
}
