import { describe, expect, it } from "vitest";
import { provisionVM } from "../src/one-shot.js";
import type { ProvisionOptions } from "../src/types.js";
import { lateAnswerFetch } from "./support/late-answer-fetch.js";
import {
  abortDuring,
  baseOptions,
  expectNothingLeft,
  failureOf,
  isKeyMint,
  isServerCreate,
  isServerCreateEntry,
  recordEvents,
  removedResources,
} from "./support/provision-helpers.js";
import { createSecretSink } from "./support/secret-sink.js";
import { simulatedContext } from "./support/simulated-context.js";

const sink = createSecretSink("test/abandoned-creates.test.ts");

/**
 * A simulated cloud whose server create (or key mint) is applied `delayMs` after it was sent, and
 * a caller who aborts 1 s into that phase; `run` provisions and returns the `ProvisionError`.
 */
function abandonedCreate(what: "server" | "key", delayMs = 5_000) {
  const { sim, context } = simulatedContext(sink);
  const slow = lateAnswerFetch(sim, {
    matches: what === "server" ? isServerCreate : isKeyMint,
    delayMs,
  });
  if (what === "server") {
    context.hetzner = {
      ...(context.hetzner as object),
      fetch: slow.fetch,
    } as typeof context.hetzner;
  } else {
    context.tailscale = {
      ...(context.tailscale as object),
      fetch: slow.fetch,
    } as typeof context.tailscale;
  }
  const controller = new AbortController();
  abortDuring(sim, context, what === "server" ? "create-server" : "auth-key", controller);
  const run = (extra: Partial<ProvisionOptions> = {}) =>
    failureOf(sink, provisionVM({ ...baseOptions, ...extra, signal: controller.signal }, context));
  return { sim, context, slow, run };
}

describe("provisionVM: creates abandoned by an abort", () => {
  it("deletes a server whose slow create is applied after the caller aborted", async () => {
    const { sim, slow, run } = abandonedCreate("server");
    const error = await run();
    await slow.applied();
    expect(error).toMatchObject({ phase: "create-server", code: "aborted" });
    expect(sim.state.requests().filter(isServerCreateEntry)).toEqual([
      expect.objectContaining({ status: 201 }),
    ]);
    expect(removedResources(error.cleanup)).toEqual(["auth-key", "server"]);
    expect(error.cleanup.failed).toEqual([]);
    expect(error.serverId).toBeTypeOf("number");
    expectNothingLeft(sim);
  });

  it("revokes a key whose slow mint is applied after the caller aborted", async () => {
    const { sim, context, slow, run } = abandonedCreate("key");
    const events = recordEvents(context);
    const error = await run();
    await slow.applied();
    expect(error).toMatchObject({ phase: "auth-key", code: "aborted" });
    const keys = sim.state.authKeys();
    expect(keys).toHaveLength(1);
    expect(error.cleanup).toEqual({
      removed: [{ resource: "auth-key", id: keys[0]?.id }],
      failed: [],
    });
    expect(events).toContainEqual(
      expect.objectContaining({ type: "resource-deleted", resource: "auth-key" }),
    );
    expect(sim.state.requests().some(isServerCreateEntry)).toBe(false);
    expectNothingLeft(sim);
  });

  it("looks for nothing when the create the caller abandoned finally fails", async () => {
    const { sim, slow, run } = abandonedCreate("server");
    // The simulator answers an unknown image id with invalid_input: a create that made nothing.
    const error = await run({ image: "999999" });
    await slow.applied();
    expect(error).toMatchObject({ phase: "create-server", code: "aborted" });
    expect(removedResources(error.cleanup)).toEqual(["auth-key"]);
    // No lookup by name: the create's own answer said it made nothing.
    expect(sim.state.requests().filter((r) => r.method === "GET" && r.path === "/servers")).toEqual(
      [],
    );
    expectNothingLeft(sim);
  });

  it("reports a server create that outlasts the rollback deadline as not deleted", async () => {
    const { sim, context, slow, run } = abandonedCreate("server", 600_000);
    context.rollbackTimeoutMs = 10_000;
    const error = await run();
    expect(removedResources(error.cleanup)).toEqual(["auth-key"]);
    const [failed] = error.cleanup.failed;
    expect(failed).toMatchObject({ resource: "server", reason: expect.stringContaining("reap()") });
    expect(error.message).toContain(`Rollback could NOT delete: server ${failed?.id}`);
    // The request was applied after all, as the report warned; its key is already revoked.
    await slow.applied();
    expect(sim.state.servers()).toHaveLength(1);
    expect(sim.state.validAuthKeys()).toEqual([]);
  });
});
