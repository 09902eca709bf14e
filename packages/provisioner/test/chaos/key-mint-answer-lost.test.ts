import { createFaultSchedule } from "@tailvm/testing";
import { describe, expect, it } from "vitest";
import { provisionVM } from "../../src/one-shot.js";
import { baseOptions, failureOf } from "../support/provision-helpers.js";
import { createSecretSink } from "../support/secret-sink.js";
import { simulatedContext } from "../support/simulated-context.js";

const sink = createSecretSink("test/chaos/key-mint-answer-lost.test.ts");

// Found by the chaos run with seed 55: a key mint that Tailscale applied but answered with a 502
// left a usable key behind while the run's cleanup report said nothing was left.
describe("seed 55: a key mint applied but answered with an error", () => {
  it.each(["applied-then-error", "applied-then-reset"] as const)(
    "%s: the report says the key may be left, and the key is the run's",
    async (kind) => {
      const { sim, context } = simulatedContext(sink);
      sim.faults.useSchedule(
        createFaultSchedule({
          seed: 55,
          rate: 1,
          weights: { [kind]: 1, "server-error": 0, "rate-limit": 0, hang: 0, reset: 0, slow: 0 },
          applies: (request) => request.method === "POST" && request.route.endsWith("/keys"),
        }),
      );
      const name = "key-mint-lost";
      const error = await failureOf(sink, provisionVM({ ...baseOptions, name }, context));
      expect(error.phase).toBe("auth-key");
      expect(sim.state.validAuthKeys().map((key) => key.description)).toEqual([`tailvm ${name}`]);
      expect(error.cleanup.failed).toEqual([
        { resource: "auth-key", id: name, reason: expect.stringMatching(/may have applied/) },
      ]);
      expect(error.message).toMatch(/Rollback could NOT delete: auth-key key-mint-lost/);
    },
  );

  it("a key mint refused outright (no key made) reports nothing left", async () => {
    const { sim, context } = simulatedContext(sink);
    sim.faults.failNext({
      api: "tailscale",
      method: "POST",
      path: /\/keys$/,
      status: 429,
      count: 50,
    });
    const error = await failureOf(sink, provisionVM(baseOptions, context));
    expect(error.phase).toBe("auth-key");
    expect(error.cleanup).toEqual({ removed: [], failed: [] });
    expect(sim.state.validAuthKeys()).toEqual([]);
  });
});
