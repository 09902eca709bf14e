import type { HetznerClient, Image, ServerType } from "@tailvm/hetzner-client";
import { raceSignal } from "@tailvm/internal";
import type { Clock } from "./clock.js";

/** How long one answer of `GET /server_types` serves the runs of one provisioner. */
export const SERVER_TYPES_TTL_MS = 60_000;
/**
 * How long one answer of `GET /images?name=…` serves them: an image name stays for months (a
 * deprecated one still answers), so a longer reuse only delays noticing a new image.
 */
export const IMAGES_TTL_MS = 600_000;

/** Hetzner's catalog as the runs of a scope read it: one request serves them all for a while. */
export interface Catalog {
  /** Server types with their per-location availability; rejects with `signal.reason` on abort. */
  serverTypes(signal: AbortSignal): Promise<ServerType[]>;
  /** The images named `name`, of every architecture; rejects with `signal.reason` on abort. */
  images(name: string, signal: AbortSignal): Promise<Image[]>;
}

/**
 * Answers by key, each fetched once and served for `ttlMs`: concurrent callers share the request
 * in flight, which is not tied to one caller's signal (others may be waiting on it); a failed
 * answer is not kept.
 */
function sharedAnswers<Value>(
  clock: Clock,
  ttlMs: number,
  fetch: (key: string) => Promise<Value>,
): (key: string, signal: AbortSignal) => Promise<Value> {
  const entries = new Map<string, { fetchedAt: number; value: Promise<Value> }>();
  return (key, signal) => {
    signal.throwIfAborted();
    const now = clock.now();
    let entry = entries.get(key);
    if (!entry || now - entry.fetchedAt >= ttlMs) {
      const created = { fetchedAt: now, value: fetch(key) };
      created.value.catch(() => {
        if (entries.get(key) === created) entries.delete(key);
      });
      entries.set(key, created);
      entry = created;
    }
    return raceSignal(entry.value, signal);
  };
}

/**
 * The scope's catalog: a fleet of 50 concurrent provisions spends one request of the rate limit on
 * the server types and one on the image, not 50 each. A stale availability costs little, since a
 * create answered `resource_unavailable` moves on to the next candidate.
 */
export function createCatalog(options: { hetzner: HetznerClient; clock: Clock }): Catalog {
  const { hetzner, clock } = options;
  const serverTypes = sharedAnswers(clock, SERVER_TYPES_TTL_MS, () => hetzner.listServerTypes());
  const images = sharedAnswers(clock, IMAGES_TTL_MS, (name) => hetzner.listImages({ name }));
  return {
    serverTypes: (signal) => serverTypes("", signal),
    images,
  };
}
