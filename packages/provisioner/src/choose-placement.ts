import type { ServerType } from "@tailvm/hetzner-client";
import type { PlacementCandidate } from "./types.js";

/** A candidate that cannot be used, and why. */
export interface SkippedCandidate {
  candidate: PlacementCandidate;
  reason: string;
}

/**
 * Keeps the candidates whose server type exists, is offered in the location, is available there now
 * and is not past its deprecation date; the order is kept.
 */
export function choosePlacement(
  candidates: readonly PlacementCandidate[],
  serverTypes: readonly ServerType[],
  now: number,
): { usable: PlacementCandidate[]; skipped: SkippedCandidate[] } {
  const usable: PlacementCandidate[] = [];
  const skipped: SkippedCandidate[] = [];
  const pastDate = (date: string | undefined) => date !== undefined && Date.parse(date) <= now;

  for (const candidate of candidates) {
    const type = serverTypes.find((item) => item.name === candidate.serverType);
    if (!type) {
      skipped.push({ candidate, reason: `server type ${candidate.serverType} does not exist` });
      continue;
    }
    if (pastDate(type.deprecation?.unavailable_after)) {
      skipped.push({ candidate, reason: `server type ${type.name} is no longer offered` });
      continue;
    }
    const location = type.locations.find((item) => item.name === candidate.location);
    if (!location) {
      skipped.push({
        candidate,
        reason: `server type ${type.name} is not offered in ${candidate.location}`,
      });
    } else if (!location.available) {
      skipped.push({
        candidate,
        reason: `server type ${type.name} is unavailable in ${candidate.location} right now`,
      });
    } else if (pastDate(location.deprecation?.unavailable_after)) {
      skipped.push({
        candidate,
        reason: `server type ${type.name} is no longer offered in ${candidate.location}`,
      });
    } else {
      usable.push(candidate);
    }
  }
  return { usable, skipped };
}
