import type { HetznerClient, ServerType } from "@tailvm/hetzner-client";
import { raceSignal } from "@tailvm/internal";
import type { Clock } from "./clock.js";

/** How long one answer of `GET /server_types` serves the runs of one provisioner. */
export const SERVER_TYPES_TTL_MS = 60_000;

/** Hetzner's server types with their per-location availability, shared by the runs of a scope. */
export interface ServerTypeCatalog {
  /** The catalog; rejects with `signal.reason` when `signal` aborts first. */
  list(signal: AbortSignal): Promise<ServerType[]>;
}

/**
 * One request (and its answer, for {@link SERVER_TYPES_TTL_MS}) serves every run of the scope: a
 * fleet of 50 concurrent provisions spends one request of the rate limit on placement, not 50. A
 * stale availability costs little, since a create answered `resource_unavailable` moves on to the
 * next candidate; a failed request is not kept.
 */
export function createServerTypeCatalog(options: {
  hetzner: HetznerClient;
  clock: Clock;
}): ServerTypeCatalog {
  let entry: { fetchedAt: number; serverTypes: Promise<ServerType[]> } | undefined;
  return {
    list(signal) {
      signal.throwIfAborted();
      const now = options.clock.now();
      if (!entry || now - entry.fetchedAt >= SERVER_TYPES_TTL_MS) {
        // Not tied to one caller's signal: other runs may be waiting on the same answer.
        const serverTypes = options.hetzner.listServerTypes();
        const created = { fetchedAt: now, serverTypes };
        serverTypes.catch(() => {
          if (entry === created) entry = undefined;
        });
        entry = created;
      }
      return raceSignal(entry.serverTypes, signal);
    },
  };
}
