import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findExecutable } from "@tailvm/internal";
import { runProgram } from "@tailvm/internal/test";
import { describe, expect, it } from "vitest";
import { IN_CI } from "./cloud-init-tools.js";

const modules = fileURLToPath(new URL("../src/modules/", import.meta.url));
const programs = (extension: string) =>
  readdirSync(modules).filter((name) => name.endsWith(extension));
const SHELLCHECK = findExecutable("shellcheck");

describe("the programs cloud-config installs", () => {
  // The Python programs run under python3 in their own tests (boot-report-script.test.ts,
  // tailscale-keyring-script.test.ts); this list keeps the shellcheck table below from being empty.
  it("are kept as files: two Python programs and one sh program", () => {
    expect([...programs(".py"), ...programs(".sh")].sort()).toEqual([
      "boot-report.py",
      "sshd-tailnet.sh",
      "tailscale-keyring.py",
    ]);
  });

  describe.runIf(SHELLCHECK !== undefined || IN_CI)(
    `shellcheck ${SHELLCHECK === undefined && !IN_CI ? "(skipped: no shellcheck on PATH; apt-get install shellcheck)" : ""}`,
    () => {
      it.each(programs(".sh"))("passes %s as POSIX sh", async (name) => {
        const result = await runProgram(SHELLCHECK ?? "shellcheck", [
          "--shell=sh",
          join(modules, name),
        ]);
        expect(result.stdout + result.stderr).toBe("");
        expect(result.code).toBe(0);
      });
    },
  );
});
