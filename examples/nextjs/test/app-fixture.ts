import { execFile } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  type SimulatedCloudServer,
  type SimulatedCloudServerOptions,
  startSimulatedCloudServer,
} from "@tailvm/testing";
import { afterAll, beforeAll, expect, inject } from "vitest";
import type { JobView } from "../lib/jobs/job-view.ts";
import { appDirectory, type NextServer, startNextServer } from "./next-server.ts";

const run = promisify(execFile);

/** The environment that points the app at the loopback simulator. */
function simulatorEnvironment(sim: SimulatedCloudServer): Record<string, string> {
  return {
    HETZNER_API_TOKEN: sim.credentials.hetznerToken,
    HETZNER_API_URL: sim.hetznerUrl,
    TAILSCALE_OAUTH_CLIENT_ID: sim.credentials.tailscaleOAuthClientId,
    TAILSCALE_OAUTH_CLIENT_SECRET: sim.credentials.tailscaleOAuthClientSecret,
    TAILSCALE_API_URL: sim.tailscaleUrl,
    TAILVM_TAILSCALE_TAGS: "tag:agent",
  };
}

/** Runs the token script (`pnpm token create <name>`) and returns the token it printed. */
export async function createTokenWithScript(
  env: Record<string, string>,
  name: string,
): Promise<string> {
  const { stdout, stderr } = await run(process.execPath, ["scripts/token.ts", "create", name], {
    cwd: appDirectory,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...env },
  });
  expect(stderr).toContain("It is shown once");
  const token = stdout.trim();
  expect(token).toMatch(/^tvm_[a-z0-9]{12}_[\w-]{43}$/);
  return token;
}

/** A temporary PGlite data directory; `remove()` deletes it. */
export async function temporaryDataDirectory(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "tailvm-example-"));
  // A copy of the migrated template the global setup made: the app starts as on a fresh clone's
  // second start, without the seconds a new PGlite directory takes.
  await cp(inject("pgliteTemplate"), path, { recursive: true });
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** The app with a data directory of its own and one API token, made by the token script. */
export interface TestApp {
  server: NextServer;
  token: string;
  /** A second caller's token, when `start` was asked for one. */
  otherToken: string;
  env: Record<string, string>;
  /** `fetch` on the app with the token (unless `headers.authorization` says otherwise). */
  call(path: string, init?: RequestInit): Promise<Response>;
  /** Polls the job until `done` holds, within a deadline. */
  waitForJob(jobId: string, done: (job: JobView) => boolean, timeoutMs?: number): Promise<JobView>;
  close(): Promise<void>;
}

/** Starts `next start` on a fresh embedded database (or `DATABASE_URL` in `env`). */
async function startTestApp(
  env: Record<string, string>,
  options: { secondCaller?: boolean } = {},
): Promise<TestApp> {
  const data = await temporaryDataDirectory();
  const appEnv = { TAILVM_DATA_DIR: data.path, ...env };
  const token = await createTokenWithScript(appEnv, "tests");
  const otherToken = options.secondCaller ? await createTokenWithScript(appEnv, "other") : "";
  const server = await startNextServer({ env: appEnv });
  return attachTestApp(server, { token, otherToken, env: appEnv, remove: data.remove });
}

/** What an app's callers and restarts need: its tokens and its environment. */
type AppIdentity = Pick<TestApp, "token" | "otherToken" | "env">;

/** The helpers of {@link TestApp} around a running server. */
function attachTestApp(
  server: NextServer,
  options: AppIdentity & { remove?: () => Promise<void> },
): TestApp {
  const call = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has("authorization")) headers.set("authorization", `Bearer ${options.token}`);
    if (init.body !== undefined && !headers.has("content-type")) {
      headers.set("content-type", "application/json");
    }
    return fetch(`${server.url}${path}`, { ...init, headers });
  };
  return {
    server,
    token: options.token,
    otherToken: options.otherToken,
    env: options.env,
    call,
    async waitForJob(jobId, done, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const response = await call(`/api/vms/${encodeURIComponent(jobId)}`);
        expect(response.status).toBe(200);
        const job = (await response.json()) as JobView;
        if (done(job)) return job;
        if (Date.now() > deadline) {
          throw new Error(`job ${jobId} is still ${job.status} after ${timeoutMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      await server.stop();
      await options.remove?.();
    },
  };
}

/** Polls `condition` (a state the simulator or the server reaches) until it holds, within a deadline. */
export async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition never held");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Anything a test file starts that must end after its tests: an app, a browser, a fake server. */
interface Closable {
  close(): Promise<unknown>;
}

/** The loopback simulator a test file runs against, and the apps it starts on it. */
export interface SimulatedCloudFixture {
  /** The simulator, started before the file's tests. */
  readonly sim: SimulatedCloudServer;
  /** The environment that points an app at the simulator, with `extra` added. */
  environment(extra?: Record<string, string>): Record<string, string>;
  /** Starts an app on the simulator with `env` added, as {@link startTestApp} does. */
  start(env?: Record<string, string>, options?: { secondCaller?: boolean }): Promise<TestApp>;
  /**
   * Starts `next start` again for a stopped (or killed) app: its database, tokens and environment.
   * The data directory stays the first app's, removed when that one closes (after this one).
   */
  restart(app: TestApp): Promise<TestApp>;
  /** The helpers of {@link TestApp} around a server started by the test itself. */
  attach(server: NextServer, identity: AppIdentity): TestApp;
  /** Closes `resource` after the file's tests, ahead of everything started before it. */
  track<T extends Closable>(resource: T): T;
}

/**
 * Starts the loopback simulator before the calling file's (or suite's) tests and closes, after
 * them, everything the fixture started or was given to track, newest first: so every app ends
 * before a database or fake server it used, and the simulator last. One that fails to close does
 * not keep the others open.
 */
export function simulatedCloudFixture(options: SimulatedCloudServerOptions): SimulatedCloudFixture {
  let sim: SimulatedCloudServer | undefined;
  const started: Closable[] = [];
  const track = <T extends Closable>(resource: T): T => {
    started.push(resource);
    return resource;
  };
  beforeAll(async () => {
    sim = track(await startSimulatedCloudServer(options));
  });
  afterAll(async () => {
    const failures: unknown[] = [];
    for (const resource of started.splice(0).reverse()) {
      await resource.close().catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) throw new AggregateError(failures, "closing the test servers failed");
  });
  const fixture: SimulatedCloudFixture = {
    get sim() {
      if (sim === undefined) {
        throw new Error(
          "The simulator starts in the fixture's beforeAll: read `sim` in a hook or test.",
        );
      }
      return sim;
    },
    environment: (extra = {}) => ({ ...simulatorEnvironment(fixture.sim), ...extra }),
    start: async (env, startOptions) =>
      track(await startTestApp(fixture.environment(env), startOptions)),
    restart: async (app) => track(attachTestApp(await startNextServer({ env: app.env }), app)),
    attach: (server, identity) => track(attachTestApp(server, identity)),
    track,
  };
  return fixture;
}
