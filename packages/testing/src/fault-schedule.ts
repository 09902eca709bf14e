import { SimulatedCloudError } from "./errors.js";
import type { SimulatedApi } from "./types.js";

/**
 * What a fault schedule can do to one request.
 *
 * - `rate-limit`: 429 with `RateLimit-Reset` (Hetzner) or `Retry-After` (Tailscale) `resetSeconds` ahead.
 * - `server-error`: a 500, 502 or 503 answer; nothing is applied.
 * - `hang`: the answer never comes; the request ends only when its signal aborts (or after `hangMs`,
 *   as a reset).
 * - `reset`: the connection is reset before the request is applied.
 * - `slow`: the answer comes `slowMs` late.
 * - `applied-then-error` / `applied-then-reset`: a `POST` is applied, and then answered with a 5xx,
 *   or its connection dropped.
 * - `action-error`: a `POST /servers` whose `create_server` action ends in `error`.
 * - `device-never-joins`: a `POST /servers` whose server boots but whose device never joins.
 * - `token-revoked`: the OAuth access token a Tailscale request carries is revoked just before it
 *   arrives (401).
 */
export type ScheduledFaultKind =
  | "rate-limit"
  | "server-error"
  | "hang"
  | "reset"
  | "slow"
  | "applied-then-error"
  | "applied-then-reset"
  | "action-error"
  | "device-never-joins"
  | "token-revoked";

/**
 * One fault a schedule chose, with the request it hit.
 *
 * @example
 * ```ts
 * const fault: ScheduledFault = { kind: "server-error", status: 502, api: "hetzner", method: "GET", route: "/servers/{id}", sequence: 7 };
 * ```
 */
export interface ScheduledFault {
  kind: ScheduledFaultKind;
  api: SimulatedApi;
  method: string;
  /** The route template (`/servers/{id}`), or the literal path outside the simulated routes. */
  route: string;
  /** Which request of the run it was, counting from 0. */
  sequence: number;
  /** For `server-error` and `applied-then-error`. */
  status?: 500 | 502 | 503;
  /** For `rate-limit`. */
  resetSeconds?: number;
  /** For `slow`. */
  slowMs?: number;
}

/**
 * Options of {@link createFaultSchedule}.
 *
 * @example
 * ```ts
 * const options: FaultScheduleOptions = { seed: 42, rate: 0.2, weights: { hang: 0 } };
 * ```
 */
export interface FaultScheduleOptions {
  /** The seed of the schedule's PRNG: the same seed and the same requests give the same faults. */
  seed: number;
  /** The share of requests that get a fault, from 0 to 1. Default 0.1. */
  rate?: number;
  /** Relative weights of the kinds; a kind weighted 0 never happens. Default 1 each. */
  weights?: Partial<Record<ScheduledFaultKind, number>>;
  /** How late a `slow` answer comes, at most. Default 5 000 simulated ms. */
  maxSlowMs?: number;
  /** How long a `hang` lasts when the request has no signal. Default 600 000 simulated ms. */
  hangMs?: number;
  /** Which requests may get a fault. Default every request. */
  applies?: (request: { api: SimulatedApi; method: string; route: string }) => boolean;
}

/**
 * A seeded random fault schedule, given to a simulated cloud with `sim.faults.useSchedule()`.
 * Print `seed` with a failing run to replay it exactly.
 *
 * @example
 * ```ts
 * const schedule = createFaultSchedule({ seed: 7, rate: 0.2 });
 * sim.faults.useSchedule(schedule);
 * // ... run the code under test, then:
 * console.log(`seed ${schedule.seed}: ${schedule.injected().length} faults`);
 * ```
 */
export interface FaultSchedule {
  readonly seed: number;
  readonly hangMs: number;
  /** Draws the fault for the next request, or `undefined` when it goes through untouched. */
  next(request: { api: SimulatedApi; method: string; route: string }): ScheduledFault | undefined;
  /** Every fault drawn so far, in order. */
  injected(): ScheduledFault[];
  /** How many faults of each kind were drawn. */
  counts(): Record<ScheduledFaultKind, number>;
}

/** Every kind of fault a schedule injects, in the order its weights and counts list them. */
export const FAULT_KINDS: readonly ScheduledFaultKind[] = [
  "rate-limit",
  "server-error",
  "hang",
  "reset",
  "slow",
  "applied-then-error",
  "applied-then-reset",
  "action-error",
  "device-never-joins",
  "token-revoked",
];

