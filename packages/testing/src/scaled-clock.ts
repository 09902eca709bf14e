import type { SimulatedClock } from "./clock.js";
import { SimulatedCloudError } from "./errors.js";

/**
 * Options for {@link createScaledClock}.
 *
 * @example
 * ```ts
 * const options: ScaledClockOptions = { scale: 100 };
 * ```
 */
export interface ScaledClockOptions {
  /** How many simulated milliseconds pass per real millisecond, e.g. 100: 40 s of cloud time in 400 ms. */
  scale: number;
  /** Simulated start time in milliseconds since the epoch. Default: `Date.now()`. */
  start?: number;
}

interface PendingSleep {
  wakeAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  resolve: () => void;
}

/**
 * A clock on real time sped up by `scale`, for demos and benchmarks that talk to the simulator
 * over real HTTP. `advance(ms)` skips simulated time forward on top of the scaling.
 *
 * @example
 * ```ts
 * const clock = createScaledClock({ scale: 100 });
 * await clock.sleep(40_000); // about 400 ms of real time
 * ```
 */
export function createScaledClock(options: ScaledClockOptions): SimulatedClock {
  if (!(options.scale > 0) || !Number.isFinite(options.scale)) {
    throw new SimulatedCloudError(
      `createScaledClock: scale must be a positive finite number (got ${String(options.scale)}).`,
    );
  }
  const scale = options.scale;
  const realStart = performance.now();
  const start = options.start ?? Date.now();
  let offset = 0;
  const pending = new Set<PendingSleep>();

  const now = () => start + (performance.now() - realStart) * scale + offset;

  const arm = (entry: PendingSleep) => {
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    const remaining = entry.wakeAt - now();
    if (remaining <= 0) {
      entry.timer = undefined;
      pending.delete(entry);
      entry.resolve();
      return;
    }
    entry.timer = setTimeout(() => arm(entry), Math.ceil(remaining / scale));
  };

  return {
    now: () => Math.floor(now()),
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = () => {
          if (entry.timer !== undefined) clearTimeout(entry.timer);
          pending.delete(entry);
          reject(signal?.reason);
        };
        const entry: PendingSleep = {
          wakeAt: now() + Math.max(0, ms),
          timer: undefined,
          resolve: () => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          },
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        pending.add(entry);
        arm(entry);
      });
    },
    async advance(ms) {
      offset += Math.max(0, ms);
      for (const entry of [...pending]) arm(entry);
    },
  };
}
