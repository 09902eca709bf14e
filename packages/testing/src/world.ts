import { randomBytes } from "node:crypto";
import { createRateLimitBucket, type RateLimitBucket } from "./rate-limit-bucket.js";
import { type BootModule, readUserData, type TailscaleBootPlan } from "./read-user-data.js";
import { hasWayOut, sendBootReport, simulatedBootReport } from "./simulated-boot-report.js";
import type { SimRequestLogEntry, SimServer } from "./types.js";
import type {
  ActionRecord,
  DeviceRecord,
  ExposureRecord,
  FirewallRecord,
  KeyRecord,
  NetworkRecord,
  ServerRecord,
  SshKeyRecord,
  WorldConfig,
  WorldFaults,
} from "./world-records.js";

export type * from "./world-records.js";

/** Why a booted server gets no device, and the module that fails because of it, if one does. */
interface NoJoin {
  problem: string;
  failing?: BootModule | undefined;
}

interface PendingJoin {
  at: number;
  serverId: number;
  hostname: string;
  tags: string[];
  key: KeyRecord;
}

/** The simulated world: every resource of both clouds, advanced lazily to the clock's time. */
export interface World {
  readonly config: WorldConfig;
  readonly servers: Map<number, ServerRecord>;
  readonly actions: Map<number, ActionRecord>;
  readonly keys: Map<string, KeyRecord>;
  readonly devices: Map<string, DeviceRecord>;
  readonly sshKeys: Map<number, SshKeyRecord>;
  readonly firewalls: Map<number, FirewallRecord>;
  readonly networks: Map<number, NetworkRecord>;
  /** Each server's public exposure over its life, kept after it is deleted. */
  readonly exposure: Map<number, ExposureRecord[]>;
  readonly tokens: Map<string, number>;
  readonly requestLog: SimRequestLogEntry[];
  readonly faults: WorldFaults;
  rateLimit: RateLimitBucket;
  /** Applies every boot and join due up to `now`, in time order. */
  settle(now: number): void;
  /** Whether something (an action, a boot, a join) is still to happen after `now`. */
  hasPendingWork(now: number): boolean;
  nextServerId(): number;
  nextActionId(): number;
  nextSshKeyId(): number;
  nextFirewallId(): number;
  nextNetworkId(): number;
  createAction(
    command: string,
    resources: { id: number; type: string }[],
    durationMs: number | null,
  ): ActionRecord;
  /** Takes a matching `failNextAction` fault, if any. */
  takeActionFault(command: string): { code: string } | undefined;
  assignAddresses(): { ipv4: string; ipv6: string };
  createKey(input: Omit<KeyRecord, "id" | "secret" | "created" | "revoked" | "uses">): KeyRecord;
  isKeyValid(key: KeyRecord, at: number): boolean;
  serverStatus(server: ServerRecord, now: number): SimServer["status"];
  actionStatus(action: ActionRecord, now: number): "running" | "success" | "error";
  deleteServer(server: ServerRecord, now: number): ActionRecord;
  reset(): void;
}

/** Ids counting up from `base + 1`, one a call. */
function idSequence(base: number): () => number {
  let count = 0;
  return () => {
    count += 1;
    return base + count;
  };
}

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

function magicDnsLabel(hostname: string): string {
  const label = hostname
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return label === "" ? "device" : label.slice(0, 63);
}

/**
 * Creates the simulated world.
 *
 * @example
 * ```ts
 * const world = createWorld({ clock, timings, rateLimit, tokenTtlSeconds: 3600, tailnetDnsName: "tailsim.ts.net" });
 * world.settle(clock.now());
 * ```
 */
