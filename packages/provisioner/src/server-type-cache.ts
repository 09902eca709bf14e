import type { HetznerClient, ServerType } from "@tailvm/hetzner-client";
import type { Clock } from "./clock.js";
import { raceSignal } from "./race-signal.js";

/** How long one answer of `GET /server_types` serves the runs that share a client. */
export const SERVER_TYPES_TTL_MS = 60_000;

interface Entry {
  fetchedAt: number;
  serverTypes: Promise<ServerType[]>;
}

const cache = new WeakMap<HetznerClient, Entry>();

/**
 * Lists Hetzner's server types with their per-location availability, sharing one request (and its
 * answer, for {@link SERVER_TYPES_TTL_MS}) among the runs that use the same client: a fleet of 50
 * concurrent provisions spends one request of the rate limit on placement, not 50. A stale
 * availability costs little, since a create answered `resource_unavailable` moves on to the next
 * candidate; a failed request is not kept.
 */
export async function listServerTypesShared(
  hetzner: HetznerClient,
  clock: Clock,
  signal: AbortSignal,
): Promise<ServerType[]> {
  signal.throwIfAborted();
  const now = clock.now();
  let entry = cache.get(hetzner);
  if (!entry || now - entry.fetchedAt >= SERVER_TYPES_TTL_MS) {
    // Not tied to one caller's signal: other runs may be waiting on the same answer.
    const serverTypes = hetzner.listServerTypes();
    const created: Entry = { fetchedAt: now, serverTypes };
    serverTypes.catch(() => {
      if (cache.get(hetzner) === created) cache.delete(hetzner);
    });
    cache.set(hetzner, created);
    entry = created;
  }
  return await raceSignal(entry.serverTypes, signal);
}
