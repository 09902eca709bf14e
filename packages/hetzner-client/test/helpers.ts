import { inspect } from "node:util";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import type { Clock } from "../src/clock";
import type { Action, Server } from "../src/types";

export const BASE_URL = "https://api.hetzner.cloud/v1";
export const TOKEN = "hcloud-secret-token-0123456789abcdefghijklmnopqrstuvwxyz";

/** A clock the test drives: records every requested sleep. */
export interface ManualClock extends Clock {
  /** Every `sleep(ms)` requested, in order. */
  readonly sleeps: number[];
  /** Sleeps not yet resolved or aborted. */
  readonly pending: number;
  /** Moves time forward and resolves the sleeps that are due. */
  advance(ms: number): void;
}

/** Event-loop turns without clock activity after which an auto-advancing clock jumps ahead. */
const IDLE_TURNS = 10;

/**
 * A virtual clock. With `autoAdvance` (the default), whenever sleeps are pending and the clock has
 * seen no activity for a few event-loop turns, time jumps to the earliest wake-up and the sleeps
 * due by then resolve, so a long sleep pending in the background (a wait's deadline) does not make
 * time jump early. Without it, sleeps wait for `advance()` or for their signal to abort.
 */
export function createManualClock(
  options: { start?: number; autoAdvance?: boolean } = {},
): ManualClock {
  let now = options.start ?? 1_750_000_000_000;
  const autoAdvance = options.autoAdvance ?? true;
  const sleeps: number[] = [];
  const waiting: { wakeAt: number; resolve: () => void }[] = [];
  let activity = 0;
  let checking = false;

  const wakeDue = () => {
    const due = waiting
      .filter((entry) => entry.wakeAt <= now)
      .sort((first, second) => first.wakeAt - second.wakeAt);
    for (const sleeper of due) {
      waiting.splice(waiting.indexOf(sleeper), 1);
      sleeper.resolve();
    }
  };

  const scheduleIdleCheck = () => {
    if (!autoAdvance || checking) return;
    checking = true;
    const seen = activity;
    let turns = 0;
    const step = () => {
      if (activity !== seen) {
        checking = false;
        if (waiting.length > 0) scheduleIdleCheck();
        return;
      }
      if (++turns < IDLE_TURNS) {
        setImmediate(step);
        return;
      }
      checking = false;
      const earliest = Math.min(...waiting.map((entry) => entry.wakeAt));
      if (!Number.isFinite(earliest)) return;
      now = Math.max(now, earliest);
      activity++;
      wakeDue();
      if (waiting.length > 0) scheduleIdleCheck();
    };
    setImmediate(step);
  };

  return {
    sleeps,
    get pending() {
      return waiting.length;
    },
    now: () => now,
    advance(ms) {
      now += ms;
      activity++;
      wakeDue();
    },
    sleep(ms, signal) {
      sleeps.push(ms);
      if (signal?.aborted) return Promise.reject(signal.reason);
      activity++;
      return new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const index = waiting.indexOf(entry);
          if (index >= 0) waiting.splice(index, 1);
          activity++;
          reject(signal?.reason);
        };
        const entry = {
          wakeAt: now + Math.max(0, ms),
          resolve: () => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          },
        };
        waiting.push(entry);
        signal?.addEventListener("abort", onAbort, { once: true });
        scheduleIdleCheck();
      });
    },
  };
}

/** The MSW server every test file shares; unhandled requests fail the test. */
export function createMockServer() {
  return setupServer();
}

export function errorBody(code: string, message: string, details: unknown = null) {
  return { error: { code, message, details } };
}

export function errorResponse(status: number, code: string, message = `${code} happened`) {
  return HttpResponse.json(errorBody(code, message), { status });
}

export function action(
  id: number,
  status: Action["status"],
  error: Action["error"] = null,
): Action {
  return {
    id,
    command: "create_server",
    status,
    started: "2026-01-01T00:00:00+00:00",
    finished: status === "running" ? null : "2026-01-01T00:00:30+00:00",
    progress: status === "running" ? 50 : 100,
    resources: [{ id: 42, type: "server" }],
    error,
  };
}

export function server(id: number, name: string, labels: Record<string, string> = {}): Server {
  return {
    id,
    name,
    status: "running",
    created: "2026-01-01T00:00:00+00:00",
    public_net: {
      ipv4: { id: 1, ip: "203.0.113.10", blocked: false, dns_ptr: "static.example" },
      ipv6: null,
      floating_ips: [],
    },
    private_net: [],
    server_type: {
      id: 1,
      name: "cx23",
      description: "CX23",
      cores: 2,
      memory: 4,
      disk: 40,
      deprecated: false,
      prices: [],
      storage_type: "local",
      cpu_type: "shared",
      architecture: "x86",
      locations: [],
    },
    location: {
      id: 1,
      name: "nbg1",
      description: "Nuremberg DC Park 1",
      country: "DE",
      city: "Nuremberg",
      latitude: 49.45,
      longitude: 11.07,
      network_zone: "eu-central",
    },
    image: null,
    iso: null,
    rescue_enabled: false,
    locked: false,
    backup_window: null,
    outgoing_traffic: 0,
    ingoing_traffic: 0,
    included_traffic: 0,
    protection: { delete: false, rebuild: false },
    labels,
    primary_disk_size: 40,
  };
}

export function pagination(page: number, lastPage: number) {
  return {
    pagination: {
      page,
      per_page: 50,
      previous_page: page > 1 ? page - 1 : null,
      next_page: page < lastPage ? page + 1 : null,
      last_page: lastPage,
      total_entries: null,
    },
  };
}

/** Every string an error exposes: message, stack, JSON and the whole cause chain. */
export function everythingIn(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    parts.push(String(current));
    if (current instanceof Error) {
      parts.push(current.message, current.stack ?? "");
      parts.push(JSON.stringify(current));
      parts.push(JSON.stringify(Object.entries(current)));
      current = current.cause;
    } else {
      parts.push(JSON.stringify(current) ?? "");
      current = undefined;
    }
  }
  return parts.join("\n");
}

export { HttpResponse, http };

/**
 * Every string reachable from `value`: `util.inspect` with unlimited depth and hidden properties,
 * `JSON.stringify`, and a walk over every own property (symbols and non-enumerable ones included)
 * that also reads the headers and URL of any `Request`, `Response` or `Headers` on the way.
 */
export function everythingReachable(value: unknown): string {
  const parts = [inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true })];
  try {
    parts.push(JSON.stringify(value) ?? "");
  } catch {
    // A cycle: the walk below still covers everything.
  }
  const seen = new Set<unknown>();
  const walk = (current: unknown): void => {
    if (typeof current === "string") {
      parts.push(current);
      return;
    }
    if ((typeof current !== "object" && typeof current !== "function") || current === null) return;
    if (seen.has(current)) return;
    seen.add(current);
    if (current instanceof Headers) {
      for (const [name, headerValue] of current) parts.push(`${name}: ${headerValue}`);
    }
    if (current instanceof Request || current instanceof Response) {
      parts.push(current.url);
      walk(current.headers);
    }
    for (const key of Reflect.ownKeys(current)) {
      const descriptor = Object.getOwnPropertyDescriptor(current, key);
      if (descriptor && "value" in descriptor) walk(descriptor.value);
    }
  };
  walk(value);
  return parts.join("\n");
}
