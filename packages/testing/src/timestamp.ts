import type { World } from "./world.js";

/**
 * An ISO 8601 timestamp (seconds precision, `Z`) of a simulated time, on the wall clock: the
 * moment a client outside the process sees it happen (the same time on a virtual clock).
 */
export function timestamp(world: World, time: number): string {
  return new Date(Math.round(world.config.wallTime(time))).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A simulated duration starting `now`, in whole wall-clock seconds (at least 1). */
export function wallSeconds(world: World, now: number, durationMs: number): number {
  const { wallTime } = world.config;
  return Math.max(1, Math.floor((wallTime(now + durationMs) - wallTime(now)) / 1000));
}