export function createWorld(config: WorldConfig): World {
  let keyCounter = 0;
  let deviceCounter = 0;
  let addressCounter = 0;
  let pendingJoins: PendingJoin[] = [];

  const emptyFaults = (): WorldFaults => ({
    failNext: [],
    resetConnection: [],
    unavailable: new Set(),
    failNextAction: [],
    serverNeverRuns: [],
    deviceNeverJoins: [],
    tokenEndpoint: undefined,
    schedule: undefined,
  });

  const world: World = {
    config,
    servers: new Map(),
    actions: new Map(),
    keys: new Map(),
    devices: new Map(),
    sshKeys: new Map(),
    firewalls: new Map(),
    networks: new Map(),
    exposure: new Map(),
    tokens: new Map(),
    requestLog: [],
    faults: emptyFaults(),
    rateLimit: createRateLimitBucket({ ...config.rateLimit, now: config.clock.now() }),

    settle(now) {
      for (;;) {
        let bootServer: ServerRecord | undefined;
        for (const server of world.servers.values()) {
          if (server.booted || server.runningAt === null || server.runningAt > now) continue;
          if (!bootServer || (bootServer.runningAt ?? 0) > server.runningAt) bootServer = server;
        }
        let join: PendingJoin | undefined;
        for (const candidate of pendingJoins) {
          if (candidate.at <= now && (!join || candidate.at < join.at)) join = candidate;
        }
        if (bootServer && (!join || (bootServer.runningAt ?? 0) <= join.at)) {
          boot(bootServer, bootServer.runningAt ?? now);
        } else if (join) {
          const done = join;
          pendingJoins = pendingJoins.filter((candidate) => candidate !== done);
          registerDevice(done);
        } else {
          break;
        }
      }
      for (const device of world.devices.values()) {
        if (device.connected) device.lastSeen = now;
      }
    },

    hasPendingWork(now) {
      for (const action of world.actions.values()) {
        if (action.finishesAt === null || action.finishesAt > now) return true;
      }
      for (const server of world.servers.values()) {
        if (server.runningAt !== null && !server.booted) return true;
      }
      return pendingJoins.length > 0;
    },

    nextServerId: idSequence(4_200_000),
    nextActionId: idSequence(9_100_000),
    nextSshKeyId: idSequence(2_300),

    nextFirewallId: idSequence(1_500_000),
    nextNetworkId: idSequence(3_400_000),

    createAction(command, resources, durationMs) {
      const started = config.clock.now();
      const fault = world.takeActionFault(command);
      const action: ActionRecord = {
        id: world.nextActionId(),
        command,
        started,
        finishesAt: durationMs === null ? null : started + durationMs,
        error: fault
          ? { code: fault.code, message: `action ${command} failed (simulated fault)` }
          : null,
        resources,
      };
      if (fault && action.finishesAt === null) action.finishesAt = started;
      world.actions.set(action.id, action);
      return action;
    },

    takeActionFault(command) {
      const index = world.faults.failNextAction.findIndex((fault) => fault.command === command);
      if (index < 0) return undefined;
      const [fault] = world.faults.failNextAction.splice(index, 1);
      return fault;
    },

    assignAddresses() {
      addressCounter += 1;
      const n = addressCounter;
      return {
        ipv4: `116.203.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`,
        ipv6: `2a01:4f8:c012:${n.toString(16)}::/64`,
      };
    },

    createKey(input) {
      keyCounter += 1;
      const id = `k${String(keyCounter).padStart(6, "0")}SIM`;
      const key: KeyRecord = {
        ...input,
        id,
        secret: `tskey-auth-${id}-${randomHex(16)}`,
        created: config.clock.now(),
        revoked: null,
        uses: 0,
      };
      world.keys.set(id, key);
      return key;
    },

    isKeyValid(key, at) {
      return key.revoked === null && key.expires > at && (key.reusable || key.uses === 0);
    },

    serverStatus(server, now) {
      if (server.runningAt !== null && now >= server.runningAt) return "running";
      if (server.offAt !== null && now >= server.offAt) return "off";
      return "initializing";
    },

    actionStatus(action, now) {
      if (action.finishesAt === null || now < action.finishesAt) return "running";
      return action.error ? "error" : "success";
    },

    deleteServer(server, now) {
      const action = world.createAction(
        "delete_server",
        [{ id: server.id, type: "server" }],
        config.timings.deleteMs,
      );
      if (action.error) return action;
      world.servers.delete(server.id);
      pendingJoins = pendingJoins.filter((join) => join.serverId !== server.id);
      for (const device of [...world.devices.values()]) {
        if (device.serverId !== server.id) continue;
        device.connected = false;
        device.lastSeen = now;
        if (device.ephemeral) world.devices.delete(device.id);
      }
      return action;
    },

    reset() {
      world.servers.clear();
      world.actions.clear();
      world.keys.clear();
      world.devices.clear();
      world.sshKeys.clear();
      world.firewalls.clear();
      world.networks.clear();
      world.exposure.clear();
      world.tokens.clear();
      world.requestLog.length = 0;
      Object.assign(world.faults, emptyFaults());
      world.rateLimit.reset(config.clock.now());
      pendingJoins = [];
    },
  };

  function boot(server: ServerRecord, at: number): void {
    server.booted = true;
    const plan = readUserData(server.userData, { image: server.image.name });
    const join = joinOf(server, plan, at);
    const report = simulatedBootReport(server, plan, {
      problem: "problem" in join ? join.problem : undefined,
      failing: "problem" in join ? join.failing : undefined,
      uptimeMs: config.timings.bootMs + ("problem" in join ? 0 : config.timings.joinMs),
    });
    if (report && plan.bootReport) {
      sendBootReport(config.bootReportFetch ?? globalThis.fetch, plan.bootReport, report);
    }
    if ("problem" in join) {
      server.bootProblem = join.problem;
      return;
    }
    pendingJoins.push(join);
  }

  /**
   * The join a booting server starts, or why it never joins and, when `tailscale up` exits
   * because of the key, the module that runs it (the VM's boot report names it).
   */
  function joinOf(server: ServerRecord, plan: TailscaleBootPlan, at: number): PendingJoin | NoJoin {
    if (!hasWayOut(server)) {
      return {
        problem: "the server has no public IP and no private network: it cannot reach the tailnet",
      };
    }
    if (plan.authKey === undefined) {
      return { problem: plan.problem ?? "tailscale up is given no auth key" };
    }
    const hostname = plan.hostname ?? server.name;
    const blocked = world.faults.deviceNeverJoins.some(
      (fault) => fault.hostname === undefined || fault.hostname === hostname,
    );
    if (blocked) return { problem: "the device never joins (deviceNeverJoins fault)" };
    const key = [...world.keys.values()].find((candidate) => candidate.secret === plan.authKey);
    const refusal = keyRefusal(key, plan.tags, at);
    if (!key || refusal !== undefined) {
      return { problem: refusal ?? "the auth key is unknown", failing: plan.tailscaleUpIn };
    }
    const tags = plan.tags.length > 0 ? plan.tags : [...key.tags];
    return { at: at + config.timings.joinMs, serverId: server.id, hostname, tags, key };
  }

  /** Why Tailscale refuses `key` for a device with `tags` at `at`, if it does. */
  function keyRefusal(key: KeyRecord | undefined, tags: string[], at: number): string | undefined {
    if (!key) return "the auth key is unknown to the tailnet";
    if (key.revoked !== null) return "the auth key was revoked";
    if (key.expires <= at) return "the auth key expired";
    if (!world.isKeyValid(key, at)) return "the auth key was already used";
    const refused = tags.filter((tag) => !key.tags.includes(tag));
    if (key.tags.length > 0 && refused.length > 0) {
      return `the auth key does not allow the tags ${refused.join(", ")}`;
    }
    return undefined;
  }

  /**
   * The node registers with the key when `tailscale up` runs, at the end of the join: a key
   * revoked (or used by another node) since the boot began is refused then, as Tailscale's
   * control server refuses it, and nothing joins.
   */
  function registerDevice(join: PendingJoin): void {
    const server = world.servers.get(join.serverId);
    if (!server) return;
    const refusal = keyRefusal(join.key, join.tags, join.at);
    if (refusal !== undefined) {
      server.bootProblem = refusal;
      return;
    }
    join.key.uses += 1;
    deviceCounter += 1;
    const n = deviceCounter;
    const base = magicDnsLabel(join.hostname);
    const taken = new Set([...world.devices.values()].map((device) => device.name));
    let label = base;
    for (let suffix = 1; taken.has(`${label}.${config.tailnetDnsName}`); suffix += 1) {
      label = `${base}-${suffix}`;
    }
    const device: DeviceRecord = {
      id: String(7_000_000_000_000_000 + n * 7919),
      nodeId: `n${randomHex(5)}CNTRL`,
      hostname: join.hostname,
      name: `${label}.${config.tailnetDnsName}`,
      tags: join.tags,
      addresses: [
        `100.${64 + (Math.floor(n / 65_536) % 64)}.${Math.floor(n / 256) % 256}.${n % 256}`,
        `fd7a:115c:a1e0::${n.toString(16)}`,
      ],
      created: join.at,
      lastSeen: join.at,
      connected: true,
      ephemeral: join.key.ephemeral,
      serverId: join.serverId,
      keyId: join.key.id,
      machineKey: `mkey:${randomHex(32)}`,
      nodeKey: `nodekey:${randomHex(32)}`,
    };
    world.devices.set(device.id, device);
  }

  return world;
}
