import { SimulatedCloudError } from "./errors.js";
import type { SimulatedClock } from "./types.js";

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

/**
 * A {@link SimulatedClock} on real time sped up `scale` times, that can say when a simulated
 * moment happens on the wall clock.
 *
 * @example
 * ```ts
 * const clock: ScaledClock = createScaledClock({ scale: 100 });
 * const boot = clock.now() + 40_000;
 * new Date(clock.wallTime(boot)); // about 400 ms from now
 * ```
 */
export interface ScaledClock extends SimulatedClock {
  /** Simulated milliseconds per real millisecond. */
  readonly scale: number;
  /**
   * The wall-clock time (epoch ms, as a process outside sees it) at which simulated time `time` is,
   * was or will be reached. A moment skipped by `advance` maps to the real moment of the skip.
   */
  wallTime(time: number): number;
}

interface PendingSleep {
  wakeAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  resolve: () => void;
}

/** From `realElapsed` (real ms since the start) on, simulated time is ahead by `offset`. */
interface Segment {
  realElapsed: number;
  offset: number;
}

/**
 * A clock on real time sped up by `scale`, for demos, benchmarks and other processes that talk to
 * the simulator over real HTTP. `advance(ms)` skips simulated time forward on top of the scaling.
 *
 * @example
 * ```ts
 * const clock = createScaledClock({ scale: 100 });
 * await clock.sleep(40_000); // about 400 ms of real time
 * ```
 */
export function createScaledClock(options: ScaledClockOptions): ScaledClock {
  if (!(options.scale > 0) || !Number.isFinite(options.scale)) {
    throw new SimulatedCloudError(
      `createScaledClock: scale must be a positive finite number (got ${String(options.scale)}).`,
    );
  }
  const scale = options.scale;
  const realStart = performance.now();
  const wallStart = Date.now();
  const start = options.start ?? wallStart;
  const segments: Segment[] = [{ realElapsed: 0, offset: 0 }];
  const pending = new Set<PendingSleep>();

  const elapsed = () => performance.now() - realStart;
  const offset = () => segments.at(-1)?.offset ?? 0;
  const now = () => start + elapsed() * scale + offset();

  const realElapsedAt = (time: number): number => {
    for (const [index, segment] of segments.entries()) {
      const from = start + segment.realElapsed * scale + segment.offset;
      if (time < from) return index === 0 ? (time - start) / scale : segment.realElapsed;
      const next = segments[index + 1];
      if (!next || time < start + next.realElapsed * scale + segment.offset) {
        return (time - start - segment.offset) / scale;
      }
    }
    return (time - start - offset()) / scale;
  };

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
    scale,
    now: () => Math.floor(now()),
    wallTime: (time) => wallStart + realElapsedAt(time),
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
      if (ms > 0) segments.push({ realElapsed: elapsed(), offset: offset() + ms });
      for (const entry of [...pending]) arm(entry);
    },
  };
}

/**
 * The wall-clock face of a scaled clock: `now()` is the wall-clock time (as the timestamps of the
 * loopback server are), while `sleep` and `advance` take simulated milliseconds, which pass
 * `scale` times faster. A 40 s wait ends after 400 ms at scale 100, and `now()` has moved 400 ms.
 */
export function wallClockView(clock: ScaledClock): SimulatedClock {
  return {
    now: () => Math.floor(clock.wallTime(clock.now())),
    sleep: (ms, signal) => clock.sleep(ms, signal),
    advance: (ms) => clock.advance(ms),
  };
}

/** How a clock's simulated times map to the wall clock: a scaled clock's mapping, else as they are. */
export function wallTimeOf(clock: SimulatedClock): (time: number) => number {
  return isScaledClock(clock) ? clock.wallTime.bind(clock) : (time: number) => time;
}

export function isScaledClock(clock: SimulatedClock): clock is ScaledClock {
  return typeof (clock as Partial<ScaledClock>).wallTime === "function";
}
