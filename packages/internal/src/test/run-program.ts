import { execFile } from "node:child_process";

/** What a program that ran to completion left: its exit code and its output. */
export interface ProgramResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program to completion (no shell), with `input` on its stdin when given, and returns its
 * exit code and output. Rejects when it cannot start, or when it is still running after 60 s (it
 * is killed then): a test waits for a subprocess only that long, however busy the machine.
 */
export function runProgram(file: string, args: string[], input?: string): Promise<ProgramResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== "number") return reject(error);
        resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}
