import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { prepareStepFiles } from "@tailvm/gh-runner/test/step-files";
import { repositoryRoot } from "./paths.ts";

const require = createRequire(import.meta.url);

/** How the gh-runner step is started. */
export type StartMode = "bundle" | "tsx";

function commandFor(mode: StartMode): string[] {
  const appDirectory = join(repositoryRoot, "apps", "gh-runner");
  return mode === "bundle"
    ? [join(appDirectory, "dist", "index.js")]
    : [require.resolve("tsx/cli"), join(appDirectory, "src", "action-entry.ts")];
}

/**
 * Milliseconds from spawning the action's main step (as the runner does: `GITHUB_ACTIONS=true`
 * and `INPUT_*` variables) to its first request reaching a loopback listener that stands in for
 * both APIs. The process is killed at that moment.
 */
export async function timeToFirstRequest(mode: StartMode, timeoutMs = 30_000): Promise<number> {
  const { directory, files } = prepareStepFiles("tailvm-bench-startup-");

  let firstRequest: (() => void) | undefined;
  const requested = new Promise<number>((resolve) => {
    firstRequest = () => resolve(performance.now());
  });
  const listener = createServer((_request, response) => {
    firstRequest?.();
    response.writeHead(503, { "content-type": "application/json" });
    response.end("{}");
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;

  const started = performance.now();
  const child = spawn(process.execPath, commandFor(mode), {
    cwd: directory,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? directory,
      GITHUB_ACTIONS: "true",
      ...files,
      INPUT_AGENT_ID: "bench-startup",
      INPUT_REGION: "eu-central",
      INPUT_TAILSCALE_TAGS: "tag:bench",
      INPUT_TIMEOUT_MINUTES: "1",
      INPUT_HETZNER_API_TOKEN: "bench-hetzner-token",
      INPUT_TAILSCALE_OAUTH_CLIENT_ID: "bench-client",
      INPUT_TAILSCALE_OAUTH_CLIENT_SECRET: "bench-client-secret",
      HETZNER_API_URL: `${base}/v1`,
      TAILSCALE_API_URL: `${base}/api/v2`,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<never>((_resolve, reject) =>
    child.once("exit", (code) =>
      reject(new Error(`gh-runner (${mode}) exited with ${code} before any request:\n${stderr}`)),
    ),
  );
  exited.catch(() => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`gh-runner (${mode}) sent no request within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    const at = await Promise.race([requested, exited, timedOut]);
    return at - started;
  } finally {
    clearTimeout(timer);
    child.kill("SIGKILL");
    listener.closeAllConnections();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    rmSync(directory, { recursive: true, force: true });
  }
}