const ERROR_STATUSES = [500, 502, 503] as const;

/** mulberry32: a small, fast 32-bit PRNG; plenty for fault schedules, not for anything secret. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function fitsRequest(
  kind: ScheduledFaultKind,
  request: { api: SimulatedApi; method: string; route: string },
): boolean {
  const serverCreate =
    request.api === "hetzner" && request.method === "POST" && request.route === "/servers";
  switch (kind) {
    case "applied-then-error":
    case "applied-then-reset":
      return request.method === "POST" && request.route !== "/oauth/token";
    case "action-error":
    case "device-never-joins":
      return serverCreate;
    case "token-revoked":
      return request.api === "tailscale" && request.route !== "/oauth/token";
    default:
      return true;
  }
}

function checkOptions(options: FaultScheduleOptions) {
  if (!Number.isInteger(options.seed)) {
    throw new SimulatedCloudError(
      `createFaultSchedule: seed must be an integer (got ${String(options.seed)}).`,
    );
  }
  const rate = options.rate ?? 0.1;
  if (typeof rate !== "number" || !(rate >= 0 && rate <= 1)) {
    throw new SimulatedCloudError(
      `createFaultSchedule: rate must be a number from 0 to 1 (got ${String(options.rate)}).`,
    );
  }
  for (const [kind, weight] of Object.entries(options.weights ?? {})) {
    if (!FAULT_KINDS.includes(kind as ScheduledFaultKind)) {
      throw new SimulatedCloudError(
        `createFaultSchedule: weights.${kind} is not a fault kind (${FAULT_KINDS.join(", ")}).`,
      );
    }
    if (typeof weight !== "number" || !(weight >= 0) || !Number.isFinite(weight)) {
      throw new SimulatedCloudError(
        `createFaultSchedule: weights.${kind} must be a finite number >= 0 (got ${String(weight)}).`,
      );
    }
  }
  return rate;
}

/**
 * Creates a seeded random fault schedule. For each request it draws, from the seed alone, whether a
 * fault hits it and which of the kinds that fit the request (see {@link ScheduledFaultKind}).
 *
 * @example
 * ```ts
 * const sim = createSimulatedCloud();
 * const schedule = createFaultSchedule({ seed: 1234, rate: 0.2 });
 * sim.faults.useSchedule(schedule);
 * ```
 */
export function createFaultSchedule(options: FaultScheduleOptions): FaultSchedule {
  const rate = checkOptions(options);
  const random = mulberry32(options.seed);
  const maxSlowMs = options.maxSlowMs ?? 5_000;
  const weights = FAULT_KINDS.map((kind) => options.weights?.[kind] ?? 1);
  const injected: ScheduledFault[] = [];
  let sequence = 0;

  return {
    seed: options.seed,
    hangMs: options.hangMs ?? 600_000,
    next(request) {
      const current = sequence++;
      if (options.applies && !options.applies(request)) return undefined;
      if (random() >= rate) return undefined;
      const fitting = FAULT_KINDS.map((kind, index) =>
        fitsRequest(kind, request) ? (weights[index] ?? 0) : 0,
      );
      const total = fitting.reduce((sum, weight) => sum + weight, 0);
      if (total <= 0) return undefined;
      let pick = random() * total;
      const index = fitting.findIndex((weight) => {
        pick -= weight;
        return pick < 0 && weight > 0;
      });
      const kind =
        FAULT_KINDS[index === -1 ? fitting.findLastIndex((weight) => weight > 0) : index];
      if (kind === undefined) return undefined;
      const fault: ScheduledFault = { kind, ...request, sequence: current };
      const status = ERROR_STATUSES[Math.floor(random() * ERROR_STATUSES.length)] ?? 503;
      if (kind === "server-error" || kind === "applied-then-error") fault.status = status;
      if (kind === "rate-limit") fault.resetSeconds = 1 + Math.floor(random() * 10);
      if (kind === "slow") fault.slowMs = 1 + Math.floor(random() * maxSlowMs);
      injected.push(fault);
      return fault;
    },
    injected: () => [...injected],
    counts() {
      const counts = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<
        ScheduledFaultKind,
        number
      >;
      for (const fault of injected) counts[fault.kind] += 1;
      return counts;
    },
  };
}
