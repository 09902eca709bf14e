import { fileURLToPath } from "node:url";
import { runProgram } from "@tailvm/internal/test";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../bin/tailvm-boot-check.js", import.meta.url));

const runBin = (args: string[]) => runProgram(process.execPath, [BIN, ...args]);

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
    [["--user-data", "x", "--bogus"], "tailvm-boot-check: Unknown option '--bogus'"],
    [["--user-data"], "tailvm-boot-check: Option '--user-data <value>' argument missing"],
  ])("refuses bad usage %j with exit 2 before booting anything", async (args, message) => {
    const { code, stderr } = await runBin(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain("\nUsage: tailvm-boot-check --user-data FILE");
  });
});
