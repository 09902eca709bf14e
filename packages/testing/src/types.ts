import type { Clock } from "@tailvm/internal";
import type { FaultSchedule } from "./fault-schedule.js";

/**
 * A clock the simulation runs on: a {@link Clock} that a test can also move forward by hand. The
 * default is the virtual clock of {@link createVirtualClock}; the loopback server runs on a scaled
 * real clock.
 *
 * @example
 * ```ts
 * const clock: SimulatedClock = createVirtualClock({ autoAdvance: false });
 * const woke = clock.sleep(1_000);
 * await clock.advance(1_000); // `woke` is now resolved
 * ```
 */
export interface SimulatedClock extends Clock {
  /** Moves time forward by `ms`, waking every sleep that falls due, in order. */
  advance(ms: number): Promise<void>;
}

/**
 * Which simulated API a request went to.
 *
 * @example
 * ```ts
 * const api: SimulatedApi = "hetzner";
 * ```
 */
export type SimulatedApi = "hetzner" | "tailscale";

/**
 * The fake credentials the simulator accepts.
 *
 * @example
 * ```ts
 * const { hetznerToken, tailscaleApiKey }: SimulatedCredentials = sim.credentials;
 * ```
 */
export interface SimulatedCredentials {
  hetznerToken: string;
  tailscaleApiKey: string;
  tailscaleOAuthClientId: string;
  tailscaleOAuthClientSecret: string;
}

/**
 * Simulated durations, in simulated milliseconds.
 *
 * @example
 * ```ts
 * createSimulatedCloud({ timings: { bootMs: 5_000, joinMs: 2_000, latencyMs: { "POST /servers": 300 } } });
 * ```
 */
export interface SimulatorTimings {
  /** From create to status `running` (and the `start_server` action's success). Default 40 000. */
  bootMs?: number;
  /** How long the `create_server` action runs. Default 10 000. */
  createActionMs?: number;
  /** From the server reaching `running` to its device appearing in the tailnet. Default 15 000. */
  joinMs?: number;
  /** How long the `delete_server` action runs (the server itself disappears at once). Default 2 000. */
  deleteMs?: number;
  /**
   * Latency added to each answer: one number for every endpoint, or per endpoint keyed by
   * `"METHOD /path-template"` relative to the API base (e.g. `"POST /servers"`,
   * `"GET /tailnet/{tailnet}/devices"`), with `"*"` as the fallback.
   */
  latencyMs?: number | Record<string, number>;
}

/**
 * Options for {@link createSimulatedCloud}.
 *
 * @example
 * ```ts
 * createSimulatedCloud({ rateLimit: { limit: 10 }, credentials: { hetznerToken: "test-token" } });
 * ```
 */
export interface SimulatorOptions {
  /** Default `"https://api.hetzner.cloud/v1"`. */
  hetznerBaseUrl?: string;
  /** Default `"https://api.tailscale.com/api/v2"`. */
  tailscaleBaseUrl?: string;
  /** Default: `createVirtualClock()` (auto-advancing virtual time). */
  clock?: SimulatedClock;
  credentials?: Partial<SimulatedCredentials>;
  timings?: SimulatorTimings;
  /** Hetzner's request bucket. Default `{ limit: 3600, refillPerSecond: 1 }`. */
  rateLimit?: { limit?: number; refillPerSecond?: number };
  /** Lifetime of OAuth access tokens. Default 3600. */
  tokenTtlSeconds?: number;
  /** The tailnet's MagicDNS suffix used for device names. Default `"tailsim.ts.net"`. */
  tailnetDnsName?: string;
  /**
   * How a booting VM whose user data asks for a boot report (`bootReport()` of
   * `@tailvm/cloud-init`) sends it: `done`, or `error` with the module that fails (a refused
   * keyring, an apt install with no signed source, `tailscale up` failing on its key). Default
   * `globalThis.fetch`; pass a receiver's handler to deliver in process. The simulated VM sends
   * it as it boots, where a real one sends it when cloud-init has finished.
   */
  bootReportFetch?: (request: Request) => Promise<Response>;
}

/**
 * A server as the simulator holds it. Times are epoch milliseconds: wall-clock time on the loopback
 * server, the virtual clock's time in process.
 *
 * @example
 * ```ts
 * const [server]: SimServer[] = sim.state.servers();
 * expect(server?.status).toBe("running");
 * ```
 */
