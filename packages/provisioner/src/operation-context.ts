import type { HetznerClient } from "@tailvm/hetzner-client";
import type { TailscaleClient } from "@tailvm/tailscale-client";
import { registerContextSecrets, resolveClients } from "./clients.js";
import { type Clock, systemClock } from "./clock.js";
import type { ProvisionContext } from "./context.js";
import { loggersOf } from "./default-logger.js";
import { createRedactor } from "./redactor.js";
import { createReporter, type Reporter } from "./reporter.js";

/** Clients, clock and reporter for an operation other than provisioning (deprovision, reap). */
export function operationContext(context: ProvisionContext): {
  clock: Clock;
  reporter: Reporter;
  hetzner: HetznerClient;
  tailscale: TailscaleClient;
} {
  const clock = context?.clock ?? systemClock;
  const redactor = createRedactor();
  registerContextSecrets(context, redactor);
  const reporter = createReporter({
    redactor,
    clock,
    loggers: loggersOf(context?.logger),
    onEvent: context?.onEvent,
  });
  const { hetzner, tailscale } = resolveClients(context, clock, redactor);
  return { clock, reporter, hetzner, tailscale };
}
