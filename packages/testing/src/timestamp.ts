import type { World } from "./world.js";

/**
 * An ISO 8601 timestamp of a simulated time, on the wall clock: the moment a client outside the
 * process sees it happen (the same time on a virtual clock). Milliseconds are kept: with scaled
 * time, a boot and the join after it can fall within one second, and a client that compares a
 * device's `created` with the moment it started waiting must see them in order.
 */
export function timestamp(world: World, time: number): string {
  return new Date(Math.floor(world.config.wallTime(time))).toISOString();
}

/** A simulated duration starting `now`, in whole wall-clock seconds (at least 1). */
export function wallSeconds(world: World, now: number, durationMs: number): number {
  const { wallTime } = world.config;
  return Math.max(1, Math.floor((wallTime(now + durationMs) - wallTime(now)) / 1000));
}
