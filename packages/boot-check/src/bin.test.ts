import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../bin/tailvm-boot-check.js", import.meta.url));

function runBin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

describe("tailvm-boot-check", () => {
  it("prints its usage", async () => {
    const { code, stdout } = await runBin(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: tailvm-boot-check --user-data FILE/);
  });

  it.each([
    [[], "--user-data FILE is required."],
    [
      ["--user-data", "x", "--image", "ubuntu-24.04"],
      "--image must be one of debian-12, debian-13",
    ],
    [["--user-data", "x", "--timeout", "5"], "--timeout must be a whole number of seconds >= 30"],
  ])("refuses bad usage %j with exit 2 before booting anything", async (args, message) => {
    const { code, stderr } = await runBin(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
