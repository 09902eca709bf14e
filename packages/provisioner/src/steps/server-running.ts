import type { Action, Server } from "@tailvm/hetzner-client";
import { anySignal, poll } from "@tailvm/internal";
import { DeadlineExceededError, startNamedDeadline } from "../deadline-exceeded-error.js";
import type { Run } from "../run.js";
import { type JoinWait, startJoinWait } from "./join-wait.js";
import { need, type Step } from "./step.js";
import { readActions, watchCreate } from "./watch-create.js";

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

/** How long the one look at the actions after a missed deadline may take. */
const LAST_LOOK_TIMEOUT_MS = 10_000;

/**
 * Whether the create's actions all succeeded after all, read once when a deadline ended the
 * watch before it looked again (it looks sparsely): the server then runs, and the deadline is the
 * device's to report. Any failure of the look itself answers no.
 */
async function runsAfterAll(run: Run, actions: readonly Action[], error: unknown) {
  const stoppedOtherwise = run.signals.caller?.aborted === true || run.signals.failed.aborted;
  // A found server's wait reads the server itself: there are no actions to look at.
  if (actions.length === 0 || !(error instanceof DeadlineExceededError) || stoppedOtherwise) {
    return false;
  }
  const deadline = startNamedDeadline(run.clock, "serverRunning", LAST_LOOK_TIMEOUT_MS);
  try {
    const ids = actions.map((action) => action.id);
    const latest = await readActions(run, ids, deadline.signal);
    return latest.every((action) => action.status === "success");
  } catch {
    return false;
  } finally {
    deadline.dispose();
  }
}

/** The server the run goes on with, and the device wait already under way for a new one. */
export interface RunningServer {
  server: Server;
  join: JoinWait | undefined;
}

/**
 * Waits, within `timeouts.serverRunning`, until Hetzner has started the server. For a new server
 * the device wait starts at once beside a sparse watch of the create's actions (planned from
 * their progress, so it looks again right after they should finish): the phase ends when the
 * device joins or the actions succeed, whichever comes first, and fails as soon as an action
 * fails. A deadline passed between two looks is checked with one more: when the server runs after
 * all, the phase ends well and the device's wait is what timed out.
 */
export const serverRunningStep: Step<
  "server-running",
  { timeoutMs: number; joinTimeoutMs: number; tags: string[] }
> = {
  phase: "server-running",
  creates: [],
  parameters: (options) => ({
    timeoutMs: options.timeouts.serverRunning,
    joinTimeoutMs: options.timeouts.serverRunning + options.timeouts.deviceJoin,
    tags: options.tags,
  }),
  async run({ run, results, parameters }) {
    const placement = need(results, "placement");
    if (placement.kind === "adopt") {
      const server = await run.withPhaseDeadline("serverRunning", (signal, timeoutMs) =>
        waitForRunning(run, placement.server.id, signal, timeoutMs),
      );
      return { server, join: undefined };
    }
    const { server, actions } = need(results, "create-server");
    const join = startJoinWait(run, {
      server,
      tags: parameters.tags,
      timeoutMs: parameters.joinTimeoutMs,
    });
    const watchStopper = new AbortController();
    try {
      const running = await run.withPhaseDeadline("serverRunning", (phaseSignal, timeoutMs) => {
        const signal = anySignal(phaseSignal, watchStopper.signal);
        // The create answer already holds the addresses, and the actions' success (start_server
        // among them) means running: reading the server again would only spend rate limit.
        const watch =
          actions.length === 0
            ? waitForRunning(run, server.id, signal, timeoutMs)
            : watchCreate(run, actions, signal, timeoutMs).then(() => server);
        watch.catch(() => undefined);
        return Promise.race([join.device.then(() => server), watch]);
      });
      if (!join.joined) join.serverRunning();
      return { server: running, join };
    } catch (error) {
      if (await runsAfterAll(run, actions, error)) return { server, join };
      join.stop();
      throw error;
    } finally {
      watchStopper.abort(new Error("the server watch is no longer needed"));
    }
  },
};
