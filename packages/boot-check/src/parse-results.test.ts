import { describe, expect, it } from "vitest";
import {
  failedUnitsFrom,
  failuresFromStatus,
  installedVersionFrom,
  modulesFromLog,
  parseCollectorResult,
  statusFrom,
  tailscaleCallsFrom,
} from "./parse-results.js";

const module = (name: string) =>
  `<module 'cloudinit.config.cc_${name.replaceAll("-", "_")}' from '/usr/lib/python3/dist-packages/cloudinit/config/cc_${name}.py'>`;
const LOG = [
  "2026-12-01 09:43:17,058 - util.py[DEBUG]: Cloud-init v. 22.4.2 running 'init-local' at Tue, 01 Dec 2026 09:43:16 +0000. Up 86.93 seconds.",
  "2026-12-01 09:44:01,100 - util.py[DEBUG]: Cloud-init v. 22.4.2 running 'init' at Tue, 01 Dec 2026 09:44:00 +0000. Up 130.1 seconds.",
  `2026-12-01 09:44:02,000 - modules.py[DEBUG]: Running module bootcmd (${module("bootcmd")}) with frequency always`,
  "2026-12-01 09:44:03,000 - util.py[WARNING]: Failed to run bootcmd module bootcmd",
  `2026-12-01 09:44:03,001 - util.py[WARNING]: Running module bootcmd (${module("bootcmd")}) failed`,
  `2026-12-01 09:44:03,100 - modules.py[DEBUG]: Running module write-files (${module("write_files")}) with frequency once-per-instance`,
  "2026-12-01 09:44:30,000 - util.py[DEBUG]: Cloud-init v. 22.4.2 running 'modules:config' at Tue, 01 Dec 2026 09:44:30 +0000. Up 160 seconds.",
  `2026-12-01 09:44:31,000 - modules.py[DEBUG]: Running module apt-configure (${module("apt_configure")}) with frequency once-per-instance`,
  "2026-12-01 09:45:00,000 - util.py[DEBUG]: Cloud-init v. 22.4.2 running 'modules:final' at Tue, 01 Dec 2026 09:45:00 +0000. Up 190 seconds.",
  `2026-12-01 09:45:01,000 - modules.py[DEBUG]: Running module scripts-user (${module("scripts_user")}) with frequency once-per-instance`,
].join("\n");

describe("reading a boot's results", () => {
  it("lists the modules in order with their stage, marking the failed ones", () => {
    expect(modulesFromLog(LOG)).toEqual([
      { stage: "init", name: "bootcmd", failed: true },
      { stage: "init", name: "write-files", failed: false },
      { stage: "modules-config", name: "apt-configure", failed: false },
      { stage: "modules-final", name: "scripts-user", failed: false },
    ]);
    expect(modulesFromLog("")).toEqual([]);
  });

  it("splits status.json errors into module and error, in stage order", () => {
    const status = {
      v1: {
        "modules-final": {
          errors: [
            "('scripts-user', RuntimeError('Runparts: 1 failures (runcmd) in 1 attempted commands'))",
          ],
        },
        init: { errors: ["('bootcmd', ProcessExecutionError(\"exit 2\\nsecond line\"))"] },
        "init-local": { errors: ["Can not apply stage init-local, no datasource found!"] },
      },
    };
    expect(failuresFromStatus(status)).toEqual([
      {
        stage: "init-local",
        module: null,
        error: "Can not apply stage init-local, no datasource found!",
      },
      { stage: "init", module: "bootcmd", error: 'ProcessExecutionError("exit 2\\nsecond line")' },
      {
        stage: "modules-final",
        module: "scripts-user",
        error: "RuntimeError('Runparts: 1 failures (runcmd) in 1 attempted commands')",
      },
    ]);
    expect(failuresFromStatus(null)).toEqual([]);
    expect(failuresFromStatus({ v1: null })).toEqual([]);
  });

  it("reads the collector's verdict, failed units and the installed package", () => {
    const collected = parseCollectorResult(
      JSON.stringify({
        status: {
          code: 1,
          stdout: "\nstatus: error\ntime: Tue, 01 Dec 2026\ndetail:\n",
          stderr: "",
        },
        failedUnits: {
          code: 0,
          stdout: "cloud-init.service loaded failed failed Initial cloud-init job\n\n",
          stderr: "",
        },
        tailscale: {
          package: { code: 0, stdout: "install ok installed|1.99.0~boot-check", stderr: "" },
        },
      }),
    );
    expect(statusFrom(collected)).toBe("error");
    expect(failedUnitsFrom(collected)).toEqual(["cloud-init.service"]);
    expect(installedVersionFrom(collected)).toBe("1.99.0~boot-check");
    expect(statusFrom(undefined)).toBe("unknown");
    expect(parseCollectorResult("{not json")).toBeUndefined();
    expect(installedVersionFrom(undefined)).toBeNull();
  });

  it("reads the stub's calls and skips broken lines", () => {
    const authKeyFile = {
      path: "/run/k",
      exists: true,
      mode: "0600",
      owner: "root:root",
      sha256: "ab",
    };
    const lines = [
      JSON.stringify({
        argv: ["up", "--auth-key=file:/run/k"],
        uptimeSeconds: 90.5,
        time: 1,
        authKeyFile,
      }),
      "{broken",
      JSON.stringify({ argv: ["version"], uptimeSeconds: 91 }),
      "",
    ].join("\n");
    expect(tailscaleCallsFrom(lines)).toEqual([
      {
        argv: ["up", "--auth-key=file:/run/k"],
        uptimeSeconds: 90.5,
        authKeyFile,
      },
      { argv: ["version"], uptimeSeconds: 91 },
    ]);
    expect(tailscaleCallsFrom(undefined)).toEqual([]);
  });
});
