#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { createRedactor, errorMessage, readCommandLine } from "@tailvm/internal";
import { bootCheck } from "./boot-check.js";
import { BootCheckError } from "./errors.js";
import { formatBootCheckReport } from "./format-report.js";
import { BOOT_IMAGES, type BootImage } from "./images.js";

const usage = `Usage: tailvm-boot-check --user-data FILE [--image debian-12|debian-13] [--json]

Boots FILE (user data: #cloud-config, a script or multi-part MIME) through real cloud-init in a
local QEMU VM and reports the modules that ran, failures, the files written and the tailscale up
arguments. The first run builds the image (about 80 s, cached in ~/.cache/tailvm/boot, needs root
and mmdebstrap). The VM reaches no network: Tailscale's repository is replaced by a local one with a
stub tailscale, so nothing joins a tailnet.

  --user-data FILE     the user data to boot ("-" for stdin)
  --image NAME         debian-12 (default) or debian-13
  --json               print the result as JSON (no user data or file contents)
  --keep               keep the working directory (disk copy, console log)
  --timeout SECONDS    stop the VM after this long (default 600)
  --no-stub            boot the user data unchanged (Tailscale's repository is then unreachable)

Exit status: 0 when cloud-init finished done with no failure, 1 when it did not, 2 on bad usage
or when this machine cannot boot a VM.
`;

async function main(): Promise<number> {
  const line = readCommandLine({
    name: "tailvm-boot-check",
    usage,
    options: {
      "user-data": { type: "string" },
      image: { type: "string" },
      json: { type: "boolean" },
      keep: { type: "boolean" },
      timeout: { type: "string" },
      "no-stub": { type: "boolean" },
    },
  });
  if ("exitCode" in line) return line.exitCode;
  const { values } = line;
  const file = values["user-data"];
  if (file === undefined) throw new UsageError("--user-data FILE is required.");
  const image = (values.image ?? "debian-12") as BootImage;
  if (!BOOT_IMAGES.includes(image)) {
    throw new UsageError(
      `--image must be one of ${BOOT_IMAGES.join(", ")} (got '${values.image}').`,
    );
  }
  const timeoutSeconds = values.timeout === undefined ? 600 : Number(values.timeout);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 30) {
    throw new UsageError(
      `--timeout must be a whole number of seconds >= 30 (got '${values.timeout}').`,
    );
  }
  const userData = readFileSync(file === "-" ? 0 : file, "utf8");
  const log = (message: string) => process.stderr.write(`tailvm-boot-check: ${message}\n`);
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort(new Error("interrupted")));
  process.once("SIGTERM", () => controller.abort(new Error("terminated")));
  const result = await bootCheck({
    userData,
    image,
    stubTailscale: values["no-stub"] !== true,
    keepWorkDirectories: values.keep === true,
    bootTimeoutMs: timeoutSeconds * 1000,
    signal: controller.signal,
    logger: { debug() {}, info: log, warn: log, error: log },
  });
  if (values.json) {
    // The user data and file contents stay out: they hold the auth key and other secrets.
    const { files, userData: _userData, ...rest } = result;
    const shown = { ...rest, files: files.map(({ content: _content, ...file }) => file) };
    process.stdout.write(`${JSON.stringify(createRedactor().redactValue(shown), null, 2)}\n`);
  } else {
    process.stdout.write(formatBootCheckReport(result));
  }
  return result.ok ? 0 : 1;
}

class UsageError extends Error {}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = errorMessage(error);
    process.stderr.write(`tailvm-boot-check: ${message}\n`);
    process.exitCode =
      error instanceof UsageError || (error instanceof BootCheckError && error.phase === "tools")
        ? 2
        : 1;
    if (error instanceof UsageError) process.stderr.write(`\n${usage}`);
  },
);
