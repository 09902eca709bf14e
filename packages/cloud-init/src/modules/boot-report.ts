import { type CloudConfigIssue, CloudConfigValidationError } from "../errors.js";
import { isSecret, type Secret, secret } from "../secret.js";
import type { CloudConfig } from "../types.js";
import { BOOT_REPORT_SCRIPT } from "./boot-report-script.js";

/**
 * Where `bootReport()` writes its settings (URL, token, tries): root-only, deleted by the report
 * program once it has run.
 *
 * @example
 * ```ts
 * bootReport({ url, token }).write_files?.[0]?.path; // BOOT_REPORT_SETTINGS_PATH
 * ```
 */
export const BOOT_REPORT_SETTINGS_PATH = "/run/tailvm/boot-report.json";

/**
 * A cloud-init stage, as /run/cloud-init/status.json names them.
 *
 * @example
 * ```ts
 * const stage: BootReportStage = "modules-final"; // runcmd, scripts and packages run here
 * ```
 */
export type BootReportStage = "init-local" | "init" | "modules-config" | "modules-final";

/**
 * One error cloud-init recorded, with the module it names (`null` when it names none, such as a
 * missing datasource).
 *
 * @example
 * ```ts
 * const failure: BootReportFailure = { stage: "init", module: "bootcmd", error: "ProcessExecutionError(...)" };
 * ```
 */
export interface BootReportFailure {
  stage: BootReportStage;
  module: string | null;
  /** cloud-init's text of the exception, cut to 2000 characters. */
  error: string;
}

/**
 * The JSON body a VM POSTs to the {@link bootReport} URL once cloud-init has finished
 * (`Content-Type: application/json`, `Authorization: Bearer <token>`,
 * `User-Agent: tailvm-boot-report/1`). A report without `Authorization` means the settings file
 * was written without a token; treat it as unauthenticated.
 *
 * @example
 * ```json
 * {
 *   "version": 1,
 *   "result": "error",
 *   "instanceId": "i-123",
 *   "hostname": "ci-runner-1",
 *   "cloudInitVersion": "22.4.2",
 *   "uptimeSeconds": 93.2,
 *   "failed": { "stage": "init", "module": "bootcmd", "error": "ProcessExecutionError(...)" },
 *   "errors": [{ "stage": "init", "module": "bootcmd", "error": "ProcessExecutionError(...)" }],
 *   "warnings": []
 * }
 * ```
 */
export interface BootReport {
  /** The format version; a change that breaks readers gets a new one. */
  version: 1;
  /** `error` when cloud-init recorded any error in any stage, else `done`. */
  result: "done" | "error";
  /** The instance id cloud-init used (on Hetzner, the server id), or null. */
  instanceId: string | null;
  hostname: string;
  /** cloud-init's version, e.g. "22.4.2", or null when it could not be read. */
  cloudInitVersion: string | null;
  /** Seconds since the machine booted. */
  uptimeSeconds: number;
  /** The first error in stage order (usually the cause of the rest), or null. */
  failed: BootReportFailure | null;
  /** Every error, in stage order. */
  errors: BootReportFailure[];
  /** Warnings and deprecations cloud-init 23.4 and later record ("WARNING: ..."), else empty. */
  warnings: string[];
}

/**
 * Options for {@link bootReport}.
 *
 * @example
 * ```ts
 * const options: BootReportOptions = { url: "https://ci.example.com/boot/run-42", token: secret(runToken) };
 * ```
 */
export interface BootReportOptions {
  /** Where the VM POSTs the report: an absolute http(s) URL. */
  url: string | Secret;
  /**
   * A token made for this one run, sent as `Authorization: Bearer <token>`: the user data stays
   * readable on the machine, so never a long-lived secret. Printable ASCII, no spaces; wrapped in
   * `secret()` if it is a plain string.
   */
  token: string | Secret;
  /** How many times the VM tries to deliver (network errors, 408, 429, 5xx); default 5. */
  tries?: number;
}

const DELIMITER = "TAILVM_BOOT_REPORT";
const PROGRAM_PATH = "/usr/local/lib/tailvm/boot-report.py";
const TOKEN = /^[\x21-\x7e]{1,4096}$/;

/**
 * A fragment that makes the VM report how its boot went as soon as cloud-init has finished:
 * `done`, or the failing module and its error (a {@link BootReport}), so a caller learns of a
 * broken boot in about a minute and a half instead of at its join deadline.
 *
 * - `write_files` puts the URL, token and tries in {@link BOOT_REPORT_SETTINGS_PATH} (0600,
 *   root:root). Merge this fragment first: `write_files` stops at the first entry it cannot
 *   write, and without its settings the VM sends nothing.
 * - `bootcmd` writes the report program and, once per instance (`cloud-init-per instance`),
 *   queues a transient unit ordered after `cloud-final.service` (`systemd-run --no-block`), so
 *   the report also comes when an earlier stage failed. It reads /run/cloud-init/status.json,
 *   POSTs the report with retries, logs `tailvm: boot report: ...` to the journal and deletes the
 *   settings file.
 *
 * @example
 * ```ts
 * import { bootReport, mergeCloudConfig, secret, tailscale } from "@tailvm/cloud-init";
 * const config = mergeCloudConfig(
 *   bootReport({ url: `https://ci.example.com/boot/${runId}`, token: secret(runToken) }),
 *   tailscale({ authKey, hostname: "ci-runner-1", distribution: "debian" }),
 * );
 * // On the receiver: check the bearer token, then read the body as a BootReport.
 * ```
 */
export function bootReport(options: BootReportOptions): CloudConfig {
  const url = isSecret(options.url) ? options.url.reveal() : options.url;
  const token = isSecret(options.token) ? options.token.reveal() : options.token;
  const tries = options.tries ?? 5;
  const issues: CloudConfigIssue[] = [];
  // The URL and token may carry secrets, so neither is echoed.
  if (typeof url !== "string" || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    issues.push({ path: "url", message: "must be an absolute http:// or https:// URL" });
  }
  if (typeof token !== "string" || !TOKEN.test(token)) {
    issues.push({
      path: "token",
      message: "must be 1 to 4096 printable ASCII characters without spaces (a per-run token)",
    });
  }
  if (!Number.isSafeInteger(tries) || tries < 1 || tries > 20) {
    issues.push({ path: "tries", message: `must be a whole number from 1 to 20 (got ${tries})` });
  }
  if (issues.length > 0)
    throw new CloudConfigValidationError(issues, { subject: "bootReport() options" });

  const settings = JSON.stringify({ url, token, tries });
  return {
    write_files: [
      {
        path: BOOT_REPORT_SETTINGS_PATH,
        content: secret(`${settings}\n`),
        owner: "root:root",
        permissions: "0600",
        defer: false,
      },
    ],
    bootcmd: [
      `mkdir -p /usr/local/lib/tailvm && cat > ${PROGRAM_PATH} <<'${DELIMITER}'\n${BOOT_REPORT_SCRIPT}${DELIMITER}\n`,
      [
        "cloud-init-per",
        "instance",
        "tailvm-boot-report",
        "systemd-run",
        "--no-block",
        "--unit=tailvm-boot-report",
        "--description=tailvm boot report",
        "--property=After=cloud-final.service",
        "--service-type=oneshot",
        "/usr/bin/python3",
        PROGRAM_PATH,
        BOOT_REPORT_SETTINGS_PATH,
      ],
    ],
  };
}
