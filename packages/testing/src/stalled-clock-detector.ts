import type { VirtualClock } from "@tailvm/internal/test";
import type { SimulatedClock } from "./types.js";
import type { World } from "./world.js";

/** Notices a caller that polls the simulator while waiting on some other clock. */
export interface StalledClockDetector {
  /** Why the caller is stuck, when this request shows it; otherwise `undefined`. */
  check(request: { api: string; method: string; path: string; query: string }): string | undefined;
  reset(): void;
}

/** The same poll, answered this often at one frozen simulated instant, means nobody moves time. */
const STALLED_POLLS = 3;

function isVirtualClock(clock: SimulatedClock): clock is SimulatedClock & VirtualClock {
  const candidate = clock as Partial<VirtualClock>;
  return Array.isArray(candidate.sleeps) && typeof candidate.pending === "number";
}

/**
 * On a virtual clock, time only moves when someone sleeps on it. When the same GET keeps arriving
 * while the clock stands still, nothing sleeps on it, and the world still waits for a boot, an
 * action or a join, the caller is waiting on another clock (a real one, or its own virtual one):
 * its servers never boot. Say so at once instead of letting it time out.
 *
 * @example
 * ```ts
 * const detector = createStalledClockDetector({ clock, world });
 * const problem = detector.check({ api: "hetzner", method: "GET", path: "/actions/1", query: "" });
 * ```
 */
export function createStalledClockDetector(options: {
  clock: SimulatedClock;
  world: World;
}): StalledClockDetector {
  const { clock, world } = options;
  let lastNow = Number.NaN;
  let lastSleeps = -1;
  const polls = new Map<string, number>();

  return {
    check({ api, method, path, query }) {
      if (!isVirtualClock(clock)) return undefined;
      const now = clock.now();
      if (now !== lastNow || clock.sleeps.length !== lastSleeps) {
        lastNow = now;
        lastSleeps = clock.sleeps.length;
        polls.clear();
      }
      if (method !== "GET" || clock.pending > 0 || !world.hasPendingWork(now)) return undefined;
      const key = `${api} ${path}?${query}`;
      const count = (polls.get(key) ?? 0) + 1;
      polls.set(key, count);
      if (count < STALLED_POLLS) return undefined;
      return `GET ${path} was asked ${count} times while the simulated cloud's clock stood still and nothing slept on it: the caller waits on another clock (a real one?), so the simulated servers never boot. Give the caller the simulator's clock: clock: sim.clock (or spread ...sim.context() into provisionVM's context).`;
    },
    reset() {
      lastNow = Number.NaN;
      lastSleeps = -1;
      polls.clear();
    },
  };
}
