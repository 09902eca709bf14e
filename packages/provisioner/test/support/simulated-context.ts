import type { SimulatedCloud, SimulatorOptions } from "@tailvm/testing";
import { createSimulatedCloud } from "@tailvm/testing";
import type { ProvisionContext } from "../../src/context.js";
import { verifyWebhook } from "../../src/verify-webhook.js";
import { webhookOutput } from "../../src/webhook-output.js";
import { watchPublicExposure } from "./public-exposure-check.js";
import type { createSecretSink } from "./secret-sink.js";

/** A simulated cloud and a provisioning context that talks to it, recording into `sink`. */
export function simulatedContext(
  sink: ReturnType<typeof createSecretSink>,
  options: SimulatorOptions = {},
): { sim: SimulatedCloud; context: ProvisionContext } {
  const sim = createSimulatedCloud(options);
  watchPublicExposure(sim);
  for (const value of Object.values(sim.credentials)) sink.addSecret(value);
  // A receiver that checks every callback's signature and records what it was sent.
  const webhookSecret = "whsec_c2ltdWxhdGVkLXdlYmhvb2stc2VjcmV0LTAxMjM0NTY3";
  sink.addSecret(webhookSecret);
  const receiver = (async (input: string | URL | Request, init?: RequestInit) => {
    const body = String(init?.body);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    sink.record({ url: String(input), headers, body });
    try {
      await verifyWebhook({ headers, body }, webhookSecret, { now: new Date(sim.clock.now()) });
      return new Response(null, { status: 204 });
    } catch {
      return new Response(null, { status: 401 });
    }
  }) as typeof fetch;
  const context: ProvisionContext = {
    ...sim.context({ tailscaleAuth: "oauth" }),
    logger: sink.loggers(),
    outputs: [
      ...sink.outputs(),
      webhookOutput({
        url: "https://receiver.example/tailvm",
        secret: webhookSecret,
        fetch: receiver,
        clock: sim.clock,
      }),
    ],
    onEvent: sink.onEvent,
    onSecret: sink.addSecret,
  };
  return { sim, context };
}