export interface SimServer {
  id: number;
  name: string;
  status: "initializing" | "running" | "off";
  labels: Record<string, string>;
  server_type: string;
  location: string;
  image: string;
  user_data: string | null;
  /**
   * Why the server, once booted, gets no device, e.g. `"tailscale is not installed when tailscale
   * up runs: the apt source is for ubuntu but the image is debian-12 (...)"`, `"the auth key file
   * /run/tailvm/tailscale-auth-key is missing: ..."`, `"the auth key was already used"`. `null`
   * before the boot and when the device joins.
   */
  bootProblem: string | null;
  ssh_keys: string[];
  created: number;
  public_net: { ipv4: string | null; ipv6: string | null };
  /** The firewalls applied to its public interface. */
  firewalls: number[];
  /** The private networks it is attached to. */
  networks: number[];
}

/**
 * A firewall as the simulator holds it; `appliedTo` lists the servers it is applied to.
 *
 * @example
 * ```ts
 * const [firewall]: SimFirewall[] = sim.state.firewalls();
 * expect(firewall?.rules.filter((rule) => rule.direction === "in")).toEqual([]);
 * ```
 */
export interface SimFirewall {
  id: number;
  name: string;
  labels: Record<string, string>;
  rules: { direction: "in" | "out"; protocol: string; port: string | null; sourceIps: string[] }[];
  appliedTo: number[];
}

/**
 * One period of a server's life with the same public addresses and inbound ports open to the
 * internet. `open` is `["any"]` for a server with a public address and no firewall, the inbound
 * rules (`"tcp/22"`) of its firewalls otherwise, and empty when nothing is open.
 *
 * @example
 * ```ts
 * const periods: SimPublicExposure[] = sim.state.publicExposure(serverId);
 * expect(periods.flatMap((period) => period.open)).toEqual([]);
 * ```
 */
export interface SimPublicExposure {
  since: number;
  addresses: string[];
  open: string[];
}

/**
 * An auth key as the simulator holds it, including revoked and used ones.
 *
 * @example
 * ```ts
 * const keys: SimAuthKey[] = sim.state.authKeys();
 * expect(keys.filter((key) => key.valid)).toEqual([]);
 * ```
 */
export interface SimAuthKey {
  id: string;
  description: string;
  tags: string[];
  reusable: boolean;
  ephemeral: boolean;
  preauthorized: boolean;
  created: number;
  expires: number;
  /** When the key was deleted through the API, or `null`. */
  revoked: number | null;
  /** How many devices joined with it. */
  uses: number;
  /** Exists, unused or reusable, unexpired. */
  valid: boolean;
}

/**
 * A tailnet device as the simulator holds it.
 *
 * @example
 * ```ts
 * const devices: SimDevice[] = sim.state.devices();
 * expect(devices[0]?.connectedToControl).toBe(true);
 * ```
 */
export interface SimDevice {
  id: string;
  nodeId: string;
  /** The machine name the device reported (`--hostname`). */
  hostname: string;
  /** MagicDNS name, e.g. `runner-1.tailsim.ts.net` (with `-1`, `-2` when the hostname was taken). */
  name: string;
  tags: string[];
  addresses: string[];
  connectedToControl: boolean;
  created: number;
  lastSeen: number;
  ephemeral: boolean;
  /** The server it runs on. */
  serverId: number;
  /** The auth key it joined with. */
  keyId: string;
}

/**
 * One answered request.
 *
 * @example
 * ```ts
 * const posts = sim.state.requests().filter((entry: SimRequestLogEntry) => entry.method === "POST");
 * ```
 */
export interface SimRequestLogEntry {
  api: SimulatedApi;
  method: string;
  /** Path relative to the API base, without the query, e.g. `/servers/42`. */
  path: string;
  /** HTTP status; 0 when the connection was reset. */
  status: number;
  /** When the request arrived (epoch ms, on the wall clock for the loopback server). */
  time: number;
}

/**
 * Read access to the simulated world, for assertions.
 *
 * @example
 * ```ts
 * const state: SimulatedState = sim.state;
 * expect(state.servers()).toEqual([]);
 * expect(state.validAuthKeys()).toEqual([]);
 * ```
 */
export interface SimulatedState {
  /** Live servers. */
  servers(): SimServer[];
  /** All auth keys, with `valid`. */
  authKeys(): SimAuthKey[];
  validAuthKeys(): SimAuthKey[];
  /** All devices still in the tailnet. */
  devices(): SimDevice[];
  /** All firewalls. */
  firewalls(): SimFirewall[];
  /**
   * What of a server was open to the internet over its life, from its create on, including
   * after it was deleted; empty for a server id never created.
   */
  publicExposure(serverId: number): SimPublicExposure[];
  /** The ids of every server ever created, deleted ones included, for exposure checks. */
  serverIdsEverCreated(): number[];
  /** Every request answered so far, in order. */
  requests(): SimRequestLogEntry[];
  /** Forgets every resource, request, fault and token; the clock keeps running. */
  reset(): void;
}

