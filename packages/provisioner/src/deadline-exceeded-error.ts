import { type Deadline, startDeadline } from "@tailvm/internal";
import type { Clock } from "./clock.js";

/** Which deadline passed. */
export type DeadlineName = "total" | "serverRunning" | "deviceJoin" | "rollback";

/** The reason a deadline of the provisioner aborts its signal with. */
export class DeadlineExceededError extends Error {
  override name = "DeadlineExceededError";
  readonly deadline: DeadlineName;
  readonly timeoutMs: number;

  constructor(deadline: DeadlineName, timeoutMs: number) {
    super(`the ${deadline} timeout of ${timeoutMs} ms passed`);
    this.deadline = deadline;
    this.timeoutMs = timeoutMs;
  }
}

/** A deadline of `ms` on `clock` whose signal aborts with a {@link DeadlineExceededError}. */
export function startNamedDeadline(clock: Clock, name: DeadlineName, ms: number): Deadline {
  return startDeadline(clock, ms, () => new DeadlineExceededError(name, ms));
}
