/** Milliseconds from the create answer to the join, in the last runs of a scope. */
export interface JoinHistory {
  /**
   * The expected time from create answer to join, if any run was seen: the least of the last
   * eight. Each run sees its join a little late (by the poll that found it), so the least is the
   * closest, and a run that lands its first dense look late moves the next one earlier.
   */
  expectedMs(): number | undefined;
  /** Records one run's time from create answer to join. */
  record(durationMs: number): void;
}

const HISTORY_SIZE = 8;

export function createJoinHistory(): JoinHistory {
  const durations: number[] = [];
  return {
    expectedMs() {
      return durations.length === 0 ? undefined : Math.min(...durations);
    },
    record(durationMs) {
      if (!Number.isFinite(durationMs) || durationMs < 0) return;
      durations.push(durationMs);
      if (durations.length > HISTORY_SIZE) durations.shift();
    },
  };
}

/** What is known about a join when the next device poll is planned. */
export interface JoinSchedule {
  /** Milliseconds since the create answered. */
  elapsedMs: number;
  /** The scope's expected time from create answer to join, if earlier runs saw one. */
  expectedMs: number | undefined;
  /** When (since the create answered) the server was seen running, if it was; used without history. */
  runningAtMs: number | undefined;
  /** A number in [0, 1): spreads a fleet's polls apart. */
  random: number;
}

/** Dense polling starts this long before the expected join. */
export const LEAD_MS = 700;
/** How long past the expected join polling stays dense. */
export const DENSE_WINDOW_MS = 3_000;
/** The delay between polls around the expected join. */
export const DENSE_DELAY_MS = 200;
/** No delay is longer: a join earlier than expected is seen within this much. */
export const MAX_DELAY_MS = 30_000;
/** Without history or a running server, the wait polls at this fraction of the time elapsed. */
const UNKNOWN_FRACTION = 0.4;
const UNKNOWN_MIN_DELAY_MS = 1_000;
/** A device joins at the earliest this long after its server runs, when no run has been seen. */
export const JOIN_AFTER_RUNNING_MS = 2_000;
/** After the dense window the delay is this fraction of the time past it, up to `BACKOFF_MAX_MS`. */
const BACKOFF_FRACTION = 0.5;
export const BACKOFF_MAX_MS = 5_000;
const JITTER = 0.1;
const LANDING_JITTER_MS = 200;

/**
 * The delay before the next device poll: sparse until shortly before the join can be expected
 * (from the scope's earlier runs, or from the server being seen running), dense (sub-second)
 * around it, then backing off. Every delay is jittered (up to 10%, or up to 200 ms early when it lands on
 * the dense window) and never longer than `MAX_DELAY_MS`.
 */
export function nextJoinPollDelay(schedule: JoinSchedule): number {
  const { elapsedMs } = schedule;
  const expected = expectedJoinMs(schedule);
  const jitter = 1 + JITTER * (2 * schedule.random - 1);
  if (expected === undefined) {
    const delay = Math.max(UNKNOWN_MIN_DELAY_MS, UNKNOWN_FRACTION * elapsedMs);
    return Math.round(Math.min(MAX_DELAY_MS, delay) * jitter);
  }
  const denseFrom = expected - LEAD_MS;
  if (elapsedMs < denseFrom) {
    // Land the next look at the start of the dense window, a little early rather than late.
    const delay =
      Math.min(MAX_DELAY_MS, denseFrom - elapsedMs) - LANDING_JITTER_MS * schedule.random;
    return Math.max(DENSE_DELAY_MS, Math.round(delay));
  }
  const pastWindow = elapsedMs - (expected + DENSE_WINDOW_MS);
  if (pastWindow < 0) return Math.round(DENSE_DELAY_MS * jitter);
  const delay = Math.min(BACKOFF_MAX_MS, Math.max(DENSE_DELAY_MS, BACKOFF_FRACTION * pastWindow));
  return Math.round(delay * jitter);
}

function expectedJoinMs(schedule: JoinSchedule): number | undefined {
  const { expectedMs, runningAtMs } = schedule;
  // The watch sees the server running up to one of its sparse polls late, so it only stands in
  // for history, never moves it: a join cannot come before the server runs.
  if (expectedMs !== undefined || runningAtMs === undefined) return expectedMs;
  return runningAtMs + JOIN_AFTER_RUNNING_MS;
}
