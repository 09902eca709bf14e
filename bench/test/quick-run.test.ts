import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const benchDirectory = join(import.meta.dirname, "..");
const directory = mkdtempSync(join(tmpdir(), "tailvm-bench-test-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const EXPECTED_ROWS = [
  "orchestration-overhead-typical",
  "requests-typical",
  "orchestration-overhead-short",
  "requests-short",
  "orchestration-overhead-slow",
  "requests-slow",
  "provisions-per-hour",
  "fleet-tokens",
  "fleet-429",
  "fleet-requests",
  "fleet-wall-time",
  "startup",
  "install-size",
  "size-cloud-init",
  "size-hetzner-client",
  "size-provisioner",
  "size-tailscale-client",
  "size-testing",
  "size-action-chunk",
  "size-action-main",
  "size-action-post",
];

interface Report {
  date: string;
  machine: string;
  settings: { quick: boolean; runs: number };
  rows: {
    id: string;
    item: number;
    measurement: string;
    tailvm: string;
    values: Record<string, number>;
  }[];
  chaos: { rows: { id: string }[]; samples: { faulty: { leaked: number } } };
}

// Structure, not speed: one quick iteration must produce every row, in the table and the JSON.
describe("pnpm bench --quick", () => {
  const out = join(directory, "results.json");
  let run: SpawnSyncReturns<string>;
  beforeAll(() => {
    run = spawnSync(process.execPath, ["src/main.ts", "--quick", "--out", out], {
      cwd: benchDirectory,
      encoding: "utf8",
      timeout: 170_000,
    });
  }, 180_000);

  it("exits 0 and prints one table with every row", () => {
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    const report = JSON.parse(readFileSync(out, "utf8")) as Report;
    for (const row of report.rows) expect(run.stdout).toContain(row.measurement);
    expect(run.stdout.match(/^#\s+measurement/gm)).toHaveLength(1);
  });

  it("writes results.json with every row, each with finite numbers", () => {
    const report = JSON.parse(readFileSync(out, "utf8")) as Report;
    expect(report.settings).toMatchObject({ quick: true, runs: 1 });
    expect(Number.isNaN(Date.parse(report.date))).toBe(false);
    expect(report.machine).toContain("cores");
    expect(report.rows.map((row) => row.id)).toEqual(EXPECTED_ROWS);
    expect(new Set(report.rows.map((row) => row.item))).toEqual(new Set([1, 2, 3, 4, 5]));
    for (const row of report.rows) {
      expect(row.tailvm, row.id).not.toBe("");
      const numbers = Object.values(row.values);
      expect(numbers.length, row.id).toBeGreaterThan(0);
      for (const value of numbers) expect(Number.isFinite(value), row.id).toBe(true);
    }
    expect(report.chaos.rows.map((row) => row.id)).toEqual([
      "chaos-success",
      "chaos-retries",
      "chaos-leaks",
      "chaos-time-to-ready",
    ]);
    expect(report.chaos.samples.faulty.leaked).toBe(0);
    const tokens = report.rows.find((row) => row.id === "fleet-tokens");
    expect(tokens?.values.tailvm).toBe(1);
  });
});
