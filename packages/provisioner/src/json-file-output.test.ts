import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { provisionFailure } from "../test/support/provision-result.js";
import { functionOutput } from "./function-output.js";
import { jsonFileOutput } from "./json-file-output.js";
import type { ProvisionOutcome } from "./output.js";

const directory = await mkdtemp(join(tmpdir(), "tailvm-json-output-"));
afterAll(() => rm(directory, { recursive: true, force: true }));

const failure = provisionFailure({
  phase: "create-server",
  message: "no capacity",
  serverId: null,
  totalMs: 3,
});
const run = { runId: "r", agentId: "a", jobId: null, startedAt: 1, finishedAt: 4 };

describe("jsonFileOutput", () => {
  it("writes the outcome as JSON into nested directories, leaving no temp file", async () => {
    const path = join(directory, "nested", "vm.json");
    await jsonFileOutput(path).failure?.(failure, run);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ status: "failure", failure, run });
    expect(await readdir(join(directory, "nested"))).toEqual(["vm.json"]);
  });
});

describe("functionOutput", () => {
  it("calls the function with the outcome", async () => {
    const seen: ProvisionOutcome[] = [];
    await functionOutput((outcome) => seen.push(outcome)).failure?.(failure, run);
    expect(seen).toEqual([{ status: "failure", failure, run }]);
  });
});
