import { describe, expect, it } from "vitest";
import { readCommandLine } from "./command-line.js";

const usage = "Usage: tool [--port N] [--json]\n";
const spec = {
  name: "tool",
  usage,
  options: { port: { type: "string" }, json: { type: "boolean" } },
} as const;

function read(args: string[]) {
  const written = { stdout: "", stderr: "" };
  const line = readCommandLine(spec, {
    args,
    stdout: (text) => {
      written.stdout += text;
    },
    stderr: (text) => {
      written.stderr += text;
    },
  });
  return { line, ...written };
}

describe("readCommandLine", () => {
  it("returns the flags' values, without help", () => {
    const { line, stdout, stderr } = read(["--port", "8080", "--json"]);
    expect(line).toEqual({ values: { port: "8080", json: true } });
    expect([stdout, stderr]).toEqual(["", ""]);
  });

  it.each([["--help"], ["-h"]])("prints the usage to stdout for %s and exits 0", (flag) => {
    const { line, stdout, stderr } = read(["--port", "1", flag]);
    expect(line).toEqual({ exitCode: 0 });
    expect([stdout, stderr]).toEqual([usage, ""]);
  });

  it.each([
    [["--bogus"], "tool: Unknown option '--bogus'"],
    [["--port"], "tool: Option '--port <value>' argument missing"],
    [["extra"], "tool: Unexpected argument 'extra'"],
  ])("refuses %j naming what was wrong, with the usage, exit 2", (args, message) => {
    const { line, stdout, stderr } = read(args);
    expect(line).toEqual({ exitCode: 2 });
    expect(stdout).toBe("");
    expect(stderr.startsWith(message)).toBe(true);
    expect(stderr.endsWith(`\n\n${usage}`)).toBe(true);
  });
});
