import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const appDirectory = join(dirname(fileURLToPath(import.meta.url)), "..");

/** A free TCP port on 127.0.0.1, as the kernel hands one out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A running `next start`. */
export interface NextServer {
  url: string;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Sends SIGTERM (SIGKILL after 5 s) and resolves with how the process ended. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends SIGKILL to the server and everything it started, as a crash would end it. */
  kill(): Promise<void>;
}

/**
 * Runs the production build (`next start`) on 127.0.0.1 with `env` added to a minimal
 * environment, and resolves once it answers HTTP.
 */
export async function startNextServer(options: {
  env: Record<string, string>;
  timeoutMs?: number;
}): Promise<NextServer> {
  if (!existsSync(join(appDirectory, ".next", "BUILD_ID"))) {
    throw new Error(
      `${join(appDirectory, ".next")} holds no build: run \`pnpm --filter @tailvm/example-nextjs build\` first.`,
    );
  }
  const port = await freePort();
  const nextBin = join(appDirectory, "node_modules", "next", "dist", "bin", "next");
  const child: ChildProcess = spawn(
    process.execPath,
    [nextBin, "start", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      cwd: appDirectory,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? appDirectory,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so kill() ends whatever next start may have forked too.
      detached: true,
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`next start exited with ${child.exitCode}:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`next start did not answer within the deadline:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        const ended = await exited;
        clearTimeout(timer);
        return ended;
      }
      return { code: child.exitCode, signal: child.signalCode };
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        process.kill(-child.pid, "SIGKILL");
        await exited;
      }
    },
  };
}
