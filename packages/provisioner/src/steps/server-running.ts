import type { Server } from "@tailvm/hetzner-client";
import { poll } from "@tailvm/internal";
import { DeadlineExceededError } from "../deadline-exceeded-error.js";
import type { Run } from "../run.js";
import { need, type Step } from "./step.js";

/** Polls an adopted server until it runs: 1 s, then half as long again each time, at most 5 s. */
function waitForRunning(run: Run, id: number, signal: AbortSignal, timeoutMs: number) {
  return poll<Server>({
    clock: run.clock,
    signal,
    timeoutMs,
    check: async (pollSignal) => {
      const server = await run.hetzner.getServer(id, { signal: pollSignal });
      return server.status === "running" ? { value: server } : undefined;
    },
    nextDelayMs: ({ attempt }) => Math.min(5_000, Math.round(1_000 * 1.5 ** (attempt - 1))),
    timeoutError: () => new DeadlineExceededError("serverRunning", timeoutMs),
  });
}

/** Waits, within `timeouts.serverRunning`, until Hetzner has started the server. */
export const serverRunningStep: Step<"server-running", { timeoutMs: number }> = {
  phase: "server-running",
  creates: [],
  parameters: (options) => ({ timeoutMs: options.timeouts.serverRunning }),
  async run({ run, results }) {
    const placement = need(results, "placement");
    const { server, actionIds } =
      placement.kind === "adopt"
        ? { server: placement.server, actionIds: [] }
        : need(results, "create-server");
    return run.withPhaseDeadline("serverRunning", async (signal, timeoutMs) => {
      if (actionIds.length === 0) return waitForRunning(run, server.id, signal, timeoutMs);
      // The create answer already holds the addresses, and the actions' success (start_server
      // among them) means running: reading the server again would only spend rate limit.
      // A create takes tens of seconds: the first poll waits 3 s, not 1 s.
      await run.hetzner.waitForAction(actionIds, { signal, timeoutMs, initialIntervalMs: 3_000 });
      return server;
    });
  },
};
