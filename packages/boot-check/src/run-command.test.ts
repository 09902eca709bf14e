import { describe, expect, it } from "vitest";
import { BootCheckError } from "./errors.js";
import { runChecked, runCommand } from "./run-command.js";

describe("runCommand", () => {
  it("returns the exit code and output, and feeds stdin", async () => {
    const result = await runCommand("sh", ["-c", "cat; echo err >&2; exit 3"], {
      phase: "boot",
      timeoutMs: 30_000,
      input: "in",
    });
    expect(result).toEqual({ code: 3, stdout: "in", stderr: "err\n", timedOut: false });
  });

  it("runs under nice when asked", async () => {
    const result = await runCommand("sh", ["-c", "nice"], {
      phase: "boot",
      timeoutMs: 30_000,
      niceness: 19,
    });
    expect(result.stdout.trim()).toBe("19");
  });

  it("kills a process that outlives its bound and says so", async () => {
    const result = await runCommand("sleep", ["30"], { phase: "boot", timeoutMs: 100 });
    expect(result.timedOut).toBe(true);
    expect(result.code).toBeNull();
  });

  it("rejects with the caller's reason when the caller aborts", async () => {
    const controller = new AbortController();
    const pending = runCommand("sleep", ["30"], {
      phase: "boot",
      timeoutMs: 30_000,
      signal: controller.signal,
    });
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
  });

  it("turns a failure into a BootCheckError with the output's tail, and a missing program too", async () => {
    const failed = runChecked("sh", ["-c", "echo broken >&2; exit 1"], {
      phase: "image",
      timeoutMs: 30_000,
      what: "Building",
    });
    await expect(failed).rejects.toThrow(/^Building failed: sh exited with 1\.\nbroken$/);
    await expect(failed).rejects.toBeInstanceOf(BootCheckError);
    await expect(
      runCommand("/nonexistent/program", [], { phase: "tools", timeoutMs: 1000 }),
    ).rejects.toMatchObject({ name: "BootCheckError", phase: "tools" });
  });
});
