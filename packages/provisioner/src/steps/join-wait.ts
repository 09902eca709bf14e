import type { Server } from "@tailvm/hetzner-client";
import { anySignal, raceSignal } from "@tailvm/internal";
import type { EnrolledDevice } from "@tailvm/tailscale-client";
import { nextJoinPollDelay } from "../polling-schedule.js";
import type { Run } from "../run.js";

/** A device wait started right after the create, polling on the join schedule. */
export interface JoinWait {
  /** Settles with the device, or the wait's error; never rejects unobserved. */
  readonly device: Promise<EnrolledDevice>;
  /** Whether the device has been seen. */
  readonly joined: boolean;
  /**
   * The server was seen running: the polls are planned again at once, dense around the join
   * expected to follow, and never more than `MAX_DELAY_MS` apart from now on.
   */
  serverRunning(): void;
  /** Waits for the device within `signal`; an abort also ends the device wait. */
  wait(signal: AbortSignal): Promise<EnrolledDevice>;
  /** Ends the device wait. */
  stop(): void;
}

/**
 * Starts the wait for the new server's device as the create answers, so the join is seen whatever
 * the server's actions say. The schedule is sparse until the join the scope's earlier runs lead it
 * to expect (read again at each look), dense around it, and planned again when the server is seen
 * running; the join, with the last look that missed it, is recorded for the runs after this one.
 */
export function startJoinWait(
  run: Run,
  criteria: { server: Server; tags: string[]; timeoutMs: number },
): JoinWait {
  const { clock } = run;
  const startedAt = clock.now();
  const stopper = new AbortController();
  const elapsed = () => clock.now() - startedAt;
  let runningAtMs: number | undefined;
  // When the look in flight (or planned next) and the last one that missed were sent, since the
  // create answered.
  let sentMs: number | undefined;
  let missedMs: number | undefined;
  let joined = false;
  const signal = anySignal(run.signal, stopper.signal);
  const delayMs = () =>
    nextJoinPollDelay({
      elapsedMs: elapsed(),
      lastSentMs: missedMs,
      // Read at each look: a join another run of the scope saw meanwhile plans this one's looks.
      expected: run.joinHistory.expected(),
      runningAtMs,
      random: Math.random(),
    });
  // Asked for after each look that did not find the device; the next look goes out after it.
  const delayAfterMiss = () => {
    missedMs = sentMs;
    const delay = delayMs();
    sentMs = elapsed() + delay;
    return delay;
  };
  const timeoutMs = criteria.timeoutMs;
  const remainingMs = () => Math.max(1, timeoutMs - (clock.now() - startedAt));
  // Aborted when the server is seen running, so that the polls are planned again with it.
  let replan = new AbortController();
  const lookUntilFound = async (): Promise<EnrolledDevice> => {
    for (;;) {
      const attempt = new AbortController();
      replan = attempt;
      const attemptSignal = anySignal(signal, attempt.signal);
      try {
        // The device cannot have joined the moment the create answers: the first look waits too.
        await clock.sleep(Math.min(delayMs(), remainingMs()), attemptSignal);
        // `waitForDevice` looks at once.
        sentMs = elapsed();
        return await run.tailscale.waitForDevice({
          hostname: run.serverName,
          tags: criteria.tags,
          // A server adopted after its create answered `uniqueness_error` has an older device.
          createdAfter: run.adopted ? Date.parse(criteria.server.created) : run.startedAt,
          requireConnected: true,
          signal: attemptSignal,
          timeoutMs: remainingMs(),
          pollDelayMs: delayAfterMiss,
        });
      } catch (error) {
        if (signal.aborted || !attempt.signal.aborted) throw error;
      }
    }
  };
  const device = lookUntilFound().then((found) => {
    joined = true;
    if (!run.adopted && sentMs !== undefined) run.joinHistory.record(sentMs, missedMs);
    run.deviceJoined(found);
    return found;
  });
  device.catch(() => undefined);
  const stop = () => stopper.abort(new Error("the device wait was stopped"));
  return {
    device,
    get joined() {
      return joined;
    },
    serverRunning() {
      if (runningAtMs !== undefined || joined) return;
      runningAtMs = clock.now() - startedAt;
      replan.abort(new Error("the server runs: the device polls are planned again"));
    },
    async wait(signal) {
      try {
        return await raceSignal(device, signal);
      } catch (error) {
        stop();
        throw error;
      }
    },
    stop,
  };
}
