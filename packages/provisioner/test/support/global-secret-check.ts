import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { findLeaks } from "./find-leaks.js";

declare module "vitest" {
  export interface ProvidedContext {
    secretSinkDirectory: string;
  }
}

interface SinkFile {
  source: string;
  secrets: string[];
  texts: string[];
}

/**
 * Every test file records what its loggers, event handlers and outputs received, and which secret
 * values existed. After the whole suite, this checks that no secret of any file appears in the output
 * of any file.
 */
export default function setup(project: TestProject) {
  const directory = mkdtempSync(join(tmpdir(), "tailvm-secret-sink-"));
  project.provide("secretSinkDirectory", directory);
  return () => {
    const files: SinkFile[] = readdirSync(directory)
      .filter((name) => name.endsWith(".json"))
      .map((name) => JSON.parse(readFileSync(join(directory, name), "utf8")) as SinkFile);
    rmSync(directory, { recursive: true, force: true });
    const secrets = new Set(files.flatMap((file) => file.secrets));
    const leaks = files.flatMap((file) =>
      findLeaks(file.texts, secrets).map((text) => `${file.source}: a secret appears in ${text}`),
    );
    if (files.length === 0) throw new Error("No test recorded its output in the secret sink.");
    if (leaks.length > 0) throw new Error(`Secrets leaked into output:\n${leaks.join("\n")}`);
  };
}
