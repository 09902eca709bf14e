import { randomUUID } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Output, ProvisionOutcome } from "./output.js";

/**
 * An output that writes the outcome as JSON to `path` (`{ "status": "success", "result": ... }` or
 * `{ "status": "failure", "failure": ... }`), atomically: readers never see half a file.
 *
 * @example
 * ```ts
 * await provisionVM(options, { ...context, outputs: [jsonFileOutput("./vm.json")] });
 * const { result } = JSON.parse(await readFile("./vm.json", "utf8"));
 * ```
 */
export function jsonFileOutput(path: string): Output {
  const save = async (outcome: ProvisionOutcome, signal: AbortSignal | undefined) => {
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomUUID()}.tmp`;
    await writeFile(temporary, `${JSON.stringify(outcome, null, 2)}\n`, {
      mode: 0o600,
      ...(signal ? { signal } : {}),
    });
    await rename(temporary, path);
  };
  return {
    name: `json-file ${path}`,
    success: (result, run, signal) => save({ status: "success", result, run }, signal),
    failure: (failure, run, signal) => save({ status: "failure", failure, run }, signal),
  };
}
