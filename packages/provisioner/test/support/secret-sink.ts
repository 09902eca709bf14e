import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, inject } from "vitest";
import { consoleLogger } from "../../src/console-logger.js";
import { functionOutput } from "../../src/function-output.js";
import { jsonFileOutput } from "../../src/json-file-output.js";
import { jsonLogger } from "../../src/json-logger.js";
import type { Logger } from "../../src/logger.js";
import type { Output } from "../../src/output.js";
import type { ProvisionEvent } from "../../src/types.js";
import { findLeaks } from "./find-leaks.js";

const SINK_CHECK_TIMEOUT_MS = 60_000;

/**
 * Collects everything loggers, event handlers, outputs and errors receive in one test file, with
 * every secret value the tests know about; asserts in `afterAll` that no secret appears, and hands
 * both to the suite-wide check.
 */
export function createSecretSink(source: string) {
  const texts: string[] = [];
  const secrets = new Set<string>();
  const directory = mkdtempSync(join(tmpdir(), "tailvm-sink-output-"));
  const files: string[] = [];
  const record = (value: unknown) => {
    texts.push(typeof value === "string" ? value : JSON.stringify(value));
  };

  const recordingLogger: Logger = {
    debug: (message, data) => record({ message, data }),
    info: (message, data) => record({ message, data }),
    warn: (message, data) => record({ message, data }),
    error: (message, data) => record({ message, data }),
  };

  const sink = {
    texts,
    addSecret(value: string | undefined | null) {
      if (typeof value === "string" && value.length > 0) secrets.add(value);
    },
    record,
    /** A console logger, a JSON logger and a method-only logger, all at debug level. */
    loggers(): Logger[] {
      return [
        consoleLogger({ level: "debug", write: record }),
        jsonLogger({ level: "debug", write: record }),
        recordingLogger,
      ];
    },
    onEvent: (event: ProvisionEvent) => record(event),
    /** A function output and a JSON file output whose file is read back at the end. */
    outputs(): Output[] {
      const file = join(directory, `${randomUUID()}.json`);
      files.push(file);
      return [functionOutput((outcome) => record(outcome)), jsonFileOutput(file)];
    },
    /** Records an error as a caller would log it. */
    recordError(error: unknown) {
      if (error instanceof Error) {
        record({ name: error.name, message: error.message, stack: error.stack });
        record(error);
        if (error.cause instanceof Error) record({ cause: error.cause.message });
      } else {
        record(String(error));
      }
    },
    flushFiles() {
      for (const file of files.splice(0)) {
        try {
          record(readFileSync(file, "utf8"));
        } catch {}
      }
    },
  };

  // Explicitly generous: this runs after every test of the file, on a machine that may be busy.
  afterAll(() => {
    sink.flushFiles();
    rmSync(directory, { recursive: true, force: true });
    expect(texts.length).toBeGreaterThan(0);
    expect(findLeaks(texts, secrets), `a secret leaked in ${source}`).toEqual([]);
    writeFileSync(
      join(inject("secretSinkDirectory"), `${randomUUID()}.json`),
      JSON.stringify({ source, secrets: [...secrets], texts }),
    );
  }, SINK_CHECK_TIMEOUT_MS);

  return sink;
}
