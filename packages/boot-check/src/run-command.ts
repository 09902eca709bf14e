import { spawn } from "node:child_process";
import { anySignal } from "@tailvm/internal";
import { BootCheckError, type BootCheckPhase } from "./errors.js";

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The time bound ran out and the process was killed. */
  timedOut: boolean;
}

export interface CommandOptions {
  phase: BootCheckPhase;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  input?: string | Buffer;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Output beyond this many characters per stream is dropped (the start is kept). */
  outputLimit?: number;
  /** Run under `nice -n <niceness>` (1 to 19) so that the rest of the machine goes first. */
  niceness?: number | undefined;
}

/**
 * Runs a program without a shell, bounded by `timeoutMs` and `signal` (the process is killed with
 * SIGKILL when either fires). Rejects with a BootCheckError when it cannot start or `signal` aborts;
 * a non-zero exit or a timeout is a result, for the caller to judge.
 */
export function runCommand(
  file: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = anySignal(timeout, options.signal);
  const limit = options.outputLimit ?? 4 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(options.signal.reason);
      return;
    }
    const niced = (options.niceness ?? 0) > 0;
    const command = niced ? "nice" : file;
    const commandArgs = niced ? ["-n", String(options.niceness), file, ...args] : args;
    const child = spawn(command, commandArgs, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (stdout.length < limit) stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < limit) stderr += chunk;
    });
    const onAbort = () => child.kill("SIGKILL");
    signal.addEventListener("abort", onAbort, { once: true });
    child.on("error", (error) => {
      signal.removeEventListener("abort", onAbort);
      reject(
        new BootCheckError(`Could not start ${file}: ${error.message}`, {
          phase: options.phase,
          cause: error,
        }),
      );
    });
    child.on("close", (code) => {
      signal.removeEventListener("abort", onAbort);
      if (options.signal?.aborted) reject(options.signal.reason);
      else resolve({ code, stdout, stderr, timedOut: timeout.aborted });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(options.input);
  });
}

/** Like {@link runCommand}, but a non-zero exit or a timeout is a BootCheckError with its output. */
export async function runChecked(
  file: string,
  args: readonly string[],
  options: CommandOptions & { what: string },
): Promise<CommandResult> {
  const result = await runCommand(file, args, options);
  if (result.code === 0 && !result.timedOut) return result;
  const why = result.timedOut
    ? `did not finish within ${Math.round(options.timeoutMs / 1000)} s`
    : `exited with ${result.code}`;
  const output = `${result.stderr}${result.stdout}`.trim().split("\n").slice(-15).join("\n");
  throw new BootCheckError(`${options.what} failed: ${file} ${why}.\n${output}`, {
    phase: options.phase,
    isRetryable: result.timedOut,
  });
}
