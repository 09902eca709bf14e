import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createSimulatedCloud } from "./create-simulated-cloud.js";
import { notSimulated } from "./not-simulated.js";
import { createScaledClock, isScaledClock, wallClockView } from "./scaled-clock.js";
import type {
  SimulatedClock,
  SimulatedCloud,
  SimulatedContext,
  SimulatedContextOptions,
  SimulatedCredentials,
  SimulatedFaults,
  SimulatedState,
  SimulatorOptions,
} from "./types.js";

/**
 * Options for {@link startSimulatedCloudServer}. `hetznerBaseUrl` and `tailscaleBaseUrl` are ignored:
 * the server answers on `url + "/v1"` and `url + "/api/v2"`.
 *
 * @example
 * ```ts
 * const options: SimulatedCloudServerOptions = { port: 0, timeScale: 1_000, rateLimit: { limit: 100 } };
 * ```
 */
export interface SimulatedCloudServerOptions extends SimulatorOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Default `"127.0.0.1"`. */
  host?: string;
  /**
   * Speed-up of the default scaled clock (ignored when `clock` is given). Default 100. Every
   * timestamp and `RateLimit-Reset` the server answers is wall-clock time; only durations (boots,
   * actions, joins, key and token lifetimes, the rate limit's refill, latency) pass `timeScale`
   * times faster.
   */
  timeScale?: number;
}

/**
 * A running loopback simulator.
 *
 * @example
 * ```ts
 * const sim: SimulatedCloudServer = await startSimulatedCloudServer();
 * await fetch(`${sim.hetznerUrl}/locations`, { headers: { Authorization: `Bearer ${sim.credentials.hetznerToken}` } });
 * await sim.close();
 * ```
 */
export interface SimulatedCloudServer {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** `url + "/v1"`. */
  hetznerUrl: string;
  /** `url + "/api/v2"`. */
  tailscaleUrl: string;
  credentials: SimulatedCredentials;
  state: SimulatedState;
  faults: SimulatedFaults;
  /**
   * The server's time: on a scaled clock (the default), `now()` is the wall clock, like every
   * timestamp the server answers and `state` reports, while `sleep(ms)` and `advance(ms)` take
   * simulated milliseconds, which pass `timeScale` times faster (`sleep(40_000)` takes 400 ms at
   * 100). Give it to in-process callers, or give them the system clock: both agree with the
   * server's timestamps.
   */
  clock: SimulatedClock;
  /**
   * The credentials, base URLs and clock to give `provisionVM()` in this process, over real HTTP
   * to the server (no `fetch` of its own, unlike {@link SimulatedCloud.context}).
   */
  context(options?: SimulatedContextOptions): SimulatedServerContext;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/**
 * Everything `provisionVM()` needs to reach a loopback simulator over HTTP, shaped like
 * `@tailvm/provisioner`'s `ProvisionContext`.
 *
 * @example
 * ```ts
 * const sim = await startSimulatedCloudServer();
 * await provisionVM({ agentId: "a1" }, { ...sim.context({ tailscaleAuth: "oauth" }), logger });
 * ```
 */
export interface SimulatedServerContext {
  /** The simulated project's token and the server's Hetzner base URL (`hetznerUrl`). */
  hetzner: { token: string; baseUrl: string };
  /** The simulated API key or OAuth client, and the server's Tailscale base URL. */
  tailscale: { auth: SimulatedContext["tailscale"]["auth"]; baseUrl: string };
  /** The server's clock, as {@link SimulatedCloudServer.clock}. */
  clock: SimulatedClock;
}

async function toRequest(incoming: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = incoming.method ?? "GET";
  let body: Buffer | undefined;
  if (method !== "GET" && method !== "HEAD") {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    body = Buffer.concat(chunks);
  }
  return new Request(new URL(incoming.url ?? "/", origin), {
    method,
    headers,
    ...(body && body.length > 0 ? { body: new Uint8Array(body) } : {}),
  });
}

async function writeResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = Buffer.from(await response.arrayBuffer());
  outgoing.writeHead(response.status, { ...headers, "content-length": String(body.length) });
  outgoing.end(body);
}

/**
 * Starts the simulator as a real HTTP server on loopback, for tests of other processes (CLIs,
 * GitHub Actions, Hetzner's own `hcloud` and hcloud-python) and demos. Time runs on
 * `createScaledClock({ scale: timeScale ?? 100 })` unless a clock is given: a 40 s boot takes
 * 400 ms, and the timestamps it answers are the wall-clock moments things happen.
 *
 * @example
 * ```ts
 * const sim = await startSimulatedCloudServer({ port: 0 });
 * process.env.HCLOUD_ENDPOINT = sim.hetznerUrl;
 * // ... run the code under test ...
 * await sim.close();
 * ```
 */
export async function startSimulatedCloudServer(
  options: SimulatedCloudServerOptions = {},
): Promise<SimulatedCloudServer> {
  const host = options.host ?? "127.0.0.1";
  const simulationClock = options.clock ?? createScaledClock({ scale: options.timeScale ?? 100 });
  const clock = isScaledClock(simulationClock) ? wallClockView(simulationClock) : simulationClock;
  let cloud: SimulatedCloud | undefined;
  let origin = "";

  const server = createServer((incoming, outgoing) => {
    const handle = async () => {
      if (!cloud) throw new Error("simulator not ready");
      const path = new URL(incoming.url ?? "/", origin).pathname;
      if (!/^\/(v1|api\/v2)(\/|$)/.test(path)) {
        await writeResponse(notSimulated(undefined, incoming.method ?? "GET", path), outgoing);
        return;
      }
      const request = await toRequest(incoming, origin);
      let response: Response;
      try {
        response = await cloud.fetch(request);
      } catch (error) {
        if (error instanceof TypeError && error.message === "fetch failed") {
          incoming.socket.destroy();
          return;
        }
        throw error;
      }
      await writeResponse(response, outgoing);
    };
    handle().catch((error: unknown) => {
      if (outgoing.headersSent) {
        outgoing.destroy();
        return;
      }
      outgoing.writeHead(500, { "content-type": "application/json" });
      outgoing.end(
        JSON.stringify({
          error: { code: "server_error", message: `simulator failure: ${String(error)}` },
          message: `simulator failure: ${String(error)}`,
        }),
      );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  origin = `http://${hostForUrl}:${address.port}`;
  const { port: _port, host: _host, timeScale: _timeScale, ...simulatorOptions } = options;
  cloud = createSimulatedCloud({
    ...simulatorOptions,
    clock: simulationClock,
    hetznerBaseUrl: `${origin}/v1`,
    tailscaleBaseUrl: `${origin}/api/v2`,
  });

  return {
    url: origin,
    hetznerUrl: cloud.hetznerUrl,
    tailscaleUrl: cloud.tailscaleUrl,
    credentials: cloud.credentials,
    state: cloud.state,
    faults: cloud.faults,
    clock,
    context(contextOptions) {
      const { hetzner, tailscale } = (cloud as SimulatedCloud).context(contextOptions);
      return {
        hetzner: { token: hetzner.token, baseUrl: hetzner.baseUrl },
        tailscale: { auth: tailscale.auth, baseUrl: tailscale.baseUrl },
        clock,
      };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
