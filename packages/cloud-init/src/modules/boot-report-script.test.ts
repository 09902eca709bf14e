import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingHttpHeaders, Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findExecutable } from "@tailvm/internal";
import { runProgram } from "@tailvm/internal/test";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { IN_CI } from "../../test/cloud-init-tools.js";
import { closeServerAndDirectory, listenOnLoopback } from "../../test/loopback-server.js";
import type { BootReport } from "./boot-report.js";
import { BOOT_REPORT_SCRIPT } from "./boot-report-script.js";

const PYTHON = findExecutable("python3");

/** A status.json as cloud-init 22.4 writes it: errors are the str() of (module, exception). */
const FAILED_STATUS = {
  v1: {
    datasource: "DataSourceNoCloud [seed=/dev/vdb][dsmode=net]",
    "init-local": { errors: [], finished: 1, start: 0 },
    init: {
      errors: [
        "('bootcmd', ProcessExecutionError(\"Unexpected error while running command.\\nExit code: 2\"))",
      ],
      finished: 3,
      start: 2,
      recoverable_errors: { WARNING: ["Failed to run bootcmd module bootcmd"] },
    },
    "modules-config": { errors: [], finished: 5, start: 4 },
    "modules-final": {
      errors: [
        "('package-update-upgrade-install', RuntimeError('Failed to install packages: tailscale'))",
        "('scripts-user', RuntimeError('Runparts: 1 failures (runcmd) in 1 attempted commands'))",
      ],
      finished: 7,
      start: 6,
    },
    stage: null,
  },
};

describe.runIf(PYTHON !== undefined || IN_CI)("the boot report program (python3)", () => {
  let directory: string;
  let server: Server;
  let url: string;
  let answers: number[] = [];
  let received: { headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    if (PYTHON === undefined) throw new Error("CI is set but python3 is missing");
    directory = mkdtempSync(join(tmpdir(), "tailvm-boot-report-"));
    const loopback = await listenOnLoopback((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
        response.writeHead(answers.shift() ?? 204).end();
      });
    });
    server = loopback.server;
    url = `${loopback.origin}/boot/run-1`;
    writeFileSync(join(directory, "instance-id"), "i-4242\n");
  });

  afterAll(() => closeServerAndDirectory(server, directory));

  beforeEach(() => {
    answers = [];
    received = [];
  });

  const report = (status: unknown, settings: Record<string, unknown> | undefined) => {
    const settingsPath = join(directory, "settings.json");
    if (settings === undefined) rmSync(settingsPath, { force: true });
    else writeFileSync(settingsPath, JSON.stringify(settings));
    writeFileSync(join(directory, "status.json"), JSON.stringify(status));
    return runProgram(
      PYTHON ?? "python3",
      [
        "-",
        settingsPath,
        `--status=${join(directory, "status.json")}`,
        `--instance-id=${join(directory, "instance-id")}`,
        "--retry-delay=0",
      ],
      BOOT_REPORT_SCRIPT,
    );
  };

  it("posts the failing module first, every error, the warnings and the token, then deletes the settings", async () => {
    const result = await report(FAILED_STATUS, { url, token: "tok-1", tries: 2 });
    expect(result.code, result.stderr).toBe(0);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.headers.authorization).toBe("Bearer tok-1");
    expect(request?.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(request?.body ?? "") as BootReport;
    expect(body).toMatchObject({
      version: 1,
      result: "error",
      instanceId: "i-4242",
      failed: { stage: "init", module: "bootcmd" },
      warnings: ["WARNING: Failed to run bootcmd module bootcmd"],
    });
    expect(body.failed?.error).toMatch(/^ProcessExecutionError\(/);
    expect(body.errors.map((error) => [error.stage, error.module])).toEqual([
      ["init", "bootcmd"],
      ["modules-final", "package-update-upgrade-install"],
      ["modules-final", "scripts-user"],
    ]);
    expect(typeof body.hostname).toBe("string");
    expect(body.uptimeSeconds).toBeGreaterThan(0);
    expect(existsSync(join(directory, "settings.json"))).toBe(false);
  });

  it("reports done with no failure for a clean boot", async () => {
    const clean = { v1: { init: { errors: [] }, "modules-final": { errors: [] } } };
    const result = await report(clean, { url, token: "tok-2" });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(received[0]?.body ?? "")).toMatchObject({
      result: "done",
      failed: null,
      errors: [],
      warnings: [],
    });
  });

  it("retries 5xx and 429, and stops at the bounded tries", async () => {
    answers = [503, 429];
    expect((await report(FAILED_STATUS, { url, token: "t", tries: 3 })).code).toBe(0);
    expect(received).toHaveLength(3);
    received = [];
    answers = [500, 500, 500];
    const result = await report(FAILED_STATUS, { url, token: "t", tries: 2 });
    expect(result.code).toBe(4);
    expect(received).toHaveLength(2);
  });

  it("does not retry a refusal, and sends nothing without settings", async () => {
    answers = [401];
    const refused = await report(FAILED_STATUS, { url, token: "wrong", tries: 5 });
    expect(refused.code).toBe(3);
    expect(received).toHaveLength(1);
    const missing = await report(FAILED_STATUS, undefined);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("ERROR: no settings");
    expect(received).toHaveLength(1);
  });
});
