import { createHetznerClient } from "@tailvm/hetzner-client";
import { createTailscaleClient } from "@tailvm/tailscale-client";
import { describe, expect, it } from "vitest";
import { routeRetryEvents } from "../src/clients.js";
import { provisionVM } from "../src/provision-vm.js";
import type { ProvisionEvent } from "../src/types.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/clients.test.ts");

describe("client instances shared across runs", () => {
  it("routes each retry to the run whose request caused it", async () => {
    const { sim, context } = simulatedContext(sink);
    const hetzner = createHetznerClient({
      token: sim.credentials.hetznerToken,
      baseUrl: sim.hetznerUrl,
      fetch: sim.fetch,
      clock: sim.clock,
      onRetry: routeRetryEvents("hetzner"),
    });
    const tailscale = createTailscaleClient({
      auth: { apiKey: sim.credentials.tailscaleApiKey },
      baseUrl: sim.tailscaleUrl,
      fetch: sim.fetch,
      clock: sim.clock,
      onRetry: routeRetryEvents("tailscale"),
    });
    const eventsOf: Record<string, ProvisionEvent[]> = { a: [], b: [] };
    const keyOf: { b?: string } = {};
    const run = (name: "a" | "b") =>
      provisionVM(
        { agentId: name, name: `shared-${name}`, tailscale: { tags: ["tag:ci"] } },
        {
          ...context,
          hetzner,
          tailscale,
          onEvent: (event) => {
            eventsOf[name]?.push(event);
            sink.onEvent(event);
            // Only b's key is rate limited when the runs revoke their keys.
            if (
              name === "b" &&
              event.type === "resource-created" &&
              event.resource === "auth-key"
            ) {
              keyOf.b = event.id;
              sim.faults.failNext({
                api: "tailscale",
                method: "DELETE",
                path: new RegExp(`/keys/${event.id}$`),
                status: 429,
                count: 2,
              });
            }
          },
        },
      );
    const [a, b] = await Promise.all([run("a"), run("b")]);
    const retriesOf = (name: "a" | "b") =>
      (eventsOf[name] ?? []).filter((event) => event.type === "retry");
    expect(keyOf.b).toBeDefined();
    expect(retriesOf("b").map((event) => "path" in event && event.path)).toEqual([
      `/tailnet/-/keys/${keyOf.b}`,
      `/tailnet/-/keys/${keyOf.b}`,
    ]);
    expect(retriesOf("a")).toEqual([]);
    expect(a.serverId).not.toBe(b.serverId);
  });
});
