import { createVirtualClock } from "@tailvm/internal/test";
import { describe, expect, it } from "vitest";
import { type CallbackOutputOptions, createCallbackOutput } from "./callback-output.js";

const run = { runId: "run-1", agentId: "agent-1", jobId: null, startedAt: 0, finishedAt: 0 };
const failure = {
  phase: "device-join" as const,
  message: "the device never joined",
  cleanup: { removed: [], failed: [] },
  agentId: "agent-1",
  jobId: null,
  serverName: "agent-agent-1-x",
  serverId: null,
  timings: {},
  totalMs: 0,
};

/** A clock whose sleeps never end on their own: only their signal ends them. */
const stoppedClock = createVirtualClock({ start: 0, autoAdvance: false });

/** A callback output on the stopped clock, sending to a port nothing listens on. */
function stoppedOutput(
  options: Omit<CallbackOutputOptions, "url" | "secret" | "metadata" | "clock">,
) {
  return createCallbackOutput({
    url: "http://127.0.0.1:9/callback",
    secret: "callback-secret",
    metadata: {},
    clock: stoppedClock,
    ...options,
  });
}

describe("createCallbackOutput", () => {
  it("waits out Retry-After through the clock, and stops at once when its signal aborts", async () => {
    const controller = new AbortController();
    const errors: unknown[] = [];
    let attempts = 0;
    const output = stoppedOutput({
      signal: controller.signal,
      fetch: async () => {
        attempts++;
        return new Response(null, { status: 503, headers: { "retry-after": "30" } });
      },
      onError: (error) => errors.push(error),
    });
    const sending = output.failure?.(failure, run);
    await expect.poll(() => stoppedClock.sleeps).toEqual([30_000]);
    const reason = new Error("the failure callback did not finish in time");
    controller.abort(reason);

    await expect(sending).rejects.toBe(reason);
    expect(attempts).toBe(1);
    expect(errors).toEqual([reason]);
  });

  it("aborts a request in flight", async () => {
    const controller = new AbortController();
    const output = stoppedOutput({
      signal: controller.signal,
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener("abort", () => reject(init.signal?.reason), {
            once: true,
          });
          controller.abort(new Error("cut short"));
        }),
    });
    await expect(output.failure?.(failure, run)).rejects.toThrow("cut short");
  });
});
