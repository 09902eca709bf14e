import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { errorMessage } from "@tailvm/internal";
import { verifyWebhook, type WebhookPayload } from "@tailvm/provisioner";
import { actionInputs } from "../src/action-inputs.js";
import type { SettingName } from "../src/settings.js";
import { parseFileCommands } from "./file-commands.js";
import { packageDirectory } from "./paths.js";
import { prepareStepFiles } from "./step-files.js";

/** The built bundle of an entry; the tests run what is shipped, not the sources. */
export function bundlePath(entry: "index" | "post"): string {
  const path = join(packageDirectory, "dist", `${entry}.js`);
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`pnpm --filter @tailvm/gh-runner build\` first.`);
  }
  return path;
}

/** One finished run of the bundle. */
export interface BundleRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** GITHUB_OUTPUT, parsed. */
  outputs: Record<string, string>;
  /** The raw GITHUB_OUTPUT file. */
  outputText: string;
  /** GITHUB_STATE, parsed. */
  state: Record<string, string>;
  /** GITHUB_STEP_SUMMARY. */
  summary: string;
}

/** A bundle process that is still running. */
export interface RunningBundle {
  child: ChildProcess;
  /** stdout so far. */
  stdout(): string;
  done: Promise<BundleRun>;
}

/** Options of {@link startBundle}. */
export interface BundleOptions {
  entry?: "index" | "post";
  /** Another bundle to run instead of an entry of this one (the CLI's), by absolute path. */
  script?: string;
  /** Command-line arguments. */
  args?: string[];
  /** Action inputs by name; set as INPUT_<NAME> the way the runner does, with action.yml defaults. */
  inputs?: Partial<Record<SettingName, string>>;
  /** Extra environment (HETZNER_API_URL, STATE_*, ...). */
  env?: Record<string, string>;
  /** Default true. */
  githubActions?: boolean;
}

/**
 * Spawns `node dist/<entry>.js` like the runner does: a clean environment with `GITHUB_ACTIONS`,
 * every input as `INPUT_<NAME>` (defaults from action.yml for the ones not given), and fresh temp
 * files for `GITHUB_OUTPUT`, `GITHUB_STATE` and `GITHUB_STEP_SUMMARY`. With `script` and no
 * `inputs`, it is a workflow `run:` step instead: the same environment without any `INPUT_*`.
 */
export function startBundle(options: BundleOptions = {}): RunningBundle {
  const { directory, files } = prepareStepFiles("gh-runner-run-");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? directory,
    ...(options.githubActions === false ? {} : { GITHUB_ACTIONS: "true", ...files }),
    ...options.env,
  };
  if (options.githubActions !== false && options.script === undefined) {
    for (const [name, definition] of Object.entries(actionInputs())) {
      const value = options.inputs?.[name as SettingName] ?? definition.default;
      env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
    }
  }
  const script = options.script ?? bundlePath(options.entry ?? "index");
  const child = spawn(process.execPath, [script, ...(options.args ?? [])], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<BundleRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const read = (path: string) => (existsSync(path) ? readFileSync(path, "utf8") : "");
      const outputText = read(files.GITHUB_OUTPUT);
      const run: BundleRun = {
        code,
        signal,
        stdout,
        stderr,
        outputText,
        outputs: parseFileCommands(outputText),
        state: parseFileCommands(read(files.GITHUB_STATE)),
        summary: read(files.GITHUB_STEP_SUMMARY),
      };
      rmSync(directory, { recursive: true, force: true });
      resolve(run);
    });
  });
  return { child, stdout: () => stdout, done };
}

/** Runs the bundle to the end. */
export function runBundle(options: BundleOptions = {}): Promise<BundleRun> {
  return startBundle(options).done;
}

/**
 * Polls `condition` every few milliseconds until it holds, failing after `timeoutMs`. Never sleeps
 * longer than one short poll interval at a time.
 */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** One callback request as the receiver saw it. */
export interface ReceivedCallback {
  headers: IncomingHttpHeaders;
  body: string;
  /** The verified payload, or undefined when verification failed. */
  payload: WebhookPayload | undefined;
  verificationError: string | undefined;
}

/**
 * A local HTTP receiver on 127.0.0.1 that checks every callback's Standard Webhooks signature with
 * the provisioner's `verifyWebhook`, as a backend would, and answers `status`.
 */
export async function startReceiver(options: { secret: string; status?: number }) {
  const received: ReceivedCallback[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = request.headers;
      verifyWebhook({ headers: headers as Record<string, string>, body }, options.secret).then(
        (payload) => {
          received.push({
            headers,
            body,
            payload,
            verificationError: undefined,
          });
          response.writeHead(options.status ?? 204).end();
        },
        (error: unknown) => {
          received.push({
            headers,
            body,
            payload: undefined,
            verificationError: errorMessage(error),
          });
          response.writeHead(401).end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Checks a process's output for secrets. `maskedFirst` (the credentials) must each have an
 * `::add-mask::` line that comes before every other line; no secret of either list may appear on
 * any line other than its own mask line. Returns the problems found (empty when clean).
 */
export function secretProblems(
  text: string,
  secrets: { maskedFirst: string[]; never: string[] },
): string[] {
  const problems: string[] = [];
  const lines = text.split(/\r?\n/);
  for (const secret of secrets.maskedFirst) {
    const maskLine = lines.indexOf(`::add-mask::${secret}`);
    if (maskLine < 0) problems.push(`a credential is never masked`);
    const firstOther = lines.findIndex((line) => line !== "" && !line.startsWith("::add-mask::"));
    if (firstOther >= 0 && maskLine > firstOther) {
      problems.push(`line ${firstOther + 1} is printed before a credential is masked`);
    }
  }
  for (const secret of [...secrets.maskedFirst, ...secrets.never]) {
    lines.forEach((line, index) => {
      if (line !== `::add-mask::${secret}` && line.includes(secret)) {
        problems.push(`line ${index + 1} shows a secret`);
      }
    });
  }
  return [...new Set(problems)];
}

export { createServerDirectly, leftovers, quickSimulator } from "./simulator.js";
