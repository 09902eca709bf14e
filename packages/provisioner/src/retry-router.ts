import type { ClientRetryEvent } from "./scope-clients.js";

/** An operation of a scope (a run, a deprovision, a reap) that may hear about retries. */
export interface RetryListener {
  /** Whether the request at `path` concerns a resource of this operation. */
  claims(event: ClientRetryEvent): boolean;
  onRetry(event: ClientRetryEvent): void;
}

/**
 * Sends each retry of the scope's clients to the operation it belongs to: the one operation whose
 * resource the path names (a server, an auth key, a device), else the only operation in flight.
 * A retry that fits no single operation (a shared `GET /server_types` while two runs wait on it)
 * goes to `unattributed`, which reaches the scope's own loggers.
 */
export function createRetryRouter(unattributed: (event: ClientRetryEvent) => void) {
  const listeners = new Set<RetryListener>();
  return {
    /** Adds `listener` until the returned function is called. */
    listen(listener: RetryListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    route(event: ClientRetryEvent): void {
      const active = [...listeners];
      const claimed = active.filter((listener) => listener.claims(event));
      const target =
        claimed.length === 1 ? claimed[0] : active.length === 1 ? active[0] : undefined;
      if (target) target.onRetry(event);
      else unattributed(event);
    },
  };
}

/** The resources named in paths, e.g. `servers/42` or `keys/kAbC`, that one operation owns. */
export function createResourceClaims() {
  const owned = { hetzner: new Set<string>(), tailscale: new Set<string>() };
  return {
    add(api: ClientRetryEvent["api"], kind: "servers" | "keys" | "device", id: string | number) {
      owned[api].add(`${kind}/${encodeURIComponent(String(id))}`);
    },
    claims(event: ClientRetryEvent): boolean {
      const segments = event.path.split("/");
      for (let index = 0; index + 1 < segments.length; index++) {
        if (owned[event.api].has(`${segments[index]}/${segments[index + 1]}`)) return true;
      }
      return false;
    },
  };
}
