import type { SimulatedCloud, SimulatorOptions } from "@tailvm/testing";
import { createSimulatedCloud } from "@tailvm/testing";
import type { ProvisionContext } from "../../src/context.js";
import type { createSecretSink } from "./secret-sink.js";

/** A simulated cloud and a provisioning context that talks to it, recording into `sink`. */
export function simulatedContext(
  sink: ReturnType<typeof createSecretSink>,
  options: SimulatorOptions = {},
): { sim: SimulatedCloud; context: ProvisionContext } {
  const sim = createSimulatedCloud(options);
  for (const value of Object.values(sim.credentials)) sink.addSecret(value);
  const context: ProvisionContext = {
    hetzner: { token: sim.credentials.hetznerToken, baseUrl: sim.hetznerUrl, fetch: sim.fetch },
    tailscale: {
      auth: {
        oauthClientId: sim.credentials.tailscaleOAuthClientId,
        oauthClientSecret: sim.credentials.tailscaleOAuthClientSecret,
      },
      baseUrl: sim.tailscaleUrl,
      fetch: sim.fetch,
    },
    clock: sim.clock,
    logger: sink.loggers(),
    outputs: sink.outputs(),
    onEvent: sink.onEvent,
    onSecret: sink.addSecret,
  };
  return { sim, context };
}
