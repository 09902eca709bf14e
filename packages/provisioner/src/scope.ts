import type { HetznerClient } from "@tailvm/hetzner-client";
import { createRedactor } from "@tailvm/internal";
import type { TailscaleClient } from "@tailvm/tailscale-client";
import { type Catalog, createCatalog } from "./catalog.js";
import { type Clock, systemClock } from "./clock.js";
import type { ProvisionContext } from "./context.js";
import { loggersOf } from "./default-logger.js";
import { createManagedFirewalls, type ManagedFirewalls } from "./managed-firewall.js";
import { createJoinHistory, type JoinHistory } from "./polling-schedule.js";
import { createReporter, type Reporter } from "./reporter.js";
import { createResourceClaims, createRetryRouter } from "./retry-router.js";
import { type ClientRetryEvent, createScopeClients, credentialSecrets } from "./scope-clients.js";
import type { ProvisionEvent } from "./types.js";

const DEFAULT_ROLLBACK_TIMEOUT_MS = 120_000;

/** One operation of a scope (a run, a deprovision, a reap): its reporter and what it owns. */
export interface Operation {
  /** Redacts with the scope's secrets and the operation's own; reaches every logger and `onEvent`. */
  readonly reporter: Reporter;
  /** The resources whose requests' retries are this operation's. */
  readonly claims: ReturnType<typeof createResourceClaims>;
  /** Stops routing retries to the operation. */
  close(): void;
}

/** What every call made through one provisioner shares: clients, clock, catalog and hooks. */
export interface Scope {
  readonly context: ProvisionContext;
  readonly clock: Clock;
  readonly hetzner: HetznerClient;
  readonly tailscale: TailscaleClient;
  readonly catalog: Catalog;
  /** tailvm's shared firewalls, found or created once for every run of the scope. */
  readonly firewalls: ManagedFirewalls;
  /** How long the scope's earlier runs took from create answer to join. */
  readonly joinHistory: JoinHistory;
  readonly rollbackTimeoutMs: number;
  open(hooks?: {
    secrets?: Iterable<string>;
    onEvent?: ((event: ProvisionEvent) => void) | undefined;
  }): Operation;
}

function toRetryEvent(event: ClientRetryEvent) {
  return {
    type: "retry",
    api: event.api,
    attempt: event.attempt,
    delayMs: event.delayMs,
    method: event.method,
    path: event.path,
    ...(event.status === undefined ? {} : { status: event.status }),
    ...(event.code === undefined ? {} : { code: event.code }),
    reason: event.reason,
  } as const;
}

/**
 * Creates the scope behind `createProvisioner`: the clients (from credentials, or as given), one
 * catalog, and the routing of the clients' retries to the operation they belong to.
 *
 * @throws {ProvisionInputError} when the credentials or clients are unusable.
 */
export function createScope(context: ProvisionContext): Scope {
  const clock = context?.clock ?? systemClock;
  const secrets = [
    ...credentialSecrets(context ?? {}),
    ...(context?.outputs ?? []).flatMap((output) => output.secrets ?? []),
  ];
  const loggers = loggersOf(context?.logger);
  const scopeReporter = createReporter({
    redactor: createRedactor(secrets),
    clock,
    loggers,
    onEvent: context?.onEvent,
  });
  const router = createRetryRouter((event) => scopeReporter.emit(toRetryEvent(event)));
  const { hetzner, tailscale } = createScopeClients(context, {
    clock,
    redactor: scopeReporter.redactor,
    onRetry: (event) => router.route(event),
  });

  return {
    context,
    clock,
    hetzner,
    tailscale,
    catalog: createCatalog({ hetzner, clock }),
    firewalls: createManagedFirewalls({ hetzner }),
    joinHistory: createJoinHistory(),
    rollbackTimeoutMs: context.rollbackTimeoutMs ?? DEFAULT_ROLLBACK_TIMEOUT_MS,
    open(hooks = {}) {
      const handlers = [context.onEvent, hooks.onEvent].filter(
        (handler): handler is (event: ProvisionEvent) => void => handler !== undefined,
      );
      const reporter = createReporter({
        redactor: createRedactor([...secrets, ...(hooks.secrets ?? [])]),
        clock,
        loggers,
        onEvent: (event) => {
          // One broken handler must not keep the event from the other.
          for (const handler of handlers) {
            try {
              handler(event);
            } catch {}
          }
        },
      });
      const claims = createResourceClaims();
      const close = router.listen({
        claims: claims.claims,
        onRetry: (event) => reporter.emit(toRetryEvent(event)),
      });
      return { reporter, claims, close };
    },
  };
}
