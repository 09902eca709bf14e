import type { ServerType } from "@tailvm/hetzner-client";
import type { InputIssue } from "./errors.js";
import { describeOffer, meetsRequirement, priceIn, type ResolvedMachine } from "./machine.js";
import type { PlacementCandidate, PricedCandidate } from "./types.js";

/** A candidate that cannot be used, and why. */
export interface SkippedCandidate {
  candidate: PlacementCandidate;
  reason: string;
}

/** An explicit candidate, with the option field it came from (for input errors). */
export interface NamedCandidate extends PlacementCandidate {
  field: string;
}

const pastDate = (date: string | undefined, now: number) =>
  date !== undefined && Date.parse(date) <= now;

/** Why the type cannot be ordered in `location` now, or undefined when it can. */
function locationProblem(type: ServerType, location: string, now: number): string | undefined {
  const entry = type.locations.find((item) => item.name === location);
  if (!entry) return `server type ${type.name} is not offered in ${location}`;
  if (pastDate(entry.deprecation?.unavailable_after, now)) {
    return `server type ${type.name} is no longer offered in ${location}`;
  }
  if (!entry.available) return `server type ${type.name} is out of stock in ${location} right now`;
  return undefined;
}

/** The deprecation that retired the type: its own, or the one every location of it is past. */
function retirement(
  type: ServerType,
  now: number,
): { announced: string; unavailable_after: string } | undefined {
  if (type.deprecation && pastDate(type.deprecation.unavailable_after, now))
    return type.deprecation;
  const [first] = type.locations;
  const everywhere = type.locations.every((item) =>
    pastDate(item.deprecation?.unavailable_after, now),
  );
  return everywhere && first?.deprecation ? first.deprecation : undefined;
}

/** Whether the type is listed without any deprecation: one to pick by need. */
function isCurrent(type: ServerType): boolean {
  return (
    !type.deprecated &&
    type.deprecation === null &&
    type.locations.some((item) => item.deprecation === null)
  );
}

/** Orders by monthly price, then the region's location order, then type name. */
function byPrice(locations: readonly string[]) {
  return (a: PricedCandidate, b: PricedCandidate) =>
    (a.price?.monthly ?? Number.POSITIVE_INFINITY) -
      (b.price?.monthly ?? Number.POSITIVE_INFINITY) ||
    locations.indexOf(a.location) - locations.indexOf(b.location) ||
    a.serverType.localeCompare(b.serverType);
}

/** Current types of the same kind as `like` (shared x86 by default), cheapest first. */
export function currentAlternatives(
  serverTypes: readonly ServerType[],
  like: Pick<ServerType, "architecture" | "cpu_type"> = { architecture: "x86", cpu_type: "shared" },
): string {
  const cheapest = (type: ServerType) =>
    Math.min(...type.prices.map((price) => Number(price.price_monthly.net)));
  const names = serverTypes
    .filter(
      (type) =>
        isCurrent(type) &&
        type.architecture === like.architecture &&
        type.cpu_type === like.cpu_type,
    )
    .sort((a, b) => cheapest(a) - cheapest(b) || a.name.localeCompare(b.name))
    .map((type) => type.name);
  return `current ${like.cpu_type} ${like.architecture} types: ${names.length > 0 ? names.join(", ") : "(none listed)"}`;
}

/**
 * Checks explicit candidates against the live catalog, keeping their order. A type that is not
 * listed, or is past its deprecation date, is an input issue naming the current alternatives; a
 * type not offered or out of stock in a location is skipped.
 */
export function checkCandidates(
  candidates: readonly NamedCandidate[],
  serverTypes: readonly ServerType[],
  now: number,
): { usable: PricedCandidate[]; skipped: SkippedCandidate[]; issues: InputIssue[] } {
  const usable: PricedCandidate[] = [];
  const skipped: SkippedCandidate[] = [];
  const issues: InputIssue[] = [];
  for (const { field, ...candidate } of candidates) {
    const type = serverTypes.find((item) => item.name === candidate.serverType);
    if (!type) {
      if (!issues.some((issue) => issue.field === field)) {
        issues.push({
          field,
          message: `${candidate.serverType} is not in Hetzner's catalog (retired or misspelled); ${currentAlternatives(serverTypes)}`,
        });
      }
      continue;
    }
    const retired = retirement(type, now);
    if (retired) {
      if (!issues.some((issue) => issue.field === field)) {
        issues.push({
          field,
          message: `${type.name} is no longer offered (deprecated ${retired.announced.slice(0, 10)}, unavailable after ${retired.unavailable_after.slice(0, 10)}); ${currentAlternatives(serverTypes, type)}`,
        });
      }
      continue;
    }
    const problem = locationProblem(type, candidate.location, now);
    if (problem) skipped.push({ candidate, reason: problem });
    else usable.push({ ...candidate, price: priceIn(type, candidate.location) });
  }
  return { usable, skipped, issues };
}

/**
 * Every (type, location) pair of the region that meets the machine requirement and can be
 * ordered now, cheapest first. `matching` counts the current types that meet the requirement
 * anywhere in the region, in stock or not; `closest` describes the nearest offers when none does.
 */
export function rankCandidates(
  serverTypes: readonly ServerType[],
  locations: readonly string[],
  machine: ResolvedMachine,
  now: number,
): { ranked: PricedCandidate[]; matching: number; closest: string[] } {
  const ranked: PricedCandidate[] = [];
  const offers: { type: ServerType; location: string; monthly: number }[] = [];
  let matching = 0;
  for (const type of serverTypes) {
    if (!isCurrent(type)) continue;
    const meets = meetsRequirement(type, machine);
    let offered = false;
    for (const location of locations) {
      if (!type.locations.some((item) => item.name === location)) continue;
      const price = priceIn(type, location);
      const affordable =
        machine.maxMonthlyPrice === null ||
        (price !== null && price.monthly <= machine.maxMonthlyPrice);
      if (meets && affordable) offered = true;
      if (locationProblem(type, location, now)) continue;
      if (meets && affordable) ranked.push({ serverType: type.name, location, price });
      else if (type.architecture === machine.architecture) {
        offers.push({ type, location, monthly: price?.monthly ?? Number.POSITIVE_INFINITY });
      }
    }
    if (offered) matching += 1;
  }
  ranked.sort(byPrice(locations));
  const seen = new Set<string>();
  const closest = offers
    .filter((offer) => offer.type.cores >= machine.minCores || offer.type.cpu_type === machine.cpu)
    .sort((a, b) => a.monthly - b.monthly)
    .filter((offer) => !seen.has(offer.type.name) && seen.add(offer.type.name))
    .slice(0, 5)
    .map((offer) => describeOffer(offer.type, offer.location));
  return { ranked, matching, closest };
}
