import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { DEFAULT_CREDENTIALS } from "@tailvm/testing";
import { describe, expect, it } from "vitest";
import { createSecretSink } from "./support/secret-sink.js";

const sink = createSecretSink("test/demo.test.ts");
const packageDirectory = fileURLToPath(new URL("..", import.meta.url));

describe("the demo", () => {
  it("provisions against the loopback simulator and prints the result and timings", async () => {
    for (const value of Object.values(DEFAULT_CREDENTIALS)) sink.addSecret(value);
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["demo/demo.ts"], {
      cwd: packageDirectory,
      timeout: 30_000,
    });
    sink.record(stdout);
    sink.record(stderr);
    expect(stdout).toMatch(/tailnet IPv4 +100\.\d+\.\d+\.\d+/);
    expect(stdout).toMatch(/device-join +\d/);
    expect(stdout).toMatch(/server-running done in/);
    expect(stderr).toBe("");
    // The simulated column reads the simulator's clock, which runs 100x faster than the real one.
    const total = /^ {2}total +([\d.]+) (ms|s) +([\d.]+) (ms|s)$/m.exec(stdout);
    expect(total, stdout).not.toBeNull();
    const ms = (value = "0", unit = "ms") => Number(value) * (unit === "s" ? 1000 : 1);
    const simulatedMs = ms(total?.[1], total?.[2]);
    const realMs = ms(total?.[3], total?.[4]);
    expect(simulatedMs).toBeGreaterThan(realMs * 50);
  });
});