/**
 * Where a fault applies. `path` is relative to the API base (`"/servers"`), or a RegExp tested on it.
 *
 * @example
 * ```ts
 * const target: SimulatedFaultTarget = { api: "hetzner", method: "GET", path: /^\/servers\/\d+$/, count: 2 };
 * ```
 */
export interface SimulatedFaultTarget {
  api: SimulatedApi;
  /** Any method when omitted. */
  method?: string;
  path: string | RegExp;
  /** How many matching requests it affects. Default 1. */
  count?: number;
}

/**
 * Failures a test can inject.
 *
 * @example
 * ```ts
 * sim.faults.failNext({ api: "hetzner", method: "POST", path: "/servers", status: 503 });
 * sim.faults.setUnavailable("cx23", "nbg1");
 * sim.faults.setUnavailable("cpx", "ash");
 * sim.faults.deviceNeverJoins({ hostname: "runner-1" });
 * ```
 */
export interface SimulatedFaults {
  /** The next `count` matching requests answer `status` (with `code` as Hetzner's error code). */
  failNext(options: SimulatedFaultTarget & { status: 429 | 500 | 502 | 503; code?: string }): void;
  /** The next `count` matching requests have their connection reset (fetch rejects). */
  resetConnection(options: SimulatedFaultTarget): void;
  /**
   * Puts a server type, or a whole family (`"cx"`, `"cpx"`, `"cax"`, `"ccx"`), out of stock in a
   * location: `available: false` there in `GET /server_types`, and a create there answers 412
   * `resource_unavailable`. Throws a `SimulatedCloudError` for a name or location the catalog lacks.
   */
  setUnavailable(serverType: string, location: string): void;
  /** The next action (of `command`, default `create_server`) ends in error with `code`. */
  failNextAction(options?: { command?: string; code?: string }): void;
  /** Servers created from now on (with `name`, or any) stay `initializing`. */
  serverNeverRuns(options?: { name?: string }): void;
  /** Devices (with `hostname`, or any) never join, even with a valid key. */
  deviceNeverJoins(options?: { hostname?: string }): void;
  /** The next `count` (default 1) calls to `POST /oauth/token` answer `status` (default 500). */
  tokenEndpointFails(options?: { status?: number; count?: number }): void;
  /**
   * Draws a fault for every request from now on from `schedule` (see `createFaultSchedule`), on top
   * of the faults above; `undefined` stops it. `clear()` removes it too.
   */
  useSchedule(schedule: FaultSchedule | undefined): void;
  /** Removes every fault. */
  clear(): void;
}

/**
 * Everything `provisionVM()` needs to talk to the simulator, shaped like `@tailvm/provisioner`'s
 * `ProvisionContext`: spread it into the context you pass.
 *
 * @example
 * ```ts
 * const sim = createSimulatedCloud();
 * await provisionVM({ agentId: "a1" }, { ...sim.context(), logger: myLogger });
 * ```
 */
export interface SimulatedContext {
  hetzner: { token: string; baseUrl: string; fetch: typeof fetch };
  tailscale: {
    auth: { apiKey: string } | { oauthClientId: string; oauthClientSecret: string };
    baseUrl: string;
    fetch: typeof fetch;
  };
  /** The simulator's own clock: without it, servers boot on a time that never moves. */
  clock: SimulatedClock;
}

/**
 * Options of {@link SimulatedCloud.context}.
 *
 * @example
 * ```ts
 * const context = sim.context({ tailscaleAuth: "oauth" });
 * ```
 */
export interface SimulatedContextOptions {
  /**
   * `"api-key"` (the default) authenticates with the simulated API key; `"oauth"` with the
   * simulated OAuth client, which, as in Tailscale, may only mint keys that carry tags.
   */
  tailscaleAuth?: "api-key" | "oauth";
}

/**
 * An in-process simulation of Hetzner Cloud and Tailscale.
 *
 * @example
 * ```ts
 * const sim: SimulatedCloud = createSimulatedCloud();
 * const response = await sim.fetch(`${sim.hetznerUrl}/server_types`, {
 *   headers: { Authorization: `Bearer ${sim.credentials.hetznerToken}` },
 * });
 * ```
 */
export interface SimulatedCloud {
  /**
   * Routes a request through the simulator without patching globals. For MSW, see
   * `createMswHandlers` from `@tailvm/testing/msw`.
   */
  fetch: typeof fetch;
  hetznerUrl: string;
  tailscaleUrl: string;
  credentials: SimulatedCredentials;
  clock: SimulatedClock;
  state: SimulatedState;
  faults: SimulatedFaults;
  /** The credentials, base URLs, `fetch` and clock to give `provisionVM()`. */
  context(options?: SimulatedContextOptions): SimulatedContext;
}
