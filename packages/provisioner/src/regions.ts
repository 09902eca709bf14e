/**
 * Friendly region names and the Hetzner locations they map to, in the order they are tried.
 *
 * @example
 * ```ts
 * REGIONS["eu-central"]; // ["nbg1", "fsn1"]
 * ```
 */
export const REGIONS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  "eu-central": Object.freeze(["nbg1", "fsn1"]),
  "eu-north": Object.freeze(["hel1"]),
  "us-east": Object.freeze(["ash"]),
  "us-west": Object.freeze(["hil"]),
  "ap-southeast": Object.freeze(["sin"]),
});

/**
 * Every Hetzner location code a `region` or candidate may name directly.
 *
 * @example
 * ```ts
 * LOCATIONS.includes("fsn1"); // true
 * ```
 */
export const LOCATIONS: readonly string[] = Object.freeze([
  "fsn1",
  "nbg1",
  "hel1",
  "ash",
  "hil",
  "sin",
]);

/** The region used when none is given. */
export const DEFAULT_REGION = "eu-central";

/**
 * The locations of a region name or location code, or `undefined` when it is neither.
 *
 * @example
 * ```ts
 * resolveRegion("eu-central"); // ["nbg1", "fsn1"]
 * resolveRegion("hel1");       // ["hel1"]
 * resolveRegion("mars");       // undefined
 * ```
 */
export function resolveRegion(region: string): string[] | undefined {
  const locations = REGIONS[region];
  if (locations) return [...locations];
  if (LOCATIONS.includes(region)) return [region];
  return undefined;
}
