import type { Clock } from "./clock.js";

/** Which deadline passed. */
export type DeadlineName = "total" | "serverRunning" | "deviceJoin" | "rollback";

/** The reason a deadline signal aborts with. */
export class DeadlineExceededError extends Error {
  override name = "DeadlineExceededError";
  readonly deadline: DeadlineName;
  readonly timeoutMs: number;

  constructor(deadline: DeadlineName, timeoutMs: number) {
    super(`the ${deadline === "total" ? "total" : deadline} timeout of ${timeoutMs} ms passed`);
    this.deadline = deadline;
    this.timeoutMs = timeoutMs;
  }
}

/** A signal that aborts after `ms` of `clock` time. Call `dispose` when done so no sleep lingers. */
export interface ClockDeadline {
  readonly signal: AbortSignal;
  /** Epoch ms at which it fires. */
  readonly at: number;
  remaining(): number;
  dispose(): void;
}

/** Starts a deadline measured with `clock` (so a virtual clock drives it in tests). */
export function startDeadline(clock: Clock, name: DeadlineName, ms: number): ClockDeadline {
  const controller = new AbortController();
  const stop = new AbortController();
  const at = clock.now() + ms;
  clock.sleep(ms, stop.signal).then(
    () => controller.abort(new DeadlineExceededError(name, ms)),
    () => {},
  );
  return {
    signal: controller.signal,
    at,
    remaining: () => Math.max(0, at - clock.now()),
    dispose: () => stop.abort(),
  };
}

/** The signal that aborts when any of `signals` does (undefined ones are skipped). */
export function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  return AbortSignal.any(signals.filter((signal): signal is AbortSignal => signal !== undefined));
}
