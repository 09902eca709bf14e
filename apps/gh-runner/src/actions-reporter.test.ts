import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseFileCommands } from "../test/file-commands.js";
import { createActionsReporter } from "./actions-reporter.js";
import { createOutputWriter } from "./output-writer.js";
import type { Reporter } from "./reporter.js";

let directory: string;
let outputFile: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "gh-runner-output-"));
  outputFile = join(directory, "output");
  writeFileSync(outputFile, "");
  vi.stubEnv("GITHUB_OUTPUT", outputFile);
});

afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(directory, { recursive: true, force: true });
});

describe("createActionsReporter().setOutput", () => {
  it("keeps a value holding newlines as one output: it cannot add another", () => {
    const hostile = "agent-1\nserver_ip=6.6.6.6\ntailscale_ip<<EOF\n1.2.3.4\nEOF";
    const reporter = createActionsReporter();
    reporter.setOutput("server_name", hostile);
    reporter.setOutput("location", "nbg1");

    const text = readFileSync(outputFile, "utf8");
    // Written as a heredoc with a random delimiter that the value does not contain.
    expect(text).toMatch(/^server_name<<ghadelimiter_[0-9a-f-]{36}\n/);
    expect(parseFileCommands(text)).toEqual({ server_name: hostile, location: "nbg1" });
  });

  it("uses a fresh delimiter for every value", () => {
    const reporter = createActionsReporter();
    reporter.setOutput("a", "1");
    reporter.setOutput("b", "2");
    const delimiters = readFileSync(outputFile, "utf8").match(/ghadelimiter_[0-9a-f-]{36}/g);
    expect(new Set(delimiters).size).toBe(2);
  });
});

describe("createOutputWriter", () => {
  it("writes each value once, and empty text for missing values", () => {
    const written: [string, string][] = [];
    const reporter = {
      setOutput: (name: string, value: string) => written.push([name, value]),
    } as unknown as Reporter;
    const outputs = createOutputWriter(reporter);
    outputs.write("server_id", 42);
    outputs.write("server_id", "42");
    outputs.write("server_ip", null);
    outputs.write("server_id", 43);
    expect(written).toEqual([
      ["server_id", "42"],
      ["server_ip", ""],
      ["server_id", "43"],
    ]);
    expect(outputs.values).toEqual({ server_id: "43", server_ip: "" });
  });
});
